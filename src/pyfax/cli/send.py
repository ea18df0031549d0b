"""``pyfax send``: fax a message (body and attachments) to fax addresses.

Exit codes: 0 every fax recipient delivered (or, with ``--queue``, queued);
1 at least one was not delivered (see the report and notices);
2 bad arguments or unusable input (bad attachment, too little credit, ...).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pyfax.cli import EXIT_FAILED, EXIT_OK
from pyfax.lines import SPEC_HELP

__all__ = ["add_account_args", "add_backend_args", "register"]


def add_account_args(p: argparse.ArgumentParser) -> None:
    """The ledger/store/account options shared by send, worker and status."""
    from pyfax.delivery.paths import default_ledger_path, default_store_path

    p.add_argument("--account", default="default", help="prepaid account that pays")
    p.add_argument("--ledger", "--db", dest="ledger", type=Path, default=None,
                   help=f"ledger file (default {default_ledger_path()})")
    p.add_argument("--store", type=Path, default=None,
                   help=f"job store file (default {default_store_path()})")


def add_backend_args(p: argparse.ArgumentParser) -> None:
    """The telephony options shared by send and worker."""
    p.add_argument("--backend", default="loopback", help=f"telephony backend: {SPEC_HELP}")
    p.add_argument("--out", type=Path, default=None,
                   help="loopback: folder for the pages the simulated remote receives")
    p.add_argument("--record", default=None, metavar="WAV",
                   help="record each call to this WAV file ({n} numbers the calls)")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pyfax send``."""
    p = subparsers.add_parser("send", help="fax a message to <number@fax> addresses",
                              description=(__doc__ or "").replace("``", ""),
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--to", required=True, help="recipients, comma-separated")
    p.add_argument("--cc", default="", help="copy recipients")
    p.add_argument("--bcc", default="", help="blind-copy recipients")
    p.add_argument("--from", dest="sender", default="pyfax user <fax@localhost>",
                   help="sender, as a mail address")
    p.add_argument("--subject", default="", help="subject line")
    body = p.add_mutually_exclusive_group()
    body.add_argument("--body", default="", help="body text (plain or simple HTML)")
    body.add_argument("--body-file", type=Path, default=None, help="read the body from a file")
    p.add_argument("--attach", action="append", default=[], metavar="FILE",
                   help="attachment (PDF, image, TIFF, text); repeat for more")
    p.add_argument("--resolution", default="fine", help="standard, fine or superfine")
    p.add_argument("--paper", default="a4", help="a4, letter, b4 or a3")
    p.add_argument("--ident", default="", help="our fax identity (TSI), e.g. '+32 2 123 4567'")
    p.add_argument("--attempts", type=int, default=3, help="attempts per number")
    p.add_argument("--retry-delays", default="120,300", metavar="S,S",
                   help="seconds before attempt 2, 3, ... (last repeats)")
    p.add_argument("--queue", action="store_true", help="only queue; a `pyfax worker` sends")
    add_account_args(p)
    add_backend_args(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Send the message and print the delivery report."""
    from pyfax.billing import Ledger
    from pyfax.delivery import (
        JobStore,
        Message,
        PrintNotifier,
        RetryPolicy,
        SendOptions,
        send,
    )
    from pyfax.delivery.paths import default_ledger_path, default_store_path
    from pyfax.delivery.progress import ProgressPrinter
    from pyfax.delivery.render import report_text
    from pyfax.errors import DeliveryError
    from pyfax.lines import WavRecorder, open_backend

    body = args.body_file.read_text("utf-8") if args.body_file else args.body
    try:
        delays = tuple(float(d) for d in args.retry_delays.split(",") if d.strip())
    except ValueError:
        raise DeliveryError(f"--retry-delays must be seconds like 120,300, "
                            f"not {args.retry_delays!r}") from None
    ledger_path = args.ledger or default_ledger_path()
    store_path = args.store or default_store_path()
    ledger_path.parent.mkdir(parents=True, exist_ok=True)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    backend = open_backend(args.backend, out_dir=args.out)
    if args.record:
        backend = WavRecorder(backend, args.record)
    msg = Message(sender=args.sender, to=args.to, cc=args.cc, bcc=args.bcc,
                  subject=args.subject, body=body, attachments=list(args.attach))
    progress = ProgressPrinter(sys.stderr)
    report = send(msg, account=args.account, ledger=Ledger(ledger_path), backend=backend,
                  store=JobStore(store_path), notifier=PrintNotifier(sys.stdout),
                  retry=RetryPolicy(args.attempts, delays), wait=not args.queue,
                  options=SendOptions(resolution=args.resolution, paper=args.paper,
                                      ident=args.ident),
                  on_progress=progress)
    progress.done()
    print(report_text(report))
    if args.queue:
        return EXIT_OK if not report.rejected else EXIT_FAILED
    return EXIT_OK if report.all_delivered else EXIT_FAILED
