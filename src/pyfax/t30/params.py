"""Negotiable parameters of a T.30 call: modems and rates, resolutions, codings.

Implements the vocabulary of ITU-T T.30 (09/2005) Table 2 (DIS/DTC/DCS) that
the rest of :mod:`pyfax.t30` speaks in: which fast modem at which rate
(§5.3.6.2.1 bits 11-14), the fall-back order the sender walks down after a
failed training (§5.3.6.2.1 note; the order is ours, V.17 first), the
resolutions (bits 15, 41-43), the codings (bits 16 and 31) and the timers of
§5.4.3.3 (T1-T5).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = [
    "FALLBACK_SEQUENCE",
    "Compression",
    "Modem",
    "ModemRate",
    "PaperWidth",
    "Resolution",
    "Timer",
]


class Modem(enum.Enum):
    """The fast (image) modems of T.30, named as :mod:`pyfax.modem` names them."""

    V27TER = "v27ter"
    V29 = "v29"
    V17 = "v17"


@dataclass(frozen=True, slots=True)
class ModemRate:
    """A fast modem at one bit rate, e.g. ``ModemRate(Modem.V17, 14400)``."""

    modem: Modem
    rate_bps: int

    def __str__(self) -> str:
        return f"{self.modem.value}/{self.rate_bps}"


FALLBACK_SEQUENCE: tuple[ModemRate, ...] = (
    ModemRate(Modem.V17, 14400),
    ModemRate(Modem.V17, 12000),
    ModemRate(Modem.V17, 9600),
    ModemRate(Modem.V17, 7200),
    ModemRate(Modem.V29, 9600),
    ModemRate(Modem.V29, 7200),
    ModemRate(Modem.V27TER, 4800),
    ModemRate(Modem.V27TER, 2400),
)
"""The order in which a sender tries rates: fastest first (T.30 §5.3.6.2.1)."""


class Resolution(enum.Enum):
    """Scan resolutions of T.30 Table 2, valued ``(x_dpi, y_dpi)`` (nominal).

    Standard, fine and superfine are the metric R8 x 3.85/7.7/15.4 lines/mm,
    quoted in the customary 204 x 98/196/391 dpi.
    """

    STANDARD = (204, 98)
    FINE = (204, 196)
    SUPERFINE = (204, 391)
    R300 = (300, 300)
    R400 = (400, 400)

    @property
    def x_dpi(self) -> int:
        """Horizontal resolution in dots per inch."""
        return self.value[0]

    @property
    def y_dpi(self) -> int:
        """Vertical resolution in dots per inch."""
        return self.value[1]

    @property
    def a4_width_px(self) -> int:
        """Pixels in a 215 mm (A4) scan line at this resolution (T.4 §2.2)."""
        return {204: 1728, 300: 2592, 400: 3456}[self.x_dpi]


class Compression(enum.Enum):
    """One-dimensional, two-dimensional (T.4) and T.6 coding; values are
    the scheme names :mod:`pyfax.t4` takes."""

    MH = "MH"
    MR = "MR"
    MMR = "MMR"


class Timer(enum.Enum):
    """The T.30 timers (§5.4.3.3), valued by their nominal duration in seconds."""

    T1 = 35.0
    """Both terminals identify each other within this time (phase B)."""
    T2 = 6.0
    """A terminal waiting for a command."""
    T3 = 10.0
    """Procedural interrupt (operator)."""
    T4 = 3.0
    """A terminal waiting for a response to its command."""
    T5 = 60.0
    """ECM: receiver not ready (RR/RNR)."""

    @property
    def duration_s(self) -> float:
        """Nominal duration of the timer in seconds."""
        return self.value


class PaperWidth(enum.Enum):
    """Recording widths of T.4 §2.2 / T.30 bits 17-18, valued by pixels at R8."""

    A4 = 1728
    B4 = 2048
    A3 = 2432

    def width_px(self, x_dpi: int) -> int:
        """Pixels per scan line at ``x_dpi`` (204, 300 or 400).

        >>> PaperWidth.A4.width_px(300)
        2592
        """
        scale = {204: (1, 1), 300: (3, 2), 400: (2, 1)}[x_dpi]
        return self.value * scale[0] // scale[1]

    @classmethod
    def from_px(cls, width_px: int, x_dpi: int) -> PaperWidth:
        """The paper width whose line at ``x_dpi`` has exactly ``width_px`` pixels.

        Raises:
            ValueError: no standard width has that many pixels.
        """
        for w in cls:
            if w.width_px(x_dpi) == width_px:
                return w
        raise ValueError(f"{width_px} pixels is no T.4 width at {x_dpi} dpi")
