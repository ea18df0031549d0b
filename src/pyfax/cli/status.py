"""``pyfax status JOB``: where a fax job is, with every attempt.

Exit codes: 0 delivered; 1 failed for good; 3 still queued, dialling or
waiting to retry; 2 unknown job or bad arguments.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from pyfax.cli import EXIT_FAILED, EXIT_OK

__all__ = ["EXIT_PENDING", "register"]

EXIT_PENDING = 3


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pyfax status``."""
    p = subparsers.add_parser("status", help="show a fax job and its attempts",
                              description=(__doc__ or "").replace("``", ""),
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("job", type=int, help="job id (as printed by pyfax send)")
    p.add_argument("--store", type=Path, default=None, help="job store file")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the job and return its exit code."""
    from pyfax.delivery import JobState, JobStore
    from pyfax.delivery.paths import default_store_path
    from pyfax.delivery.render import attempts_table
    from pyfax.errors import DeliveryError

    path = args.store or default_store_path()
    if not Path(path).exists():
        raise DeliveryError(f"no job store at {path}")
    store = JobStore(path)
    job = store.job(args.job)
    message = store.message(job.message_id)
    print(f"job {job.id}: {job.state.value} — {job.e164}"
          f"{' (' + job.name + ')' if job.name else ''}")
    print(f"message {message.id} from {message.sender}: {message.subject!r}, "
          f"{store.page_count(message.id)} page(s), account {message.account}")
    attempts = store.attempts(job.id)
    print(f"attempts: {len(attempts)} of {job.max_attempts}; next offer "
          f"{'/'.join(job.modems)}{' with ECM' if job.ecm else ' without ECM'}")
    if attempts:
        print(attempts_table(attempts))
    if job.state in (JobState.QUEUED, JobState.RETRYING):
        due = dt.datetime.fromtimestamp(job.next_due_s, tz=dt.UTC)
        print(f"next attempt due at {due:%Y-%m-%d %H:%M:%S} UTC")
    if job.state is JobState.DONE:
        return EXIT_OK
    return EXIT_FAILED if job.state is JobState.FAILED else EXIT_PENDING
