"""pyfax.t4: the page codec of ITU-T T.4 (MH, MR) and T.6 (MMR), and TIFF Class F.

Pages are 2-D numpy bool arrays, True = black. Streams are bytes, first bit
in the MSB (TIFF FillOrder 1) unless ``bit_order="lsb"`` (line order, as a
modem sends them).

Where the stream differs from libtiff's for the same options (the rest is
bit for bit the same; ``tests/t4/test_t4_libtiff.py`` proves it): pyfax ends
MH/MR pages with RTC (T.4 clause 4.1.4; MR's with tag bits 1), libtiff 4.5
writes none in TIFF strips (older versions wrote tag bits 0 when the row count
was not a multiple of K); with ``byte_align_eol`` pyfax aligns RTC's EOLs too;
pyfax takes MR's K as a parameter, libtiff derives it from the resolution.
The decoder accepts all of these variants.

>>> import numpy as np
>>> page = np.zeros((4, 1728), dtype=bool); page[1:3, 100:200] = True
>>> all((decode(encode(page, scheme=s), 1728, scheme=s) == page).all() for s in Scheme)
True
"""

from __future__ import annotations

from pyfax.errors import T4Error
from pyfax.t4._decode import decode_stream
from pyfax.t4._encode import encode_page
from pyfax.t4._tiff import read_tiff, write_tiff
from pyfax.t4._types import BitOrder, DecodeReport, Page, Scheme, TiffPage
from pyfax.t4.geometry import PaperWidth, Resolution

__all__ = [
    "DEFAULT_MAX_ROWS",
    "MAX_DECODE_WIDTH_PX",
    "BitOrder",
    "DecodeReport",
    "Page",
    "PaperWidth",
    "Resolution",
    "Scheme",
    "TiffPage",
    "decode",
    "decode_report",
    "encode",
    "read_tiff",
    "write_tiff",
]

DEFAULT_MAX_ROWS = 32768
"""Longest page the decoders accept (rows); A4 at 400 dpi is 4677 rows."""
MAX_DECODE_WIDTH_PX = 16384
"""Widest line the decoders accept (T.4's widest, A3 at 1200 dpi, is 14592)."""


def encode(
    image: Page,
    scheme: Scheme | str = Scheme.MH,
    k: int = 2,
    byte_align_eol: bool = False,
    min_bits_per_line: int = 0,
    bit_order: BitOrder | str = BitOrder.MSB,
) -> bytes:
    """Code a bilevel page as one T.4 (MH, MR) or T.6 (MMR) page stream.

    MH and MR put an EOL before every line and RTC after the last one; MR
    codes every K-th line (0, K, 2K, ...) in 1-D and tags each EOL with the
    next line's coding. MMR has no EOL and ends with EOFB, then zero bits to
    a byte boundary; it ignores ``byte_align_eol`` and ``min_bits_per_line``,
    since T.6 has no fill.

    Args:
        image: (rows, width_px) array, True (or non-zero) = black.
        scheme: "MH", "MR" or "MMR" (or a :class:`Scheme`).
        k: MR's parameter K, at most K-1 2-D lines after each 1-D line
            (T.4 clause 4.2.1: 2 at standard, 4 at fine resolution).
        byte_align_eol: add fill so that every EOL (RTC's too) ends on a
            byte boundary (TIFF T4Options bit 2).
        min_bits_per_line: the least bits of data + fill + EOL per line
            (minimum scan line time x bit rate, T.4 clause 4.1.3).
        bit_order: "msb" (TIFF FillOrder 1) or "lsb" (line order).

    Returns:
        The coded page.

    Raises:
        T4EncodeError: the image is not a 2-D numeric array, or an option
            is out of range.
    """
    return encode_page(
        image,
        Scheme.parse(scheme),
        k,
        byte_align_eol,
        min_bits_per_line,
        BitOrder.parse(bit_order),
    )


def decode(
    data: bytes,
    width: int,
    scheme: Scheme | str = Scheme.MH,
    strict: bool = True,
    bit_order: BitOrder | str = BitOrder.MSB,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> Page:
    """Decode one page stream into a bilevel page.

    Decoding stops at RTC (MH, MR) or EOFB (MMR) and returns exactly the
    rows coded before it. With ``strict=False`` damaged lines are concealed
    (see :func:`decode_report`, which also says which ones).

    Args:
        data: the coded page.
        width: the page width in pixels.
        scheme: "MH", "MR" or "MMR" (or a :class:`Scheme`).
        strict: raise on the first fault instead of concealing it.
        bit_order: "msb" (TIFF FillOrder 1) or "lsb" (line order).
        max_rows: refuse pages longer than this many rows.

    Returns:
        (rows, width) bool array, True = black.

    Raises:
        T4DecodeError: (strict) the stream is corrupt or has no RTC/EOFB, or
            (always) the page is longer than ``max_rows``; it names the line
            and bit offset.
    """
    return decode_report(data, width, scheme, bit_order, strict=strict, max_rows=max_rows).image


def decode_report(
    data: bytes,
    width: int,
    scheme: Scheme | str = Scheme.MH,
    bit_order: BitOrder | str = BitOrder.MSB,
    *,
    strict: bool = False,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> DecodeReport:
    """Decode tolerantly, as a non-ECM receiver does, and report the damage.

    MH/MR resynchronise at the next EOL after a damaged line; MMR, which has
    no EOL, stops at the first damaged line. Each damaged line is concealed
    by repeating the line above (white for the first).

    Args:
        data: the coded page.
        width: the page width in pixels.
        scheme: "MH", "MR" or "MMR" (or a :class:`Scheme`).
        bit_order: "msb" (TIFF FillOrder 1) or "lsb" (line order).
        strict: raise on the first fault instead (as :func:`decode`).
        max_rows: refuse pages longer than this many rows.

    Returns:
        The image, the damaged line numbers, the bytes consumed up to the
        end of page, and whether the end of page (RTC/EOFB) was found.

    Raises:
        T4DecodeError: the page is longer than ``max_rows`` (or, with
            ``strict``, any fault).
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise T4Error(f"coded data must be bytes, not {type(data).__name__}")
    if not 1 <= width <= MAX_DECODE_WIDTH_PX:
        raise T4Error(f"width must be 1 to {MAX_DECODE_WIDTH_PX} pixels, not {width}")
    return decode_stream(
        bytes(data), width, Scheme.parse(scheme), strict, BitOrder.parse(bit_order), max_rows
    )
