"""Fax page geometry: paper sizes and their pixel dimensions at a resolution.

The resolutions and the T.4 §2.2 scan-line widths (A4 215 mm, B4 255 mm,
A3 303 mm) are :class:`pyfax.t4.geometry.Resolution` and
:class:`~pyfax.t4.geometry.PaperWidth`, shared with :mod:`pyfax.t30`; this
module adds the paper sizes in millimetres, which scan line each is sent on,
and the page frame in pixels and points.

US Letter (215.9 x 279.4 mm) is sent on the A4 scan line (T.4 §2.2 note):
the page is as wide as A4 and as long as Letter. Page lengths here are the
paper length at the nominal vertical resolution.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from pyfax.t4.geometry import PaperWidth, Resolution

MM_PER_INCH = 25.4
PT_PER_INCH = 72.0


class Paper(enum.Enum):
    """A paper size: (name, width_mm, length_mm, T.4 scan-line class)."""

    A4 = ("a4", 210.0, 297.0, "a4")
    LETTER = ("letter", 215.9, 279.4, "a4")
    B4 = ("b4", 250.0, 353.0, "b4")
    A3 = ("a3", 297.0, 420.0, "a3")

    @property
    def width_mm(self) -> float:
        """Paper width in millimetres."""
        return self.value[1]

    @property
    def length_mm(self) -> float:
        """Paper length in millimetres."""
        return self.value[2]

    @property
    def scan_width(self) -> PaperWidth:
        """Which T.4 scan-line width the paper is sent on.

        >>> Paper.LETTER.scan_width
        <PaperWidth.A4: 1728>
        """
        return PaperWidth[self.value[3].upper()]

    @classmethod
    def parse(cls, value: Paper | str) -> Paper:
        """Accept a member or a name such as ``"a4"`` or ``"Letter"``.

        >>> Paper.parse("Letter")
        <Paper.LETTER: ('letter', 215.9, 279.4, 'a4')>
        """
        if isinstance(value, Paper):
            return value
        try:
            return cls[str(value).strip().upper()]
        except KeyError:
            names = ", ".join(m.name.lower() for m in cls)
            raise ValueError(f"unknown paper {value!r} (use one of {names})") from None


# Regions (ISO 3166) where US Letter is the usual paper.
_LETTER_REGIONS = frozenset({"US", "CA", "MX", "PR", "PH", "CL", "CO", "CR", "GT", "PA",
                             "DO", "VE", "SV", "NI", "HN", "BZ"})


def page_width_px(paper: Paper, resolution: Resolution) -> int:
    """Scan-line length in pixels (T.4 §2.2).

    >>> page_width_px(Paper.LETTER, Resolution.FINE)
    1728
    """
    return paper.scan_width.width_px(resolution.x_dpi)


def page_height_px(paper: Paper, resolution: Resolution) -> int:
    """Page length in scan lines: the paper length at the vertical resolution.

    >>> page_height_px(Paper.A4, Resolution.FINE)
    2292
    """
    return round(paper.length_mm / MM_PER_INCH * resolution.y_dpi)


def paper_for_locale(locale: str | None) -> Paper:
    """The default paper for a locale such as ``"en_US"``, ``"fr-CA"`` or ``"US"``.

    >>> paper_for_locale("en_US.UTF-8"), paper_for_locale("nl_BE")
    (<Paper.LETTER: ('letter', 215.9, 279.4, 'a4')>, <Paper.A4: ('a4', 210.0, 297.0, 'a4')>)
    """
    if not locale:
        return Paper.A4
    base = re.split(r"[.@]", locale.strip())[0]
    parts = re.split(r"[_-]", base)
    region = parts[-1].upper() if len(parts) > 1 else parts[0].upper()
    return Paper.LETTER if region in _LETTER_REGIONS else Paper.A4


@dataclass(frozen=True)
class Frame:
    """The pixel frame of one page at one resolution.

    Attributes:
        paper: the paper size.
        resolution: the fax resolution.
        width_px: scan-line length in pixels.
        height_px: page length in scan lines.
        header_rows: rows at the top reserved for the header line (0 without one).
    """

    paper: Paper
    resolution: Resolution
    width_px: int
    height_px: int
    header_rows: int

    @classmethod
    def make(cls, paper: Paper, resolution: Resolution, header_mm: float) -> Frame:
        """Frame for ``paper`` at ``resolution`` with a header band ``header_mm`` tall."""
        rows = round(header_mm / MM_PER_INCH * resolution.y_dpi)
        return cls(paper, resolution, page_width_px(paper, resolution),
                   page_height_px(paper, resolution), rows)

    @property
    def width_pt(self) -> float:
        """Scan-line length in points (1/72 inch)."""
        return self.width_px / self.resolution.x_dpi * PT_PER_INCH

    @property
    def height_pt(self) -> float:
        """Page length in points."""
        return self.height_px / self.resolution.y_dpi * PT_PER_INCH
