"""A word cache: each word is rasterised once per face, size and fax grid, then pasted.

Pillow rasterises every character of every string it draws; a fax page of
text has a few thousand characters but far fewer distinct words. Words in
scripts that need no shaping (Latin, Greek, Cyrillic, general punctuation
and symbols, without combining marks) are rendered by Pillow once, kerning
included, on square pixels at the larger of the two fax resolutions,
resampled with a box filter onto the (non-square) fax grid, thresholded
(black where over ``INK_THRESHOLD``/255 of a pixel is inked) and kept with
their offset from the pen on the baseline and their advance. A line is
drawn by OR-ing words into the bilevel page at pen positions that advance by
the word widths and the space width, which is also how the layout measures.
Thresholding each word before OR-ing them gives the same pixels as
thresholding the maximum of their coverages, since ``max(a, b) > t`` exactly
when ``a > t or b > t``. Runs in other scripts are drawn whole, so Raqm
shapes and orders them.
"""

from __future__ import annotations

import math
import threading
import unicodedata
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw

from pyfax.compose._fonts import Font

Ink = NDArray[np.bool_]
INK_THRESHOLD = 105  # black where over ~41 % of a pixel is inked


@dataclass(frozen=True)
class Glyph:
    """A rasterised character or run: ink mask (True = black), offset from the pen, advance."""

    mask: Ink
    dx_px: int
    dy_px: int
    advance_px: float


def is_simple_text(text: str) -> bool:
    """Whether every character of ``text`` can be drawn on its own (see :func:`is_simple`).

    >>> is_simple_text("Größe façade"), is_simple_text("a\u0301")
    (True, False)
    """
    return text.isascii() or all(is_simple(ch) for ch in text)


def is_simple(ch: str) -> bool:
    """Whether ``ch`` can be drawn on its own, without shaping.

    >>> is_simple("é"), is_simple("\\u0301"), is_simple("中")
    (True, False, False)
    """
    cp = ord(ch)
    if not (cp < 0x0590 or 0x1E00 <= cp < 0x2C00 or cp == 0xFFFD):
        return False
    return unicodedata.combining(ch) == 0 and not 0x20D0 <= cp <= 0x20FF


def _rasterise(font: Font, text: str, sx: float, sy: float) -> Glyph:
    """Draw ``text`` on square pixels, resampled (box filter) to the (sx, sy)-scaled grid.

    The glyph's ink box on the fax grid is found first; the square canvas is then
    made to cover exactly that box, so the resampling never reads outside it.
    """
    x0, y0, x1, y1 = font.getbbox(text, anchor="ls")
    advance = float(font.getlength(text)) * sx
    if x1 <= x0 or y1 <= y0:
        return Glyph(np.zeros((0, 0), dtype=np.bool_), 0, 0, advance)
    left, top = math.floor((x0 - 1) * sx), math.floor((y0 - 1) * sy)
    right, bottom = math.ceil((x1 + 1) * sx), math.ceil((y1 + 1) * sy)
    ox, oy = math.floor(left / sx), math.floor(top / sy)  # square-canvas origin
    width = math.ceil(right / sx) - ox + 1
    height = math.ceil(bottom / sy) - oy + 1
    img = Image.new("L", (width, height), 0)
    ImageDraw.Draw(img).text((-ox, -oy), text, font=font, fill=255, anchor="ls")
    if (sx, sy) != (1.0, 1.0):
        box = (left / sx - ox, top / sy - oy, right / sx - ox, bottom / sy - oy)
        img = img.resize((right - left, bottom - top), Image.Resampling.BOX, box=box)
        ox, oy = left, top
    return Glyph(np.asarray(img, dtype=np.uint8) > INK_THRESHOLD, ox, oy, advance)


class GlyphCache:
    """Rasterised words (and shaped runs) and their advances; process-wide."""

    MAX_ENTRIES = 100_000

    def __init__(self) -> None:
        self._glyphs: dict[tuple[int, str, float, float], Glyph] = {}
        self._advances: dict[tuple[int, str], float] = {}
        self._fonts: dict[int, Font] = {}  # keeps fonts alive so their ids stay unique
        self._lock = threading.RLock()

    def _room(self, font: Font) -> None:
        if len(self._glyphs) + len(self._advances) > self.MAX_ENTRIES:
            self._glyphs.clear()
            self._advances.clear()
        self._fonts.setdefault(id(font), font)

    def glyph(self, font: Font, text: str, sx: float = 1.0, sy: float = 1.0) -> Glyph:
        """``text`` (a word, or a run needing shaping) in ``font``, drawn on square
        pixels and resampled by (sx, sy) onto the fax grid."""
        key = (id(font), text, sx, sy)
        g = self._glyphs.get(key)
        if g is None:
            with self._lock:  # one FreeType face is not to be used by two threads at once
                self._room(font)
                g = self._glyphs[key] = _rasterise(font, text, sx, sy)
        return g

    def _word_advance(self, font: Font, word: str) -> float:
        key = (id(font), word)
        a = self._advances.get(key)
        if a is None:
            with self._lock:
                self._room(font)
                a = self._advances[key] = float(font.getlength(word))
        return a

    def advance(self, font: Font, text: str) -> float:
        """Advance width of ``text`` in (square) pixels, as :meth:`draw` moves the pen."""
        if not is_simple_text(text):
            with self._lock:
                return float(font.getlength(text))
        words = text.split(" ")
        space = self._word_advance(font, " ")
        return sum(self._word_advance(font, w) for w in words if w) + space * (len(words) - 1)

    def draw(self, ink: Ink, x_px: float, baseline_px: float, font: Font, text: str,
             sx: float = 1.0, sy: float = 1.0) -> float:
        """Draw ``text`` into ``ink`` with its pen at (x_px, baseline_px) on the fax grid.

        Returns:
            The pen's new x position.
        """
        y = round(baseline_px)
        if not is_simple_text(text):
            g = self.glyph(font, text, sx, sy)
            _paste(ink, g, round(x_px), y)
            return x_px + g.advance_px
        space = self._word_advance(font, " ") * sx
        glyphs, fid = self._glyphs, id(font)
        for i, word in enumerate(text.split(" ")):
            if i:
                x_px += space
            if word:
                g = glyphs.get((fid, word, sx, sy)) or self.glyph(font, word, sx, sy)
                _paste(ink, g, round(x_px), y)
                x_px += g.advance_px
        return x_px


GLYPHS = GlyphCache()


def _paste(ink: Ink, g: Glyph, x: int, y: int) -> None:
    top, left = y + g.dy_px, x + g.dx_px
    h, w = g.mask.shape
    rows, cols = ink.shape
    if top >= 0 and left >= 0 and top + h <= rows and left + w <= cols:  # the usual case
        region = ink[top:top + h, left:left + w]
        np.bitwise_or(region, g.mask, out=region)
        return
    r0, c0 = max(top, 0), max(left, 0)
    r1, c1 = min(top + h, rows), min(left + w, cols)
    if r1 <= r0 or c1 <= c0:
        return
    region = ink[r0:r1, c0:c1]
    np.bitwise_or(region, g.mask[r0 - top:r1 - top, c0 - left:c1 - left], out=region)
