"""Line impairments for simulated calls, as streaming stages.

The functions of :mod:`pyfax.modem.channel` work on whole signals. A call
carries audio block by block, so each impairment here is a *spec* (a frozen
dataclass) whose ``stage()`` makes a fresh stateful stage that maps each
block to a block of the same length, carrying its state (delay line, echo
history, carrier phase, resampling position) across blocks. A loopback call
builds one chain of stages per direction.

Stages: G.711 µ-law/A-law round trip, gain (line loss), white noise at an
absolute level, pure delay, talker echo, carrier frequency offset (a Hilbert
FIR makes the analytic signal, then a running phasor shifts it) and sample
clock offset (windowed-sinc interpolation at a drifting position, with an
elastic buffer that slips as a real digital link does).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeAlias

import numpy as np
from numpy.typing import NDArray
from scipy import signal

from pyfax.errors import LineError
from pyfax.modem import channel
from pyfax.modem.base import SAMPLE_RATE_HZ, Samples

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


#: A stateful impairment: one block in, one block of the same length out.
Stage: TypeAlias = Callable[[Samples], Samples]


class Impairment(Protocol):
    """A spec that makes fresh stages (one per call and direction)."""

    def stage(self) -> Stage: ...


def _clip16(x: NDArray[np.float64]) -> Samples:
    return np.clip(np.round(x), -32768, 32767).astype(np.int16)


@dataclass(frozen=True)
class G711:
    """G.711 coding and decoding, ``law`` ``"ulaw"`` or ``"alaw"``."""

    law: str = "alaw"

    def stage(self) -> Stage:
        if self.law not in ("ulaw", "alaw"):
            raise LineError(f"G.711 law must be 'ulaw' or 'alaw', not {self.law!r}")
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

    def stage(self) -> Stage:
        rng = np.random.default_rng(self.seed)
        level = self.level_dbm0
        return lambda block: channel.awgn(block, None, rng, noise_dbm0=level)


class _DelayStage:
    def __init__(self, n_samples: int) -> None:
        self.fifo = np.zeros(n_samples, dtype=np.int16)

    def __call__(self, block: Samples) -> Samples:
        joined = np.concatenate([self.fifo, np.asarray(block, dtype=np.int16)])
        out, self.fifo = joined[: len(block)], joined[len(block):]
        return out


@dataclass(frozen=True)
class Delay:
    """A pure transmission delay in milliseconds."""

    ms: float

    def stage(self) -> Stage:
        if self.ms < 0:
            raise LineError(f"delay must not be negative, got {self.ms} ms")
        return _DelayStage(round(self.ms * SAMPLE_RATE_HZ / 1000))


class _EchoStage:
    def __init__(self, n_samples: int, gain: float) -> None:
        self.delay = _DelayStage(n_samples)
        self.gain = gain

    def __call__(self, block: Samples) -> Samples:
        x = np.asarray(block, dtype=np.int16)
        late = self.delay(x).astype(np.float64)
        return _clip16(x.astype(np.float64) + self.gain * late)


@dataclass(frozen=True)
class Echo:
    """A talker echo: the signal plus a copy ``delay_ms`` later at ``level_db``."""

    delay_ms: float = 20.0
    level_db: float = -20.0

    def stage(self) -> Stage:
        if self.delay_ms <= 0:
            raise LineError(f"echo delay must be positive, got {self.delay_ms} ms")
        n = round(self.delay_ms * SAMPLE_RATE_HZ / 1000)
        return _EchoStage(n, 10.0 ** (self.level_db / 20.0))


_HILBERT_TAPS = 63


class _FrequencyStage:
    def __init__(self, hz: float) -> None:
        taps = signal.remez(_HILBERT_TAPS, [150, 3850], [1.0], type="hilbert",
                            fs=SAMPLE_RATE_HZ)
        self.taps = np.asarray(taps, dtype=np.float64)
        self.zi = np.zeros(_HILBERT_TAPS - 1)
        self.align = _DelayStage((_HILBERT_TAPS - 1) // 2)
        self.step_rad = 2 * math.pi * hz / SAMPLE_RATE_HZ
        self.phase_rad = 0.0

    def __call__(self, block: Samples) -> Samples:
        x = np.asarray(block, dtype=np.float64)
        quad, self.zi = signal.lfilter(self.taps, 1.0, x, zi=self.zi)
        real = self.align(np.asarray(block, dtype=np.int16)).astype(np.float64)
        phase = self.phase_rad + self.step_rad * np.arange(len(x))
        self.phase_rad = float((self.phase_rad + self.step_rad * len(x)) % (2 * math.pi))
        return _clip16(real * np.cos(phase) + np.asarray(quad) * np.sin(phase))


@dataclass(frozen=True)
class FrequencyOffset:
    """Shift every frequency by ``hz`` (as an FDM carrier system does)."""

    hz: float

    def stage(self) -> Stage:
        return _FrequencyStage(self.hz)


_SINC_HALF = 16  # taps each side of the interpolation point
_KAISER_BETA = 8.0
_ELASTIC_N = 4 * _SINC_HALF  # elastic buffer: latency it keeps, and the size of a slip
_PHASES = 1024  # fractional positions tabulated (timing error < 1/2048 sample, > 55 dB SNR)


def _sinc_table() -> NDArray[np.float64]:
    """Windowed-sinc taps for each tabulated fractional position, shape (phases+1, 32)."""
    frac = np.arange(_PHASES + 1)[:, None] / _PHASES
    arg = frac - np.arange(-_SINC_HALF + 1, _SINC_HALF + 1)[None, :]
    window = np.i0(_KAISER_BETA * np.sqrt(np.clip(1 - (arg / _SINC_HALF) ** 2, 0, 1)))
    return np.asarray(np.sinc(arg) * window / np.i0(_KAISER_BETA), dtype=np.float64)


_TAP_OFFSETS = np.arange(-_SINC_HALF + 1, _SINC_HALF + 1)


class _ClockStage:
    """Band-limited resampling at a drifting position, through an elastic buffer.

    Each output sample is the input interpolated at ``position`` with a
    Kaiser-windowed sinc of 32 taps (as :func:`pyfax.modem.channel.clock_offset`).
    The position advances ``ratio`` input samples per output sample. Blocks
    in and out have the same length, so the buffer slowly fills or drains;
    when it would run dry or grow past its bound, the position jumps by
    ``_ELASTIC_N`` samples (a controlled slip, as a plesiochronous digital
    link makes, ITU-T G.822), which repeats or drops a few milliseconds.
    """

    def __init__(self, ppm: float) -> None:
        self.ratio = 1.0 + ppm * 1e-6
        self.buffer = np.zeros(_SINC_HALF + _ELASTIC_N, dtype=np.float64)
        self.position = float(_SINC_HALF)
        self.slips = 0
        self.table = _sinc_table()

    def __call__(self, block: Samples) -> Samples:
        self.buffer = np.concatenate([self.buffer, np.asarray(block, dtype=np.float64)])
        n = len(block)
        last_s = self.position + self.ratio * max(n - 1, 0)
        if last_s > len(self.buffer) - 1 - _SINC_HALF:  # running dry: repeat
            self.position -= _ELASTIC_N
            self.slips += 1
        elif len(self.buffer) - last_s > 3 * _ELASTIC_N + _SINC_HALF:  # overfull: drop
            self.position += _ELASTIC_N
            self.slips += 1
        t = self.position + self.ratio * np.arange(n)
        base = np.floor(t).astype(np.int64)
        phase = np.rint((t - base) * _PHASES).astype(np.int64)
        taps = self.buffer[base[:, None] + _TAP_OFFSETS[None, :]]
        out = np.einsum("ij,ij->i", taps, self.table[phase])
        self.position += self.ratio * n
        drop = max(0, int(self.position) - 2 * _SINC_HALF)
        self.buffer = self.buffer[drop:]
        self.position -= drop
        return _clip16(out)


@dataclass(frozen=True)
class ClockOffset:
    """The far end's sample clock runs ``ppm`` parts per million fast."""

    ppm: float

    def stage(self) -> Stage:
        if abs(self.ppm) > 1000:
            raise LineError(f"clock offset {self.ppm} ppm is out of range (±1000)")
        return _ClockStage(self.ppm)


def chain(impairments: Sequence[Impairment]) -> Stage:
    """One stage applying ``impairments`` in order (fresh state)."""
    stages = [imp.stage() for imp in impairments]

    def run(block: Samples) -> Samples:
        out = np.asarray(block, dtype=np.int16)
        for s in stages:
            out = s(out)
        return out
    return run
