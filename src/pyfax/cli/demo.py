"""``pyfax demo``: the main job of pyfax, end to end, with no server and no setup.

It tops up a demo account through the test card gateway, composes a message
(a body and a two-page PDF invoice generated here), sends it as audio over
the loopback line to the simulated fax machine (a pyfax receiver, or with
``--remote spandsp`` spandsp's fax terminal), and
writes what that machine received (PNG and TIFF-F), the composed pages, and
the call itself (stereo WAV), then prints the delivery report and the charge.

Exit codes: 0 delivered; 1 not delivered; 2 bad arguments.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from pyfax.cli import EXIT_FAILED, EXIT_OK

if TYPE_CHECKING:  # imported lazily: `pyfax --help` should not load numpy
    import numpy as np
    from numpy.typing import NDArray

    from pyfax.billing import Ledger

__all__ = ["demo_pdf", "register"]

DEMO_ACCOUNT = "demo"
DEMO_CARD = ("4242424242424242", "12/39", "123")  # the gateway's "always approved" test card
DEMO_NUMBER = "<3222345678@fax>"

BODY = """Dear accounting team,

please find attached our invoice 2026-117 for the translation work of
October (two pages). Payment within 30 days to the account on page 2.

Met vriendelijke groeten, bien cordialement, mit freundlichen Grüßen,

Demo User
"""


def _pdf_text(x: float, y: float, size: float, text: str) -> str:
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"BT /F1 {size:g} Tf {x:g} {y:g} Td ({safe}) Tj ET\n"


def _invoice_page(n: int) -> str:
    ops = ["2 w 50 760 m 545 760 l S\n", _pdf_text(50, 775, 20, "Acme Translations"),
           _pdf_text(400, 775, 12, f"Invoice 2026-117, page {n}/2")]
    if n == 1:
        ops.append("1 w 50 560 495 160 re S 50 690 m 545 690 l S 50 602 m 545 602 l S\n")
        ops.append(_pdf_text(60, 700, 12, "Description"))
        ops.append(_pdf_text(460, 700, 12, "EUR"))
        items = [("Translation NL-FR, 12 pages", "960.00"), ("Proofreading", "240.00"),
                 ("Certification", "45.00")]
        for i, (what, amount) in enumerate(items):
            ops.append(_pdf_text(60, 668 - 25 * i, 12, what))
            ops.append(_pdf_text(460, 668 - 25 * i, 12, amount))
        ops.append(_pdf_text(60, 575, 14, "Total"))
        ops.append(_pdf_text(460, 575, 14, "1245.00"))
        ops.append("0.5 g 50 420 m 150 520 l 250 440 l 350 500 l 450 430 l 545 480 l S 0 g\n")
    else:
        ops.append(_pdf_text(50, 700, 12, "Bank: IBAN BE71 0961 2345 6769, BIC GKCCBEBB"))
        ops.append(_pdf_text(50, 680, 12, "Reference: +++117/2026/00042+++"))
        for r in range(5):  # a row of filled and open squares
            ops.append(f"{70 + 90 * r} 380 60 60 re {'f' if r % 2 else 'S'}\n")
    return "".join(ops)


def demo_pdf() -> bytes:
    """A two-page A4 PDF invoice, written by hand (text in Helvetica, vector lines)."""
    contents = [_invoice_page(1).encode("latin-1"), _invoice_page(2).encode("latin-1")]
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>"]
    for i in range(2):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       f"/Resources << /Font << /F1 7 0 R >> >> /Contents {5 + i} 0 R >>"
                       .encode())
    for c in contents:
        objects.append(b"<< /Length %d >>\nstream\n" % len(c) + c + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pyfax demo``."""
    p = subparsers.add_parser("demo", help="send a demo fax over a simulated line",
                              description=(__doc__ or "").replace("``", ""),
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=Path("demo-out"),
                   help="folder for the files (default ./demo-out)")
    p.add_argument("--remote", choices=("pyfax", "spandsp"), default="pyfax",
                   help="the simulated fax machine: a pyfax receiver (default) or spandsp's "
                        "terminal (needs libspandsp2)")
    p.set_defaults(func=run)


def _fresh_account(out: Path) -> Ledger:
    """A new demo ledger in ``out``, topped up by the test card gateway."""
    from pyfax.billing import Card, Ledger, TestGateway, topup

    for stale in ("credit.db", "jobs.db", "received", "composed", "call.wav"):
        path = out / stale
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    ledger = Ledger(out / "credit.db")
    ledger.open_account(DEMO_ACCOUNT, currency="EUR")
    entry = topup(ledger, DEMO_ACCOUNT, Decimal("20.00"), Card.parse(*DEMO_CARD), TestGateway(),
                  idempotency_key=f"demo-{uuid.uuid4()}")
    print(f"topped up {entry.amount} EUR by test card ({entry.note})")
    return ledger


def _same_pages(got: list[NDArray[np.bool_]], sent: list[NDArray[np.bool_]]) -> bool:
    import numpy as np

    return len(got) == len(sent) and all(
        np.array_equal(a, b) for a, b in zip(got, sent, strict=True))


def run(args: argparse.Namespace) -> int:
    """Run the demo and print the report."""
    from pyfax.delivery import JobStore, Message, PrintNotifier, SendOptions, send
    from pyfax.delivery.progress import ProgressPrinter
    from pyfax.delivery.render import report_text
    from pyfax.lines import LoopbackBackend, WavRecorder
    from pyfax.lines.loopback import save_pages

    out: Path = args.out
    started = time.perf_counter()
    ledger = _fresh_account(out)
    pdf = demo_pdf()
    (out / "invoice.pdf").write_bytes(pdf)
    loopback = LoopbackBackend("answer", out_dir=out / "received", remote=args.remote)
    backend = WavRecorder(loopback, out / "call.wav")
    msg = Message(sender="Demo User <demo@example.com>",
                  to=f"Acme Accounting {DEMO_NUMBER}, accounting@example.com",
                  subject="Invoice 2026-117", body=BODY, attachments=[("invoice.pdf", pdf)])
    progress, store = ProgressPrinter(sys.stdout), JobStore(out / "jobs.db")
    report = send(msg, account=DEMO_ACCOUNT, ledger=ledger, backend=backend, store=store,
                  notifier=PrintNotifier(sys.stdout), options=SendOptions(ident="+32 2 123 4567"),
                  on_progress=progress)
    progress.done()
    sent = [p.image for p in store.pages(report.message_id)]
    composed = save_pages(sent, out / "composed", tiff_name="composed.tif")
    print(report_text(report))
    same = _same_pages(loopback.calls[-1].received_pages if loopback.calls else [], sent)
    print(f"received pages identical to the composed pages, pixel for pixel: "
          f"{'yes' if same else 'NO'}")
    balance = ledger.balance(DEMO_ACCOUNT)
    print(f"balance: {balance.available} {balance.currency} available")
    print(f"composed pages: {', '.join(str(p) for p in composed)}")
    for path in sorted(p for p in (out / "received").rglob("*") if p.is_file()):
        print(f"received: {path}")
    for path in backend.paths:
        print(f"call recording: {path} (channel 0 sent, channel 1 heard)")
    print(f"demo finished in {time.perf_counter() - started:.1f} s")
    return EXIT_OK if report.all_delivered and same else EXIT_FAILED
