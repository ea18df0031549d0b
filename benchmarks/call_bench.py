"""Whole fax calls through loopback audio: wall time over simulated line time.

A 3-page fine A4 document (synthetic text, 1728 x 2287) is sent at V.17
14400 bit/s, non-ECM (MR) and ECM (MMR), four ways in the same run:

* pyfax Terminal -> pyfax Terminal (target: wall / line <= 1/20),
* pyfax -> spandsp and spandsp -> pyfax (spandsp's ``fax_state_t`` via ctypes),
* spandsp -> spandsp, the reference.

Each figure is the median of ``--repeat`` runs; every run must end OK with
every page pixel-exact (a benchmark of a failing call would mean nothing).

    .venv/bin/python benchmarks/call_bench.py [--repeat 3] [--pages 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable

import _tests_path
import numpy as np
from peers.spandsp_fax import SpandspFax
from t30_audio import run_call

from pyfax import t4
from pyfax.t30 import Terminal

FINE_A4_ROWS = 2287


def text_page(seed: int, rows: int = FINE_A4_ROWS) -> np.ndarray:
    """A page that codes like typed text: lines of 'words' made of glyph-sized blots."""
    rng = np.random.default_rng(seed)
    page = np.zeros((rows, 1728), dtype=bool)
    glyphs = np.zeros((64, 18, 11), dtype=bool)
    for g in glyphs:  # a few 2-pixel strokes, as letters are drawn
        for _ in range(int(rng.integers(2, 4))):
            if rng.random() < 0.5:
                c = int(rng.integers(0, 9))
                g[int(rng.integers(0, 6)):int(rng.integers(10, 18)), c:c + 2] = True
            else:
                r = int(rng.integers(0, 16))
                g[r:r + 2, int(rng.integers(0, 4)):int(rng.integers(6, 11))] = True
    for top in range(120, rows - 150, 40):
        x = 150
        while x < 1550:
            for _ in range(int(rng.integers(2, 9))):
                page[top:top + 18, x:x + 11] = glyphs[int(rng.integers(0, 64))]
                x += 13
            x += int(rng.integers(14, 30))
    return page


Make = Callable[[], tuple[object, object]]
Check = Callable[[object, object], bool]


def timed(make: Make, check: Check, repeat: int) -> tuple[float, float, float]:
    """Median wall seconds, CPU seconds and line seconds of ``repeat`` calls."""
    walls, cpus, lines = [], [], []
    for _ in range(repeat):
        a, b = make()
        t0, c0 = time.perf_counter(), time.process_time()
        line_s = run_call(a, b, limit_s=600)  # type: ignore[arg-type]
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        lines.append(line_s)
        if not check(a, b):
            raise SystemExit(f"call failed: {getattr(a, 'result', a)} / {getattr(b, 'result', b)}")
    return statistics.median(walls), statistics.median(cpus), statistics.median(lines)


def pyfax_ok(pages: list[np.ndarray]) -> Check:
    """The pyfax receiver ended OK with every page pixel-exact."""
    def ok(a: object, b: object) -> bool:
        rx = b if isinstance(b, Terminal) and b.role == "receive" else a
        assert isinstance(rx, Terminal)
        got = rx.received_pages
        return bool(rx.result and rx.result.ok and len(got) == len(pages)
                    and all(np.array_equal(g, w) for g, w in zip(got, pages, strict=True)))
    return ok


def spandsp_ok(pages: list[np.ndarray], path: str) -> Check:
    """The spandsp receiver ended OK and its TIFF holds every page pixel-exact."""
    def ok(a: object, b: object) -> bool:
        assert isinstance(b, SpandspFax)
        good = b.completion == 0
        b.close()
        got = [p.image for p in t4.read_tiff(path)] if good else []
        return good and all(np.array_equal(g, w) for g, w in zip(got, pages, strict=True))
    return ok


def cases(pages: list[np.ndarray], tx_tiff: str, rx_tiff: str, ecm: bool
          ) -> list[tuple[str, Make, Check]]:
    """The four pairings, each as (name, make the two terminals, check the outcome)."""
    def ours_tx() -> Terminal:
        return Terminal("send", pages, ecm=ecm)

    def ours_rx() -> Terminal:
        return Terminal("receive", ecm=ecm)

    def their_tx() -> SpandspFax:
        return SpandspFax(calling=True, tx_tiff=tx_tiff, ecm=ecm)

    def their_rx() -> SpandspFax:
        return SpandspFax(calling=False, rx_tiff=rx_tiff, ecm=ecm)

    return [
        ("pyfax -> pyfax", lambda: (ours_tx(), ours_rx()), pyfax_ok(pages)),
        ("pyfax -> spandsp", lambda: (ours_tx(), their_rx()), spandsp_ok(pages, rx_tiff)),
        ("spandsp -> pyfax", lambda: (their_tx(), ours_rx()), pyfax_ok(pages)),
        ("spandsp -> spandsp", lambda: (their_tx(), their_rx()), spandsp_ok(pages, rx_tiff)),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pages", type=int, default=3)
    args = ap.parse_args()
    pages = [text_page(k) for k in range(args.pages)]
    tmp = tempfile.mkdtemp(prefix="pyfax-call-bench-")
    tx_tiff = os.path.join(tmp, "tx.tif")
    t4.write_tiff(tx_tiff, pages, scheme="MR", xres_dpi=204, yres_dpi=196)
    sizes = [len(t4.encode(p, scheme="MR", k=4)) for p in pages]
    print(f"{args.pages} fine A4 pages, MR sizes {sizes} octets; V.17 14400; "
          f"median of {args.repeat}; 2-core machine shared with other jobs")
    print()
    print("| mode | call | line time s | wall s | wall / line | CPU / line | x spandsp pair |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for ecm in (False, True):
        mode = "ECM MMR" if ecm else "non-ECM MR"
        rx_tiff = os.path.join(tmp, f"rx-{ecm}.tif")
        with _tests_path.peers_or_exit():
            results = {name: timed(make, check, args.repeat)
                       for name, make, check in cases(pages, tx_tiff, rx_tiff, ecm)}
        ref_wall, _, ref_line = results["spandsp -> spandsp"]
        for name, (wall, cpu, line) in results.items():
            rel = (wall / line) / (ref_wall / ref_line)
            print(f"| {mode} | {name} | {line:.1f} | {wall:.2f} | 1/{line / wall:,.0f} "
                  f"| 1/{line / cpu:,.0f} | {rel:.1f} |", flush=True)


if __name__ == "__main__":
    main()
