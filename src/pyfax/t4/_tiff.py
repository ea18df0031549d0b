"""TIFF reading (any TIFF, via Pillow) and TIFF Class F writing.

Writing follows TIFF 6.0 section 11 and the Class F profile (TIFF-F): one
strip per page, coded G3 1-D (Compression 3, T4Options 0), G3 2-D
(Compression 3, T4Options bit 0) or G4 (Compression 4, T6Options 0),
PhotometricInterpretation 0 (MinIsWhite), FillOrder 1, XResolution and
YResolution in dots per inch, NewSubfileType 2 and PageNumber on every
page. The strips are coded by :mod:`pyfax.t4` itself; MR uses K = 4 above
150 dpi vertically and K = 2 otherwise (T.4 clause 4.2.1).

Reading hands the file to Pillow, so any compression and any number of
pages works; pages that are not bilevel are converted to grey and dithered
(Floyd-Steinberg) to bilevel. Resolution comes from XResolution,
YResolution and ResolutionUnit (inch by default, centimetre converted); a
file without one, or with no absolute unit, is taken as fax fine, 204 x 196.
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Iterable
from fractions import Fraction
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageSequence, UnidentifiedImageError

from pyfax.errors import T4EncodeError, TiffError
from pyfax.t4._encode import check_page, encode_page
from pyfax.t4._types import BitOrder, Page, Scheme, TiffPage

DEFAULT_XRES_DPI = 204.0
DEFAULT_YRES_DPI = 196.0

_SHORT, _LONG, _RATIONAL = 3, 4, 5
_COMPRESSION = {Scheme.MH: 3, Scheme.MR: 3, Scheme.MMR: 4}


def read_tiff(source: str | os.PathLike[str] | bytes | BinaryIO) -> list[TiffPage]:
    """Read every page of a TIFF (any compression) as a bilevel page.

    Args:
        source: a path, the file's bytes, or a binary file object.

    Returns:
        One :class:`TiffPage` per page, with its resolution in dpi (204 x 196
        when the file gives none).

    Raises:
        TiffError: the file cannot be read as an image.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        source = io.BytesIO(bytes(source))
    try:
        with Image.open(source) as image:
            return [_page_of(frame) for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as e:
        raise TiffError(f"cannot read TIFF: {e}") from e


def _resolution_dpi(frame: Image.Image) -> tuple[float, float]:
    """The frame's resolution in dpi; fax fine when absent or without a unit."""
    tags = getattr(frame, "tag_v2", None)
    if tags is not None:
        xres, yres = float(tags.get(282, 0)), float(tags.get(283, 0))
        per_inch = {2: 1.0, 3: 2.54}.get(int(tags.get(296, 2)), 0.0)  # TIFF default: inch
        xres, yres = xres * per_inch, yres * per_inch
    else:
        dpi = frame.info.get("dpi") or (0.0, 0.0)
        xres, yres = float(dpi[0]), float(dpi[1])
    if xres > 0 and yres > 0:
        return xres, yres
    return DEFAULT_XRES_DPI, DEFAULT_YRES_DPI


def _page_of(frame: Image.Image) -> TiffPage:
    xres, yres = _resolution_dpi(frame)
    bilevel = frame if frame.mode == "1" else frame.convert("L").convert("1")
    image = ~np.asarray(bilevel, dtype=bool)
    return TiffPage(np.ascontiguousarray(image), xres, yres)


def write_tiff(
    path: str | os.PathLike[str] | BinaryIO,
    pages_or_images: Iterable[TiffPage | Page] | Page,
    scheme: Scheme | str = Scheme.MH,
    xres_dpi: float = DEFAULT_XRES_DPI,
    yres_dpi: float = DEFAULT_YRES_DPI,
) -> None:
    """Write pages as a multi-page TIFF Class F file.

    Args:
        path: where to write (a path or a binary file object).
        pages_or_images: the pages; a :class:`TiffPage` keeps its own
            resolution, a bare image gets ``xres_dpi`` x ``yres_dpi``.
        scheme: "MH" (G3 1-D), "MR" (G3 2-D) or "MMR" (G4).
        xres_dpi: horizontal resolution for bare images, dots per inch.
        yres_dpi: vertical resolution for bare images, dots per inch.

    Raises:
        TiffError: no pages, an empty page, or a resolution that is not positive.
        T4EncodeError: a page is not a 2-D bool array.
    """
    coding = Scheme.parse(scheme)
    if isinstance(pages_or_images, np.ndarray) and pages_or_images.ndim == 2:
        pages_or_images = [pages_or_images]
    pages = [
        p if isinstance(p, TiffPage) else TiffPage(check_page(p), xres_dpi, yres_dpi)
        for p in pages_or_images
    ]
    if not pages:
        raise TiffError("a TIFF file needs at least one page")
    blob = _tiff_bytes(pages, coding)
    if isinstance(path, str | os.PathLike):
        with open(path, "wb") as f:
            f.write(blob)
    else:
        path.write(blob)


def _tiff_bytes(pages: list[TiffPage], scheme: Scheme) -> bytes:
    out = bytearray(b"II*\x00\x00\x00\x00\x00")
    link = 4  # where the offset of the next IFD goes
    for number, page in enumerate(pages):
        strip = _strip(page, scheme)
        strip_at = len(out)
        out += strip + b"\x00" * (len(strip) & 1)
        ifd_at = len(out)
        struct.pack_into("<I", out, link, ifd_at)
        entries, extra = _entries(page, scheme, strip_at, len(strip), number, len(pages))
        extra_at = ifd_at + 2 + 12 * len(entries) + 4
        out += struct.pack("<H", len(entries))
        for tag, kind, count, value in entries:
            if kind == _RATIONAL:
                value, extra_at = extra_at, extra_at + 8
            out += struct.pack("<HHI", tag, kind, count)
            if isinstance(value, tuple):
                out += struct.pack("<HH", *value)
            else:
                out += struct.pack("<I", value)
        link = len(out)
        out += b"\x00\x00\x00\x00"
        out += extra
    return bytes(out)


def _strip(page: TiffPage, scheme: Scheme) -> bytes:
    image = check_page(page.image)
    if image.shape[0] == 0:
        raise TiffError("a TIFF page needs at least one row")
    if not (page.xres_dpi > 0 and page.yres_dpi > 0):
        raise TiffError(f"resolution must be positive, not {page.xres_dpi} x {page.yres_dpi}")
    k = 4 if page.yres_dpi > 150 else 2
    try:
        return encode_page(image, scheme, k, False, 0, BitOrder.MSB)
    except T4EncodeError as e:
        raise TiffError(f"cannot code page: {e}") from e


def _rational(value: float) -> bytes:
    f = Fraction(value).limit_denominator(10000)
    return struct.pack("<II", f.numerator, f.denominator)


def _entries(
    page: TiffPage, scheme: Scheme, strip_at: int, strip_len: int, number: int, total: int
) -> tuple[list[tuple[int, int, int, object]], bytes]:
    rows, width = page.image.shape
    options_tag = 293 if scheme is Scheme.MMR else 292
    options = 1 if scheme is Scheme.MR else 0
    entries: list[tuple[int, int, int, object]] = [
        (254, _LONG, 1, 2),  # NewSubfileType: one page of a multi-page document
        (256, _LONG, 1, width),
        (257, _LONG, 1, rows),
        (258, _SHORT, 1, 1),  # BitsPerSample
        (259, _SHORT, 1, _COMPRESSION[scheme]),
        (262, _SHORT, 1, 0),  # PhotometricInterpretation: MinIsWhite
        (266, _SHORT, 1, 1),  # FillOrder: MSB first
        (273, _LONG, 1, strip_at),
        (277, _SHORT, 1, 1),  # SamplesPerPixel
        (278, _LONG, 1, rows),  # RowsPerStrip
        (279, _LONG, 1, strip_len),
        (282, _RATIONAL, 1, None),
        (283, _RATIONAL, 1, None),
        (options_tag, _LONG, 1, options),
        (296, _SHORT, 1, 2),  # ResolutionUnit: inch
        (297, _SHORT, 2, (number, total)),  # PageNumber
    ]
    return entries, _rational(page.xres_dpi) + _rational(page.yres_dpi)
