"""Synthetic fax pages, 1728 px wide: rendered text, text with graphics, a dithered photo.

Every page is drawn from a seeded generator, so the same arguments give the
same pixels. The T.4 tests take bands of a few hundred rows (:func:`band`) to
stay inside the CPU budget; ``benchmarks/t4_bench.py`` takes whole A4 fine
pages (:data:`A4_FINE`, 1728 x 2287). A :class:`Layout` says where the text
and the graphics go; the two layouts are those the tests and the benchmark
have always drawn, so their pages (and recorded figures) stay comparable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

Page = NDArray[np.bool_]
Box = tuple[int, int, int, int]

WIDTH_PX = 1728

_WORDS = [
    "fax",
    "modem",
    "page",
    "line",
    "coding",
    "huffman",
    "run",
    "length",
    "reference",
    "pass",
    "vertical",
    "horizontal",
    "mode",
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "for",
    "with",
    "on",
    "as",
    "by",
    "at",
    "from",
    "resolution",
]


@dataclass(frozen=True)
class Layout:
    """Where the drawing goes on a page ``rows`` high (all in pixels)."""

    rows: int
    text_px: int  # font size
    text_top_px: int  # first text line
    text_end_px: int  # no text line starts at or below this row
    text_left_px: int
    frame_top_px: int  # the frame is inset 40 px left and right, this much top and bottom
    bar_top_px: int  # the bar chart: bar i is bar_px + bar_step_px * i high
    bar_px: int
    bar_step_px: int
    diagonal_rows: tuple[int, int]  # where the diagonal lines start and end
    ellipse: Box
    ellipse_px: int  # its outline width


def band(rows: int, text_px: int = 22) -> Layout:
    """The layout of the T.4 tests' bands, ``rows`` high."""
    return Layout(rows=rows, text_px=text_px, text_top_px=40, text_end_px=rows - text_px,
                  text_left_px=80, frame_top_px=20, bar_top_px=rows // 2, bar_px=40,
                  bar_step_px=30, diagonal_rows=(60, rows - 60), ellipse=(1200, 100, 1600, 400),
                  ellipse_px=5)


A4_FINE = Layout(rows=2287, text_px=22, text_top_px=120, text_end_px=2287 - 120,
                 text_left_px=100, frame_top_px=40, bar_top_px=1200, bar_px=100, bar_step_px=60,
                 diagonal_rows=(200, 1100), ellipse=(1100, 1700, 1600, 2150), ellipse_px=6)
"""A whole A4 page at fine resolution (204 x 196 dpi), as ``benchmarks/t4_bench.py`` codes."""


def text_image(layout: Layout, seed: int = 1) -> Page:
    """Lines of pseudo-words, drawn with Pillow's built-in font."""
    rng = np.random.default_rng(seed)
    image = Image.new("L", (WIDTH_PX, layout.rows), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=layout.text_px)
    for y in range(layout.text_top_px, layout.text_end_px, int(layout.text_px * 1.5)):
        line = " ".join(rng.choice(_WORDS, 14))
        draw.text((layout.text_left_px, y), line.capitalize() + ".", fill=0, font=font)
    return np.asarray(image) < 128


def mixed_image(layout: Layout, seed: int = 2) -> Page:
    """Text with a frame, diagonal lines, a filled bar chart and an ellipse."""
    image = Image.fromarray(~text_image(layout, seed))
    draw = ImageDraw.Draw(image)
    inset = layout.frame_top_px
    draw.rectangle((40, inset, WIDTH_PX - 40, layout.rows - inset), outline=0, width=3)
    top, end = layout.diagonal_rows
    for i in range(8):
        x = 200 + i * 160
        bar_end = layout.bar_top_px + layout.bar_px + layout.bar_step_px * i
        draw.rectangle((x, layout.bar_top_px, x + 90, bar_end), fill=0)
        draw.line((x, top, x + 400, end), fill=0, width=2)
    draw.ellipse(layout.ellipse, outline=0, width=layout.ellipse_px)
    return ~np.asarray(image.convert("1"), dtype=bool)


def photo_image(rows: int, seed: int = 3) -> Page:
    """A smooth synthetic photo ``rows`` high, Floyd-Steinberg dithered by Pillow."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:rows, 0:WIDTH_PX].astype(float)
    grey = 128 + 60 * np.sin(x / 97.0) * np.cos(y / 71.0) + 50 * np.sin((x + y) / 240.0)
    grey += rng.normal(0, 12, grey.shape)
    image = Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)).convert("1")
    return ~np.asarray(image, dtype=bool)
