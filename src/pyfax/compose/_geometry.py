"""Fax page geometry: resolutions, paper sizes and their pixel dimensions.

ITU-T T.4 (07/2003) §2.1-2.2 fixes the scan line of a Group 3 page: 1728
picture elements over 215 mm for ISO A4 at 8 pels/mm (nominally 204 dpi),
2048 over 255 mm for B4 and 2432 over 303 mm for A3. The inch-based
resolutions of Annex/§2.2 (300 and 400 pels/25.4 mm) keep the same physical
widths: 2592/3072/3648 elements at 300 dpi and 3456/4096/4864 at 400 dpi.
The vertical resolutions are 3.85, 7.7 and 15.4 lines/mm (nominally 98, 196
and 391 dpi), or 300/400 lines per inch.

US Letter (215.9 x 279.4 mm) is sent on the A4 scan line (T.4 §2.2 note):
the page is as wide as A4 and as long as Letter. Page lengths here are the
paper length at the nominal vertical resolution.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

MM_PER_INCH = 25.4
PT_PER_INCH = 72.0


class Resolution(enum.Enum):
    """A fax resolution, as negotiated in T.30 (DIS/DCS bits), in nominal dpi."""

    STANDARD = (204, 98)
    FINE = (204, 196)
    SUPERFINE = (204, 391)
    R300 = (300, 300)
    R400 = (400, 400)

    @property
    def x_dpi(self) -> int:
        """Horizontal resolution in dots per inch (nominal)."""
        return self.value[0]

    @property
    def y_dpi(self) -> int:
        """Vertical resolution in lines per inch (nominal)."""
        return self.value[1]

    @classmethod
    def parse(cls, value: Resolution | str) -> Resolution:
        """Accept a member or a name such as ``"fine"``, ``"r300"`` or ``"300x300"``.

        >>> Resolution.parse("fine").y_dpi
        196
        """
        if isinstance(value, Resolution):
            return value
        key = str(value).strip().upper().replace("-", "")
        aliases = {"300X300": "R300", "300": "R300", "400X400": "R400", "400": "R400",
                   "NORMAL": "STANDARD", "ULTRAFINE": "SUPERFINE"}
        key = aliases.get(key, key)
        try:
            return cls[key]
        except KeyError:
            names = ", ".join(m.name.lower() for m in cls)
            raise ValueError(f"unknown resolution {value!r} (use one of {names})") from None


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
    def scan_class(self) -> str:
        """Which T.4 scan-line width the paper is sent on."""
        return self.value[3]

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


# T.4 §2.2: picture elements per scan line, by horizontal dpi and scan-line class.
_SCAN_LINE_PX: dict[int, dict[str, int]] = {
    204: {"a4": 1728, "b4": 2048, "a3": 2432},
    300: {"a4": 2592, "b4": 3072, "a3": 3648},
    400: {"a4": 3456, "b4": 4096, "a3": 4864},
}

# T.4 §2.2: physical scan-line length in millimetres, by scan-line class.
SCAN_WIDTH_MM = {"a4": 215.0, "b4": 255.0, "a3": 303.0}

# Regions (ISO 3166) where US Letter is the usual paper.
_LETTER_REGIONS = frozenset({"US", "CA", "MX", "PR", "PH", "CL", "CO", "CR", "GT", "PA",
                             "DO", "VE", "SV", "NI", "HN", "BZ"})


def page_width_px(paper: Paper, resolution: Resolution) -> int:
    """Scan-line length in pixels (T.4 §2.2).

    >>> page_width_px(Paper.LETTER, Resolution.FINE)
    1728
    """
    return _SCAN_LINE_PX[resolution.x_dpi][paper.scan_class]


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
