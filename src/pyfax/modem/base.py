"""The contract every pyfax modem follows (streaming, sans-callback).

Transmitters are fed data bits and produce int16 samples at 8000 Hz:

    tx = V29Transmitter(9600)
    tx.put_bits(bits)          # any number of times
    tx.end_of_data()           # no more bits: send the tail, then stop
    block = tx.tx(160)         # up to 160 samples; fewer once finished

Receivers take int16 samples of any block size and return what those samples
produced: the data bits (after descrambling) and status events, each event
with the sample index (counted from the receiver's first sample) where it was
decided. State carries across blocks, so the output never depends on how the
audio was cut into blocks.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Protocol, TypeAlias

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "SAMPLE_RATE_HZ",
    "Bits",
    "ModemEvent",
    "ModemStatus",
    "Receiver",
    "RxResult",
    "Samples",
    "Transmitter",
]

SAMPLE_RATE_HZ = 8000

Samples: TypeAlias = NDArray[np.int16]
Bits: TypeAlias = NDArray[np.uint8]


class ModemStatus(enum.Enum):
    """Status changes a receiver reports (cf. spandsp's SIG_STATUS_*)."""

    CARRIER_UP = "carrier-up"
    CARRIER_DOWN = "carrier-down"
    TRAINING_SUCCEEDED = "training-succeeded"
    TRAINING_FAILED = "training-failed"


@dataclass(frozen=True, slots=True)
class ModemEvent:
    """A status change, with the receiver-relative sample index where it happened."""

    status: ModemStatus
    sample_index: int


@dataclass(slots=True)
class RxResult:
    """What one ``rx()`` call produced."""

    bits: Bits = field(default_factory=lambda: np.zeros(0, dtype=np.uint8))
    events: list[ModemEvent] = field(default_factory=list)


class Transmitter(Protocol):
    """A streaming modulator."""

    def put_bits(self, bits: Bits) -> None:
        """Queue data bits (0/1, in line order) for transmission."""

    def end_of_data(self) -> None:
        """Declare that no more bits follow; the modem sends its tail and stops."""

    def tx(self, n_samples: int) -> Samples:
        """Up to ``n_samples`` int16 samples; fewer (possibly none) once finished."""

    @property
    def done(self) -> bool:
        """True once every sample, tail included, has been returned."""


class Receiver(Protocol):
    """A streaming demodulator."""

    def rx(self, samples: Samples) -> RxResult:
        """Demodulate a block of any length; never raises on noise or garbage."""
