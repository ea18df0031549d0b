"""``pyfax preview``: compose a message and write exactly the pages that would be sent.

Composes the body (``--body`` or ``--body-file``) and attachments
(``--attach``, repeatable) at a resolution and paper size, then writes one
PNG per page into a directory, or a single PDF when ``--out`` ends in ``.pdf``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from pyfax.cli import EXIT_OK, EXIT_USAGE
from pyfax.compose import HeaderLine, Paper, Resolution, compose


def register(subparsers: Any) -> None:
    """Add the ``preview`` sub-command."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "preview", help="compose a fax and save its pages as PNG or PDF",
        description="Compose a message into fax pages and save them for inspection.")
    body = p.add_mutually_exclusive_group()
    body.add_argument("--body", help="message text (plain or simple HTML)")
    body.add_argument("--body-file", type=Path, help="read the message text from a file")
    p.add_argument("--attach", action="append", default=[], type=Path, metavar="FILE",
                   help="attachment (repeatable; PDF, image, TIFF, text, office)")
    p.add_argument("--resolution", default="fine",
                   choices=[r.name.lower() for r in Resolution])
    p.add_argument("--paper", default=None, choices=[q.name.lower() for q in Paper],
                   help="paper size (default: from LC_PAPER/LANG, A4 or Letter)")
    p.add_argument("--subject")
    p.add_argument("--sender", help="From: line, and the header's name")
    p.add_argument("--to", help="To: line")
    p.add_argument("--sender-number", default="", help="sender fax number for the header")
    p.add_argument("--no-header", action="store_true", help="leave out the header line")
    p.add_argument("--page-limit", type=int, default=200)
    p.add_argument("--out", type=Path, required=True,
                   help="output directory for PNGs, or a file name ending in .pdf")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Compose and save; returns the exit code."""
    text: str | None = args.body
    if args.body_file is not None:
        try:
            text = args.body_file.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            print(f"pyfax preview: cannot read {args.body_file}: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE
    locale = os.environ.get("LC_PAPER") or os.environ.get("LC_ALL") or os.environ.get("LANG")
    doc = compose(text, list(args.attach), resolution=args.resolution, paper=args.paper,
                  header=not args.no_header, subject=args.subject, sender=args.sender,
                  to=args.to, page_limit=args.page_limit, locale=locale,
                  header_line=HeaderLine(args.sender or "", args.sender_number))
    out: Path = args.out
    if out.suffix.lower() == ".pdf":
        doc.save_pdf(out)
        where = str(out)
    else:
        n_files = len(doc.save_png(out))
        where = f"{n_files} PNG file{'s' * (n_files != 1)} in {out}"
    res = doc.resolution
    n = len(doc.pages)
    print(f"{n} page{'s' * (n != 1)}, {doc.paper.name} at {res.x_dpi}x{res.y_dpi} dpi: {where}")
    for warning in doc.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return EXIT_OK
