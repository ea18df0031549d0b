"""Fonts for body text and header lines, with per-character fallback.

Each text style (regular, bold, monospace) has a *chain* of faces: Debian's
DejaVu (package ``fonts-dejavu-core``) first when installed, then any
well-known fallback fonts that are present (Noto, Droid, WenQuanYi, FreeFont,
Unifont), then fonts the caller adds, and finally Pillow's built-in scalable
default font, so a missing font never stops a fax. Each character is drawn
with the first face whose ``cmap`` covers it; a character no face covers is
drawn as its base letter when it has one (``e`` for ``é``), else as U+FFFD
(or ``?``), and reported, so the Document can carry a warning.
"""

from __future__ import annotations

import enum
import functools
import io
import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import ImageFont

from pyfax.compose._cmap import codepoints

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
BUILTIN = "<pillow built-in>"


class Style(enum.Enum):
    """A text style; each maps to its own font chain."""

    REGULAR = "regular"
    BOLD = "bold"
    MONO = "mono"


_DEJAVU_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu",
                "/usr/share/fonts/TTF", "/usr/local/share/fonts")
_DEJAVU_FILES = {Style.REGULAR: "DejaVuSans.ttf", Style.BOLD: "DejaVuSans-Bold.ttf",
                 Style.MONO: "DejaVuSansMono.ttf"}
_FALLBACKS = (
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
    "/usr/share/fonts/truetype/unifont/unifont.ttf",
)


@dataclass(frozen=True)
class Face:
    """One font file (or Pillow's built-in font) and the code points it covers."""

    source: str
    coverage: frozenset[int] = field(repr=False)

    def font(self, size_px: float) -> Font:
        """The face at ``size_px`` pixels per em (cached)."""
        return _load(self.source, round(size_px * 64) / 64)  # FreeType sizes are 26.6


@functools.lru_cache(maxsize=256)
def _load(source: str, size_px: float) -> Font:
    if source == BUILTIN:
        return ImageFont.load_default(size=size_px)
    return ImageFont.truetype(source, size_px, index=0)


@functools.lru_cache(maxsize=64)
def _face(source: str) -> Face | None:
    """Read a face's coverage; ``None`` when the file cannot be used as a font."""
    if source == BUILTIN:
        default = ImageFont.load_default(size=12)
        raw = getattr(default, "font_bytes", b"")
        cover = codepoints(raw) if raw else frozenset(range(0x20, 0x7F))
        return Face(BUILTIN, cover or frozenset(range(0x20, 0x7F)))
    try:
        raw = Path(source).read_bytes()
        ImageFont.truetype(io.BytesIO(raw), 12)
    except OSError:
        return None
    return Face(source, codepoints(raw) or frozenset(range(0x20, 0x7F)))


def _dejavu(style: Style) -> str | None:
    for directory in _DEJAVU_DIRS:
        path = os.path.join(directory, _DEJAVU_FILES[style])
        if os.path.isfile(path):
            return path
    return None


@functools.lru_cache(maxsize=32)
def font_chain(style: Style, extra: tuple[str, ...] = ()) -> tuple[Face, ...]:
    """The faces tried in order for ``style``; never empty (ends with the built-in font)."""
    sources: list[str] = []
    own = _dejavu(style)
    if own is not None:
        sources.append(own)
    if style is not Style.REGULAR:
        regular = _dejavu(Style.REGULAR)
        if regular is not None:
            sources.append(regular)
    sources += [p for p in _FALLBACKS if os.path.isfile(p)]
    sources += list(extra)
    sources.append(BUILTIN)
    faces = [_face(s) for s in dict.fromkeys(sources)]
    return tuple(f for f in faces if f is not None)


@dataclass
class Resolver:
    """Maps characters to faces of a chain, collecting characters no face has."""

    chain: Sequence[Face]
    missing: set[str] = field(default_factory=set)
    _cache: dict[str, tuple[int, str]] = field(default_factory=dict)

    def resolve(self, ch: str) -> tuple[int, str]:
        """(face index, character to draw) for ``ch``; a replacement when no face has it."""
        hit = self._cache.get(ch)
        if hit is not None:
            return hit
        # any space is drawn as " "
        result = (0, " ") if unicodedata.category(ch) == "Zs" else self._in_face(ch)
        if result is None:
            self.missing.add(ch)
            result = self._base_letter(ch) or self._in_face("\ufffd") or (0, "?")
        self._cache[ch] = result
        return result

    def _in_face(self, ch: str) -> tuple[int, str] | None:
        """(index of the first face that has ``ch``, ``ch``), or None when none has it."""
        cp = ord(ch)
        return next(((i, ch) for i, face in enumerate(self.chain) if cp in face.coverage), None)

    def _base_letter(self, ch: str) -> tuple[int, str] | None:
        """``e`` for ``é`` and the like, when a face has the letter without its accent."""
        base = unicodedata.normalize("NFKD", ch)[:1]
        if not base or base == ch:
            return None
        return self._in_face(base)
