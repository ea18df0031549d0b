"""``pyfax decode-call call.wav``: replay a recorded call through the receiver.

The recording is a WAV as :class:`pyfax.lines.WavRecorder` writes it
(stereo: channel 0 what the recording side sent, channel 1 what it heard)
or mono, 8- or 16-bit PCM at any rate (resampled to 8 kHz). The chosen
direction is fed to a fresh pyfax receiver; the T.30 trace and the result
are printed, and the pages written to ``--out``.

Exit codes: 0 the replayed call completed; 1 it did not; 2 unreadable file.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pyfax.cli import EXIT_FAILED, EXIT_OK

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pyfax decode-call``."""
    p = subparsers.add_parser("decode-call", help="replay a call recording through the receiver",
                              description=(__doc__ or "").replace("``", ""),
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("wav", type=Path, help="the recording")
    p.add_argument("--channel", choices=("sent", "heard"), default="sent",
                   help="which direction holds the fax sender (default: sent, channel 0)")
    p.add_argument("--out", type=Path, default=None, help="folder for the decoded pages")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Replay and print the trace."""
    from pyfax.lines.loopback import save_pages
    from pyfax.lines.receive import replay
    from pyfax.lines.wav import read_call

    rec = read_call(args.wav)
    audio = rec.sent if args.channel == "sent" and len(rec.sent) else rec.heard
    got = replay(audio)
    result = got.result
    if result is not None:
        for line in result.trace:
            print(line)
    print(f"result: {result if result is not None else 'the call did not finish'}")
    print(f"pages: {len(got.pages)} ({', '.join(f'{p.shape[1]}x{p.shape[0]}' for p in got.pages)})")
    if args.out is not None and got.pages:
        for f in save_pages(got.pages, args.out):
            print(f"wrote {f}")
    return EXIT_OK if result is not None and result.ok else EXIT_FAILED
