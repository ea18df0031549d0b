"""Small shared DSP helpers for the pyfax modems: levels, saturation, streaming FIR.

Levels follow spandsp's dBm0 convention (``telephony.h``), so that pyfax and
spandsp levels compare directly: a full-scale int16 sine (peak 32767) is
+3.14 dBm0 (``DBM0_MAX_SINE_POWER``), and the level of any signal is that of
the sine with the same mean power, so a full-scale square wave is +6.16 dBm0.

``StreamingFir`` keeps its delay line between calls (scipy's ``zi``/``zf``),
so filtering a signal in blocks of any size gives the same output as filtering
it whole.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import signal

__all__ = [
    "DBM0_MAX_POWER",
    "DBM0_MAX_SINE_POWER",
    "FULL_SCALE",
    "StreamingFir",
    "amplitude_to_dbm0",
    "dbm0_to_amplitude",
    "dbm0_to_rms",
    "power_dbm0",
    "rms_to_dbm0",
    "to_int16",
]

FULL_SCALE = 32767.0
"""Peak amplitude of a full-scale int16 sine."""

DBM0_MAX_SINE_POWER = 3.14
"""Level of a full-scale int16 sine, in dBm0 (spandsp ``DBM0_MAX_SINE_POWER``)."""

DBM0_MAX_POWER = DBM0_MAX_SINE_POWER + 3.02
"""Level of a full-scale int16 square wave, in dBm0 (spandsp ``DBM0_MAX_POWER``)."""


def dbm0_to_amplitude(level_dbm0: float) -> float:
    """Peak amplitude (int16 units) of a sine at ``level_dbm0``.

    >>> round(dbm0_to_amplitude(3.14))
    32767
    >>> round(dbm0_to_amplitude(-10.0))
    7218
    """
    return float(FULL_SCALE * 10.0 ** ((level_dbm0 - DBM0_MAX_SINE_POWER) / 20.0))


def amplitude_to_dbm0(peak: float) -> float:
    """Level in dBm0 of a sine with peak amplitude ``peak`` (int16 units).

    >>> round(amplitude_to_dbm0(32767.0), 2)
    3.14
    """
    if peak <= 0.0:
        return -math.inf
    return DBM0_MAX_SINE_POWER + 20.0 * math.log10(peak / FULL_SCALE)


def dbm0_to_rms(level_dbm0: float) -> float:
    """RMS value (int16 units) of any signal at ``level_dbm0``.

    >>> round(dbm0_to_rms(3.14) * math.sqrt(2))
    32767
    """
    return dbm0_to_amplitude(level_dbm0) / math.sqrt(2.0)


def rms_to_dbm0(rms: float) -> float:
    """Level in dBm0 of a signal with RMS value ``rms`` (int16 units).

    >>> round(rms_to_dbm0(32767.0), 2)
    6.15
    """
    return amplitude_to_dbm0(rms * math.sqrt(2.0))


def power_dbm0(samples: ArrayLike) -> float:
    """Measured mean power of ``samples`` (int16 units), in dBm0; -inf when silent."""
    x = np.asarray(samples, dtype=np.float64)
    if x.size == 0:
        return -math.inf
    return rms_to_dbm0(float(np.sqrt(np.mean(x * x))))


def to_int16(x: ArrayLike) -> NDArray[np.int16]:
    """Round and saturate float samples to int16.

    >>> to_int16([1.4, -1.6, 40000.0, -40000.0]).tolist()
    [1, -2, 32767, -32768]
    """
    y = np.rint(np.asarray(x, dtype=np.float64))
    return np.clip(y, -32768.0, 32767.0).astype(np.int16)


class StreamingFir:
    """An FIR filter whose delay line carries across calls.

    Args:
        taps: the impulse response (real).
        complex_input: True to filter complex signals.
    """

    def __init__(self, taps: ArrayLike, *, complex_input: bool = False) -> None:
        self.taps: NDArray[np.float64] = np.asarray(taps, dtype=np.float64)
        dtype = np.complex128 if complex_input else np.float64
        self.state = np.zeros(max(len(self.taps) - 1, 0), dtype=dtype)

    def __call__(self, x: ArrayLike) -> NDArray[Any]:
        """Filter the next block and return the same number of output samples."""
        block = np.asarray(x, dtype=self.state.dtype)
        if block.size == 0 or self.state.size == 0:
            return block * (self.taps[0] if self.taps.size else 0.0)
        y, self.state = signal.lfilter(self.taps, 1.0, block, zi=self.state)
        return np.asarray(y)

    def reset(self) -> None:
        """Clear the delay line."""
        self.state[:] = 0
