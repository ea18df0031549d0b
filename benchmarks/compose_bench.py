"""Composition speed: a 20-page PDF + a photo + a 3-page body at fine resolution.

Prints pages per second for ``pyfax.compose.compose`` (header line on, every
page rendered to a bilevel array) next to poppler's ``pdftoppm -mono`` on
the same PDF at the same resolution, measured in the same run, and the
ratio. Median of repeated runs. Usage: ``python benchmarks/compose_bench.py
[--repeats N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from pyfax.compose import compose

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def make_pdf(n_pages: int) -> bytes:
    """A text-and-drawing PDF (embedded DejaVu) like a typical office document."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("dv", fname=DEJAVU)
    pdf.set_font("dv", size=11)
    for p in range(n_pages):
        pdf.add_page()
        pdf.set_font("dv", size=16)
        pdf.cell(0, 12, f"Section {p + 1}: quarterly report", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("dv", size=11)
        pdf.multi_cell(0, 5.5, ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, "
                                "sed do eiusmod tempor incididunt ut labore et dolore magna "
                                "aliqua. Größe, façade, één. ") * 14)
        pdf.set_line_width(0.4)
        for i in range(6):
            pdf.rect(20 + 28 * i, 200, 22, 10 + 8 * i)
        pdf.line(20, 260, 190, 240)
    return bytes(pdf.output())


def make_photo() -> bytes:
    """A 1600x1200 colour JPEG with gradients and noise."""
    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:1200, 0:1600]
    rgb = np.stack([128 + 100 * np.sin(x / 90), 128 + 100 * np.cos(y / 70), (x + y) / 11.0], -1)
    rgb += rng.normal(0, 10, rgb.shape)
    buf = io.BytesIO()
    Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8)).save(buf, "JPEG", quality=90)
    return buf.getvalue()


BODY = "\n\n".join(f"Paragraph {i + 1}. " + "The quick brown fox jumps over the lazy dog. " * 9
                   for i in range(18))


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_compose(pdf: Path, photo: bytes) -> tuple[float, float, int]:
    """(wall s, CPU s, pages) for one compose() call."""
    w0, c0 = time.perf_counter(), time.process_time()
    doc = compose(BODY, [pdf, ("photo.jpg", photo)], resolution="fine",
                  now=dt.datetime(2026, 1, 1, 12, 0))
    return time.perf_counter() - w0, time.process_time() - c0, len(doc.pages)


def time_pdf_only(pdf: Path) -> tuple[float, float, int]:
    """(wall s, CPU s, pages) for compose() of the PDF alone, header on."""
    w0, c0 = time.perf_counter(), time.process_time()
    doc = compose(None, [pdf], resolution="fine", now=dt.datetime(2026, 1, 1, 12, 0))
    return time.perf_counter() - w0, time.process_time() - c0, len(doc.pages)


def time_pdftoppm(exe: str, pdf: Path, out_dir: str) -> tuple[float, float]:
    """(wall s, CPU s) for pdftoppm to render every page of ``pdf`` mono at 204x196 dpi."""
    w0, c0 = time.perf_counter(), _children_cpu_s()
    subprocess.run([exe, "-rx", "204", "-ry", "196", "-mono", str(pdf), f"{out_dir}/p"],
                   check=True)
    return time.perf_counter() - w0, _children_cpu_s() - c0


def _line(label: str, pages: int, wall_s: float, cpu_s: float) -> str:
    return (f"{label:<16} {pages} pages: wall {wall_s * 1000:6.0f} ms = {pages / wall_s:6.1f} "
            f"pages/s | CPU {cpu_s * 1000:6.0f} ms = {pages / cpu_s:6.1f} pages/s")


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    exe = shutil.which("pdftoppm")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "doc20.pdf"
        pdf.write_bytes(make_pdf(20))
        photo = make_photo()
        time_compose(pdf, photo)  # warm-up: fonts, glyph cache
        ours, ref, pdf_only = [], [], []
        for _ in range(args.repeats):  # interleaved, so both see the same machine load
            ours.append(time_compose(pdf, photo))
            pdf_only.append(time_pdf_only(pdf))
            if exe is not None:
                ref.append(time_pdftoppm(exe, pdf, tmp))
        n = ours[0][2]
        o_wall, o_cpu = (statistics.median(r[i] for r in ours) for i in (0, 1))
        print(f"machine: {os.cpu_count()} cores, shared with other jobs (load average "
              f"{os.getloadavg()[0]:.1f}); median of {args.repeats} interleaved runs")
        print(_line("pyfax compose", n, o_wall, o_cpu), "(body + 20-page PDF + photo, fine)")
        if exe is None:
            print("pdftoppm not installed: no reference figure")
            return
        r_wall, r_cpu = (statistics.median(r[i] for r in ref) for i in (0, 1))
        p_wall, p_cpu = (statistics.median(r[i] for r in pdf_only) for i in (0, 1))
        print(_line("pyfax PDF only", 20, p_wall, p_cpu), "(the 20-page PDF alone)")
        print(_line("pdftoppm -mono", 20, r_wall, r_cpu), "(the same PDF, 204x196 dpi)")
        print(f"ratio pyfax/pdftoppm pages per second, full mix: wall "
              f"{n / o_wall / (20 / r_wall):.2f}x, CPU {n / o_cpu / (20 / r_cpu):.2f}x")
        print(f"ratio pyfax/pdftoppm pages per second, PDF only: wall {r_wall / p_wall:.2f}x, "
              f"CPU {r_cpu / p_cpu:.2f}x")


if __name__ == "__main__":
    main()
