"""Negotiable parameters of a T.30 call: modems and rates, resolutions, codings.

Implements the vocabulary of ITU-T T.30 (09/2005) Table 2 (DIS/DTC/DCS) that
the rest of :mod:`pyfax.t30` speaks in: which fast modem at which rate
(§5.3.6.2.1 bits 11-14), the fall-back order the sender walks down after a
failed training (§5.3.6.2.1 note; the order is ours, V.17 first), the
codings (bits 16 and 31) and the timers of §5.4.3.3 (T1-T5). The resolutions
(bits 15, 41-43) and recording widths (bits 17-18) are those of T.4 §2,
:class:`~pyfax.t4.geometry.Resolution` and :class:`~pyfax.t4.geometry.PaperWidth`,
re-exported here; :mod:`pyfax.t30.dis` maps them to and from the bits.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from pyfax.t4.geometry import PaperWidth, Resolution

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
