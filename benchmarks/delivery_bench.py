"""Delivery overhead: send() over loopback vs the bare T.30 terminal pair vs spandsp.

CPU seconds (``time.process_time``), median of 5 runs.
Run: ``.venv/bin/python benchmarks/delivery_bench.py``
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import _tests_path
import numpy as np
from peers.spandsp_fax import SpandspFax

from pyfax import Message, send
from pyfax.addressing import parse_recipients
from pyfax.billing import Ledger
from pyfax.cli.demo import BODY, demo_pdf
from pyfax.delivery import FakeClock, JobStore
from pyfax.delivery.send import SendOptions, compose_pages
from pyfax.lines import LoopbackBackend
from pyfax.t4 import write_tiff
from pyfax.t30 import Terminal

MSG = Message(sender="Demo <d@example.com>", to="<3222345678@fax>", subject="Invoice",
              body=BODY, attachments=[("invoice.pdf", demo_pdf())])
PAGES = compose_pages(MSG, parse_recipients(to=MSG.to).fax, SendOptions())
Run = tuple[float, float, int, bool]  # CPU s, line s, bit rate, ECM


def _pair(a: Any, b: Any, limit_s: float = 600) -> float:
    x = np.zeros(160, np.int16)
    y = np.zeros(160, np.int16)
    n = 0
    while not (a.done and b.done) and n < 8000 * limit_s:
        x, y = a.step(y), b.step(x)
        n += 160
    return n / 8000


def run_send() -> Run:
    tmp = Path(tempfile.mkdtemp())
    ledger = Ledger(tmp / "c.db")
    ledger.open_account("a")
    ledger.credit("a", Decimal(50), reference="r")
    t = time.process_time()
    report = send(MSG, account="a", ledger=ledger, backend=LoopbackBackend(),
                  store=JobStore(tmp / "j.db"), clock=FakeClock())
    cpu_s = time.process_time() - t
    r = report.recipients[0]
    assert r.status == "delivered"
    return cpu_s, r.line_time_s, r.bit_rate, r.ecm


def run_pair() -> Run:
    s = Terminal("send", PAGES, ident="+32 2 123 4567")
    r = Terminal("receive", ident="+32 2 555 0100")
    t = time.process_time()
    line_s = _pair(s, r)
    cpu_s = time.process_time() - t
    assert s.result is not None and s.result.ok, s.result
    return cpu_s, line_s, s.result.bit_rate or 0, s.result.ecm


def run_spandsp() -> Run:
    tmp = Path(tempfile.mkdtemp())
    write_tiff(tmp / "tx.tif", [p.image for p in PAGES], "MH", xres_dpi=204, yres_dpi=196)
    s = SpandspFax(calling=True, tx_tiff=str(tmp / "tx.tif"))
    r = SpandspFax(calling=False, rx_tiff=str(tmp / "rx.tif"))
    t = time.process_time()
    line_s = _pair(s, r)
    cpu_s = time.process_time() - t
    assert s.completion == 0, s.completion_text
    stats = s.stats()
    s.close()
    r.close()
    return cpu_s, line_s, stats.bit_rate, bool(stats.error_correcting_mode)


def claims_per_s() -> float:
    store = JobStore(Path(tempfile.mkdtemp()) / "j.db")
    mid = store.add_message(account="a", sender="s", subject="x", ident="", pages=PAGES[:1],
                            now_s=0)
    for _ in range(500):
        store.add_job(mid, e164="+3222345678", now_s=0)
    t = time.process_time()
    n = 0
    while store.claim("w", now_s=1, lease_s=100) is not None:
        n += 1
    return n / (time.process_time() - t)


def main() -> None:
    print(f"{len(PAGES)} pages, fine A4 (body + 2-page PDF)")
    rows: list[tuple[str, Callable[[], Run]]] = [
        ("send() over loopback (pyfax receiver)", run_send),
        ("bare pyfax Terminal pair", run_pair),
        ("spandsp fax_state_t pair", run_spandsp)]
    for name, fn in rows:
        with _tests_path.peers_or_exit():
            runs = [fn() for _ in range(5)]
        cpu_s = statistics.median(r[0] for r in runs)
        line_s, rate, ecm = runs[0][1:]
        print(f"{name:40s} CPU {cpu_s:6.2f} s  line {line_s:6.1f} s  "
              f"CPU/line 1/{line_s / cpu_s:5.0f}  ({rate} bit/s, ecm={ecm})")
    print(f"job store: {statistics.median(claims_per_s() for _ in range(5)):.0f} claims/s "
          "(500 jobs, WAL)")


if __name__ == "__main__":
    main()
