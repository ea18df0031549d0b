"""Inputs for the compose tests, built here: PDFs (fpdf2), photos and TIFFs (Pillow)."""

from __future__ import annotations

import datetime as dt
import io
import os
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
NOW = dt.datetime(2026, 11, 26, 9, 30)


def make_pdf(n_pages: int = 3, *, landscape_last: bool = False, size_pt: float = 11,
             password: str | None = None) -> bytes:
    """A PDF with embedded-font text and vector drawings on every page."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    if os.path.isfile(DEJAVU):
        pdf.add_font("dv", fname=DEJAVU)
        pdf.set_font("dv", size=size_pt)
    else:  # pragma: no cover - fonts-dejavu-core is installed by .ci/run
        pdf.set_font("helvetica", size=size_pt)
    for p in range(n_pages):
        landscape = landscape_last and p == n_pages - 1
        pdf.add_page(orientation="L" if landscape else "P")
        pdf.cell(0, 10, f"Page {p + 1} of the test document", new_x="LMARGIN", new_y="NEXT")
        for i in range(25 if not landscape else 8):
            pdf.cell(0, 6, f"{i:02d} Größe façade naïve — the quick brown fox jumps {p}",
                     new_x="LMARGIN", new_y="NEXT")
        pdf.set_line_width(0.6)
        pdf.line(20, 190 if landscape else 250, 180, 150 if landscape else 230)
        pdf.rect(30 + 10 * p, 120 if landscape else 200, 60, 25)
        pdf.set_fill_color(0, 0, 0)
        pdf.circle(x=150, y=100 if landscape else 265, radius=6, style="F")
    if password is not None:
        pdf.set_encryption(owner_password="owner-" + password, user_password=password)
    return bytes(pdf.output())


def png_bytes(img: Image.Image, fmt: str = "PNG", **kw: object) -> bytes:
    """Encode a Pillow image."""
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def photo(width: int = 600, height: int = 400, seed: int = 1) -> Image.Image:
    """A colour 'photo': smooth gradients plus noise (mostly mid-tones)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    r = 128 + 90 * np.sin(x / 37.0)
    g = 128 + 90 * np.cos(y / 23.0)
    b = 60 + 140 * (x + y) / (width + height)
    rgb = np.stack([r, g, b], axis=-1) + rng.normal(0, 12, (height, width, 3))
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")


def line_art(width: int = 500, height: int = 700) -> Image.Image:
    """Black strokes on white with anti-aliased edges (a scanned drawing)."""
    from PIL import ImageDraw

    img = Image.new("L", (width * 2, height * 2), 255)
    d = ImageDraw.Draw(img)
    for i in range(8):
        d.line((40, 40 + 160 * i, width * 2 - 40, 120 + 160 * i), fill=0, width=10)
    d.rectangle((100, 300, 600, 900), outline=0, width=12)
    return img.resize((width, height), Image.Resampling.LANCZOS)


@pytest.fixture(scope="session")
def inputs() -> SimpleNamespace:
    """The builders above, for test modules (conftest is not importable by name)."""
    return SimpleNamespace(make_pdf=make_pdf, encode=png_bytes, photo=photo, line_art=line_art,
                           now=NOW, dejavu=DEJAVU)


@pytest.fixture(scope="session")
def sample_pdf() -> bytes:
    """A 3-page PDF (text + drawings), built once."""
    return make_pdf(3)
