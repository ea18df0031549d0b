"""``pyfax worker``: run queued fax jobs from the job store.

Several workers may share one store; each job is taken by one at a time
(under a lease). A worker killed mid-call leaves its job to be retried by
the next worker once the lease expires, and the charge stays single.

Exit codes: 0 when it stopped because there was nothing left to do
(``--until-idle``) or was interrupted; 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pyfax.cli import EXIT_OK
from pyfax.cli.send import add_backend_args

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pyfax worker``."""
    p = subparsers.add_parser("worker", help="run queued fax jobs",
                              description=(__doc__ or "").replace("``", ""),
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ledger", "--db", dest="ledger", type=Path, default=None, help="ledger file")
    p.add_argument("--store", type=Path, default=None, help="job store file")
    add_backend_args(p)
    p.add_argument("--until-idle", action="store_true",
                   help="exit once no job is open (waiting for retries as needed)")
    p.add_argument("--poll", type=float, default=2.0, help="seconds between looks for work")
    p.add_argument("--lease", type=float, default=60.0,
                   help="seconds a claimed job stays ours without renewal")
    p.add_argument("--notify-delivered", action="store_true", help="also notify deliveries")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run jobs until idle (``--until-idle``) or until interrupted."""
    from pyfax.billing import Ledger
    from pyfax.delivery import PrintNotifier, SystemClock, Worker
    from pyfax.delivery.paths import default_ledger_path, default_store_path
    from pyfax.delivery.progress import ProgressPrinter
    from pyfax.delivery.store import JobStore
    from pyfax.lines import WavRecorder, open_backend

    backend = open_backend(args.backend, out_dir=args.out)
    if args.record:
        backend = WavRecorder(backend, args.record)
    clock = SystemClock()
    worker = Worker(store=JobStore(args.store or default_store_path()),
                    ledger=Ledger(args.ledger or default_ledger_path()), backend=backend,
                    clock=clock, notifier=PrintNotifier(sys.stdout),
                    notify_delivered=args.notify_delivered, lease_s=args.lease,
                    on_progress=ProgressPrinter(sys.stderr))
    print(f"worker {worker.worker_id} on {worker.store.path}", flush=True)
    try:
        while True:
            job = worker.run_once()
            if job is not None:
                print(f"job {job.id} ({job.e164}): {job.state.value} after "
                      f"{job.attempts_made} attempt(s)", flush=True)
                continue
            due_s = worker.store.next_due_s()
            if args.until_idle and due_s is None:
                return EXIT_OK
            wait_s = args.poll if due_s is None else min(args.poll, due_s - clock.now())
            clock.sleep(max(wait_s, 0.05))
    except KeyboardInterrupt:
        return EXIT_OK
