"""Negotiable parameters of a T.30 call: modems and rates, resolutions, codings.

Implements the vocabulary of ITU-T T.30 (09/2005) Table 2 (DIS/DTC/DCS) that
the rest of :mod:`pyfax.t30` speaks in: which fast modem at which rate
(§5.3.6.2.1 bits 11-14), the fall-back order the sender walks down after a
failed training (§5.3.6.2.1 note; the order is ours, V.17 first), the
codings (bits 16 and 31) and the timers of §5.4.3.3 (T1-T5). The resolutions
(bits 15, 41-43) and recording widths (bits 17-18) are those of T.4 §2,
:class:`PageLength` the recording lengths of bits 19-20 (A4 297 mm, B4 364 mm,
unlimited),
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
    "PageLength",
    "PaperWidth",
    "Resolution",
    "Timer",
]


class Modem(enum.Enum):
    """The fast (image) modems of T.30, named as :mod:`pyfax.modem` names them."""

    V27TER = "v27ter"
    V29 = "v29"
    V17 = "v17"


class PageLength(enum.Enum):
    """Maximum recording length (T.30 Table 2 bits 19-20), in millimetres (0: none)."""

    A4 = 297
    B4 = 364
    UNLIMITED = 0

    @classmethod
    def parse(cls, value: PageLength | str) -> PageLength:
        """A member from itself or from ``"A4"``, ``"B4"`` or ``"unlimited"``.

        Raises:
            ValueError: any other value.
        """
        if isinstance(value, PageLength):
            return value
        try:
            return cls[str(value).upper()]
        except KeyError:
            raise ValueError(f"a recording length is 'A4', 'B4' or 'unlimited', not {value!r}"
                             ) from None

    def holds(self, other: PageLength) -> bool:
        """Whether paper of this length takes pages of ``other``'s length."""
        return _LENGTH_ORDER.index(other) <= _LENGTH_ORDER.index(self)


_LENGTH_ORDER = [PageLength.A4, PageLength.B4, PageLength.UNLIMITED]


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
