"""Line impairments for simulated calls: frozen specs of :mod:`pyfax.modem.channel`'s stages.

A call carries audio block by block, so each impairment here is a *spec* (a
frozen dataclass) whose ``stage()`` makes a fresh stateful stage of
:mod:`pyfax.modem.channel` that maps each block to a block of the same
length, carrying its state (delay line, echo history, carrier phase,
resampling position) across blocks. A loopback call builds one chain of
stages per direction. The physics lives in the channel module; this one only
checks the parameters a call may use and names them.

Stages: G.711 µ-law/A-law round trip, gain (line loss), white noise at an
absolute level, pure delay, talker echo, carrier frequency offset (Hilbert
FIR and running phasor) and sample clock offset (windowed-sinc interpolation
with an elastic buffer that slips, ITU-T G.822).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from pyfax.errors import LineError
from pyfax.modem import channel
from pyfax.modem.base import Samples
from pyfax.modem.channel import Stage

__all__ = [
    "G711",
    "ClockOffset",
    "Delay",
    "Echo",
    "FrequencyOffset",
    "Gain",
    "Impairment",
    "Noise",
    "Stage",
    "chain",
]

_MAX_CLOCK_PPM = 1000.0


class Impairment(Protocol):
    """A spec that makes fresh stages (one per call and direction)."""

    def stage(self) -> Stage: ...


@dataclass(frozen=True)
class G711:
    """G.711 coding and decoding, ``law`` ``"ulaw"`` or ``"alaw"``."""

    law: str = "alaw"

    def __post_init__(self) -> None:
        if self.law not in ("ulaw", "alaw"):
            raise LineError(f"G.711 law must be 'ulaw' or 'alaw', not {self.law!r}")

    def stage(self) -> Stage:
        if self.law == "ulaw":
            return channel.g711_ulaw_roundtrip
        return channel.g711_alaw_roundtrip


@dataclass(frozen=True)
class Gain:
    """A fixed gain (negative for line loss), in dB."""

    db: float

    def stage(self) -> Stage:
        return lambda block: channel.gain_db(block, self.db)


@dataclass(frozen=True)
class Noise:
    """White Gaussian noise, seeded, at an absolute level or at an SNR.

    Attributes:
        noise_dbm0: the noise level, when ``snr_db`` is None.
        seed: the random generator's seed.
        snr_db: signal-to-noise ratio against a signal at ``signal_dbm0``.
        signal_dbm0: the signal level the SNR refers to (a fax modem sends at
            about -14 dBm0 before line loss).
    """

    noise_dbm0: float = -50.0
    seed: int = 1
    snr_db: float | None = None
    signal_dbm0: float = -14.0

    @property
    def level_dbm0(self) -> float:
        """The noise level in dBm0.

        >>> Noise(snr_db=30, signal_dbm0=-24).level_dbm0
        -54.0
        """
        if self.snr_db is None:
            return float(self.noise_dbm0)
        return float(self.signal_dbm0 - self.snr_db)

    def stage(self) -> channel.WhiteNoise:
        return channel.WhiteNoise(self.level_dbm0, np.random.default_rng(self.seed))


@dataclass(frozen=True)
class Delay:
    """A pure transmission delay in milliseconds."""

    ms: float

    def __post_init__(self) -> None:
        if not self.ms >= 0:
            raise LineError(f"delay must not be negative, got {self.ms} ms")

    def stage(self) -> channel.DelayLine:
        return channel.DelayLine(self.ms)


@dataclass(frozen=True)
class Echo:
    """A talker echo: the signal plus a copy ``delay_ms`` later at ``level_db``."""

    delay_ms: float = 20.0
    level_db: float = -20.0

    def __post_init__(self) -> None:
        if not self.delay_ms > 0:
            raise LineError(f"echo delay must be positive, got {self.delay_ms} ms")

    def stage(self) -> channel.EchoPath:
        return channel.EchoPath(self.delay_ms, self.level_db)


@dataclass(frozen=True)
class FrequencyOffset:
    """Shift every frequency by ``hz`` (as an FDM carrier system does)."""

    hz: float

    def stage(self) -> channel.FrequencyShifter:
        return channel.FrequencyShifter(self.hz)


@dataclass(frozen=True)
class ClockOffset:
    """The far end's sample clock runs ``ppm`` parts per million fast."""

    ppm: float

    def __post_init__(self) -> None:
        if not abs(self.ppm) <= _MAX_CLOCK_PPM:
            raise LineError(f"clock offset {self.ppm} ppm is out of range (±1000)")

    def stage(self) -> channel.ClockDrift:
        return channel.ClockDrift(self.ppm)


def chain(impairments: Sequence[Impairment]) -> Stage:
    """One stage applying ``impairments`` in order (fresh state)."""
    stages = [imp.stage() for imp in impairments]

    def run(block: Samples) -> Samples:
        out = np.asarray(block, dtype=np.int16)
        for s in stages:
            out = s(out)
        return out
    return run
