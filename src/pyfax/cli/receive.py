"""``pyfax receive``: answer one call with the pyfax receiver and keep the pages.

Backends: ``tcp:PORT`` listens on 127.0.0.1:PORT for one raw s16le 8 kHz PCM
stream; ``stdio`` receives over standard input and output (for a pipe).
Pages are written to ``--out`` as PNG and TIFF-F.

Exit codes: 0 the call completed and the pages were kept; 1 the call failed
(result printed); 2 bad arguments or the line could not be opened.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pyfax.cli import EXIT_FAILED, EXIT_OK

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pyfax receive``."""
    p = subparsers.add_parser("receive", help="answer one call and receive a fax",
                              description=(__doc__ or "").replace("``", ""),
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--backend", required=True, help="tcp:PORT (127.0.0.1) or stdio")
    p.add_argument("--out", type=Path, required=True, help="folder for the received pages")
    p.add_argument("--ident", default="", help="our identity (CSI)")
    p.add_argument("--no-ecm", action="store_true", help="do not offer ECM")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the call")
    p.add_argument("--record", type=Path, default=None, metavar="WAV",
                   help="record the call (channel 0 what we sent, 1 what we heard)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Receive one fax and print the result."""
    from pyfax.errors import LineError
    from pyfax.lines.base import Call
    from pyfax.lines.loopback import save_pages
    from pyfax.lines.pcm import PcmCall, serve_tcp_once
    from pyfax.lines.receive import Received, answer
    from pyfax.lines.wav import RecordedCall

    got: list[Received] = []

    def handle(call: Call) -> None:
        if args.record is not None:
            call = RecordedCall(call, args.record)
        got.append(answer(call, ident=args.ident, ecm=not args.no_ecm))

    kind, _, rest = args.backend.partition(":")
    if kind == "tcp":
        try:
            port = int(rest)
        except ValueError:
            raise LineError(f"tcp backend needs a port number, not {rest!r}") from None
        serve_tcp_once(port, handle, timeout_s=args.timeout,
                       ready=lambda p: print(f"listening on 127.0.0.1:{p}", file=sys.stderr,
                                             flush=True))
    elif kind == "stdio":
        handle(PcmCall(sys.stdin.buffer, sys.stdout.buffer))
    else:
        raise LineError(f"receive backend must be tcp:PORT or stdio, not {args.backend!r}")
    received = got[0]
    files = save_pages(received.pages, args.out)
    print(f"result: {received.result}", file=sys.stderr)
    for f in files:
        print(f"wrote {f}", file=sys.stderr)
    ok = received.result is not None and received.result.ok
    return EXIT_OK if ok else EXIT_FAILED
