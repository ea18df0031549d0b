"""Types shared by the T.4/T.6 codec: schemes, bit orders, pages, reports.

``Scheme`` names the three codings of ITU-T T.4 clause 4.1 (MH), 4.2 (MR) and
T.6 (MMR); ``BitOrder`` says how bits sit in a byte (T.4 sends the first bit
of a line first; TIFF FillOrder 1 stores it in the MSB, a modem's line order
puts it in the LSB). Strings are accepted wherever an Enum is, as aliases.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np
from numpy.typing import NDArray

from pyfax.errors import T4Error

Page = NDArray[np.bool_]
"""A bilevel page, shape (rows, width_px), True = black."""


class Scheme(Enum):
    """Page coding scheme."""

    MH = "MH"
    """T.4 one-dimensional modified Huffman (clause 4.1)."""
    MR = "MR"
    """T.4 two-dimensional modified READ with parameter K (clause 4.2)."""
    MMR = "MMR"
    """T.6 modified modified READ: no EOL, ends with EOFB."""

    @classmethod
    def parse(cls, value: Scheme | str) -> Scheme:
        """The scheme for an Enum member or its name ("MH", "MR", "MMR").

        >>> Scheme.parse("mmr")
        <Scheme.MMR: 'MMR'>
        """
        if isinstance(value, Scheme):
            return value
        try:
            return cls(str(value).upper())
        except ValueError:
            raise T4Error(f"unknown coding scheme {value!r}; use MH, MR or MMR") from None


class BitOrder(Enum):
    """Where the first bit of the stream sits in each byte."""

    MSB = "msb"
    """First bit in the most significant bit (TIFF FillOrder=1)."""
    LSB = "lsb"
    """First bit in the least significant bit (line order, as a modem sends)."""

    @classmethod
    def parse(cls, value: BitOrder | str) -> BitOrder:
        """The bit order for an Enum member or its name ("msb", "lsb").

        >>> BitOrder.parse("LSB")
        <BitOrder.LSB: 'lsb'>
        """
        if isinstance(value, BitOrder):
            return value
        try:
            return cls(str(value).lower())
        except ValueError:
            raise T4Error(f"unknown bit order {value!r}; use 'msb' or 'lsb'") from None


@dataclass(frozen=True)
class DecodeReport:
    """What a tolerant (non-ECM receiver) decode found.

    Attributes:
        image: the decoded page, (rows, width_px) bool, True = black; damaged
            rows are concealed by repeating the row above (white for row 0).
        damaged_lines: 0-based indices of the rows that were damaged.
        bytes_consumed: bytes of input up to and including the end of page
            (RTC or EOFB), or all of it when no end of page was found.
        end_of_page: whether RTC (MH/MR) or EOFB (MMR) was found.
    """

    image: Page
    damaged_lines: tuple[int, ...]
    bytes_consumed: int
    end_of_page: bool


@dataclass(frozen=True)
class TiffPage:
    """One bilevel page read from a TIFF file.

    Attributes:
        image: the page, (rows, width_px) bool, True = black.
        xres_dpi: horizontal resolution in dots per inch.
        yres_dpi: vertical resolution in dots per inch.
    """

    image: Page
    xres_dpi: float
    yres_dpi: float
