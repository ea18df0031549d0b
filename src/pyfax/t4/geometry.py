"""Fax page geometry of ITU-T T.4 §2: scan resolutions and scan-line widths.

The one :class:`Resolution` and :class:`PaperWidth` of pyfax: page
composition (:mod:`pyfax.compose`) draws pages with them and the T.30
session (:mod:`pyfax.t30`) negotiates them, so both speak the same type.

T.4 (07/2003) §2.1-2.2 fixes the Group 3 scan line: 1728 picture elements
over 215 mm for ISO A4 at 8 pels/mm (nominally 204 dpi), 2048 over 255 mm for
B4 and 2432 over 303 mm for A3. The inch-based resolutions of §2.2 (300 and
400 pels/25.4 mm) keep those physical widths: 2592/3072/3648 elements at
300 dpi and 3456/4096/4864 at 400 dpi. The vertical resolutions are 3.85,
7.7 and 15.4 lines/mm (quoted as 98, 196 and 391 dpi), or 300/400 lines per
inch. T.30 Table 2 (DIS/DCS bits 15, 17-18 and 41-43) names the same
resolutions and widths; that bit mapping lives in :mod:`pyfax.t30`.
"""

from __future__ import annotations

import enum

__all__ = ["PaperWidth", "Resolution"]


class Resolution(enum.Enum):
    """A scan resolution of T.4 §2, valued ``(x_dpi, y_dpi)`` (nominal).

    Standard, fine and superfine are the metric R8 x 3.85/7.7/15.4 lines/mm,
    quoted in the customary 204 x 98/196/391 dpi.

    >>> Resolution.FINE.x_dpi, Resolution.FINE.y_dpi
    (204, 196)
    """

    STANDARD = (204, 98)
    FINE = (204, 196)
    SUPERFINE = (204, 391)
    R300 = (300, 300)
    R400 = (400, 400)

    @property
    def x_dpi(self) -> int:
        """Horizontal resolution in dots per inch (nominal)."""
        return int(self.value[0])

    @property
    def y_dpi(self) -> int:
        """Vertical resolution in lines per inch (nominal)."""
        return int(self.value[1])

    @property
    def a4_width_px(self) -> int:
        """Pixels in a 215 mm (A4) scan line at this resolution (T.4 §2.2).

        >>> Resolution.R400.a4_width_px
        3456
        """
        return PaperWidth.A4.width_px(self.x_dpi)

    @classmethod
    def parse(cls, value: Resolution | str) -> Resolution:
        """Accept a member or a name such as ``"fine"``, ``"r300"`` or ``"300x300"``.

        Raises:
            ValueError: the name is no resolution.

        >>> Resolution.parse("fine").y_dpi
        196
        >>> Resolution.parse("300x300") is Resolution.R300
        True
        """
        if isinstance(value, Resolution):
            return value
        key = str(value).strip().upper().replace("-", "")
        key = _ALIASES.get(key, key)
        try:
            return cls[key]
        except KeyError:
            names = ", ".join(m.name.lower() for m in cls)
            raise ValueError(f"unknown resolution {value!r} (use one of {names})") from None


_ALIASES = {"300X300": "R300", "300": "R300", "400X400": "R400", "400": "R400",
            "NORMAL": "STANDARD", "ULTRAFINE": "SUPERFINE"}
"""Other spellings :meth:`Resolution.parse` accepts, by upper-case key."""


class PaperWidth(enum.Enum):
    """The scan-line widths of T.4 §2.2, valued by pixels at R8 (204 dpi).

    >>> [w.width_px(300) for w in PaperWidth]
    [2592, 3072, 3648]
    """

    A4 = 1728
    B4 = 2048
    A3 = 2432

    @property
    def width_mm(self) -> float:
        """Physical scan-line length in millimetres (T.4 §2.2).

        >>> PaperWidth.B4.width_mm
        255.0
        """
        return _WIDTH_MM[self]

    def width_px(self, x_dpi: int) -> int:
        """Pixels per scan line at ``x_dpi`` (204, 300 or 400).

        Raises:
            ValueError: ``x_dpi`` is no T.4 horizontal resolution.

        >>> PaperWidth.A4.width_px(300)
        2592
        """
        try:
            return _WIDTH_PX[x_dpi][self]
        except KeyError:
            raise ValueError(f"{x_dpi} dpi is no T.4 horizontal resolution "
                             f"(use 204, 300 or 400)") from None

    @classmethod
    def from_px(cls, width_px: int, x_dpi: int) -> PaperWidth:
        """The paper width whose line at ``x_dpi`` has exactly ``width_px`` pixels.

        Raises:
            ValueError: no standard width has that many pixels.

        >>> PaperWidth.from_px(4096, 400)
        <PaperWidth.B4: 2048>
        """
        for w in cls:
            if w.width_px(x_dpi) == width_px:
                return w
        raise ValueError(f"{width_px} pixels is no T.4 width at {x_dpi} dpi")


# T.4 §2.2: picture elements per scan line, by horizontal dpi and width.
_WIDTH_PX: dict[int, dict[PaperWidth, int]] = {
    204: {PaperWidth.A4: 1728, PaperWidth.B4: 2048, PaperWidth.A3: 2432},
    300: {PaperWidth.A4: 2592, PaperWidth.B4: 3072, PaperWidth.A3: 3648},
    400: {PaperWidth.A4: 3456, PaperWidth.B4: 4096, PaperWidth.A3: 4864},
}

# T.4 §2.2: physical scan-line length in millimetres.
_WIDTH_MM: dict[PaperWidth, float] = {PaperWidth.A4: 215.0, PaperWidth.B4: 255.0,
                                      PaperWidth.A3: 303.0}
