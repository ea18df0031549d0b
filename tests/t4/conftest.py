"""Pages for the T.4 tests: rendered text, text with graphics, a dithered photo.

All are generated (seeded) at fax fine resolution, 1728 px wide; the tests
take bands of them to stay inside the CPU budget.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

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


def text_image(rows: int, seed: int = 1, size: int = 22) -> NDArray[np.bool_]:
    """Lines of pseudo-words, drawn with Pillow's built-in font."""
    rng = np.random.default_rng(seed)
    image = Image.new("L", (WIDTH_PX, rows), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=size)
    for y in range(40, rows - size, int(size * 1.5)):
        line = " ".join(rng.choice(_WORDS, 14))
        draw.text((80, y), line.capitalize() + ".", fill=0, font=font)
    return np.asarray(image) < 128


def mixed_image(rows: int, seed: int = 2) -> NDArray[np.bool_]:
    """Text with boxes, a frame, diagonal lines and a filled bar chart."""
    image = Image.fromarray(~text_image(rows, seed))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 20, WIDTH_PX - 40, rows - 20), outline=0, width=3)
    for i in range(8):
        x = 200 + i * 160
        draw.rectangle((x, rows // 2, x + 90, rows // 2 + 40 + 30 * i), fill=0)
        draw.line((x, 60, x + 400, rows - 60), fill=0, width=2)
    draw.ellipse((1200, 100, 1600, 400), outline=0, width=5)
    return ~np.asarray(image.convert("1"), dtype=bool)


def photo_image(rows: int, seed: int = 3) -> NDArray[np.bool_]:
    """A smooth synthetic photo, Floyd-Steinberg dithered by Pillow."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:rows, 0:WIDTH_PX].astype(float)
    grey = 128 + 60 * np.sin(x / 97.0) * np.cos(y / 71.0) + 50 * np.sin((x + y) / 240.0)
    grey += rng.normal(0, 12, grey.shape)
    image = Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)).convert("1")
    return ~np.asarray(image, dtype=bool)


@pytest.fixture(scope="session")
def text_page() -> NDArray[np.bool_]:
    """A band of text, 1728 x 300."""
    return text_image(300)


@pytest.fixture(scope="session")
def mixed_page() -> NDArray[np.bool_]:
    """A band of text and graphics, 1728 x 300."""
    return mixed_image(300)


@pytest.fixture(scope="session")
def photo_page() -> NDArray[np.bool_]:
    """A band of dithered photo, 1728 x 120."""
    return photo_image(120)
