"""Telephone line impairments on int16 audio at 8000 Hz: streaming stages and whole signals.

They model what a real line does to a fax signal, for tests, benchmarks and
simulated calls: gain and level, white noise, G.711 µ-law and A-law coding
(ITU-T G.711, Tables 1a/1b and 2a/2b: 8 segments of 16 steps), a carrier
frequency offset (as an FDM carrier system makes), a sample-clock offset, a
talker echo and a pure delay.

Each impairment with memory is a *stage*: ``stage(block)`` returns a block of
the same length, and what lasts between blocks is kept in attributes, so the
output does not depend on the block size, down to one sample. The
whole-signal functions run one stage over the whole signal, except
``clock_offset``, which uses the stage's interpolator alone so that its
output length follows the clock ratio.

- Frequency offset: a 63-tap Hilbert FIR (Parks-McClellan, 150-3850 Hz) makes
  the quadrature signal, the real path waits the FIR's 31 samples, and a
  phasor counted in samples shifts the analytic signal.
- Clock offset: output sample n interpolates the input at ``n * (1 + ppm *
  1e-6)`` with a Kaiser-windowed sinc of 32 taps, tabulated at 1024 fractions
  (timing error < 1/2048 sample: > 55 dB SNR). The stage runs 64 samples
  late; when its latency would leave 16..207 samples it slips by 64 (repeats
  or drops 8 ms), as a plesiochronous link's elastic store does (G.822).

Every function takes and returns int16 samples (saturating) and is
deterministic: random ones take a ``numpy.random.Generator``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import signal

from pyfax.errors import ModemError
from pyfax.modem._dsp import StreamingFir, dbm0_to_rms, power_dbm0, to_int16
from pyfax.modem.base import SAMPLE_RATE_HZ, Samples

__all__ = [
    "ClockDrift",
    "DelayLine",
    "EchoPath",
    "FrequencyShifter",
    "Stage",
    "WhiteNoise",
    "alaw_decode",
    "alaw_encode",
    "awgn",
    "clock_offset",
    "delay",
    "echo",
    "frequency_offset",
    "g711_alaw_roundtrip",
    "g711_ulaw_roundtrip",
    "gain_db",
    "set_level_dbm0",
    "to_int16",
    "ulaw_decode",
    "ulaw_encode",
]

#: A streaming impairment: one block in, one block of the same length out.
Stage: TypeAlias = Callable[[Samples], Samples]

_ULAW_BIAS = 0x84
_HILBERT_TAPS = 63
_HILBERT_DELAY = (_HILBERT_TAPS - 1) // 2
_SINC_HALF_TAPS = 16  # taps each side of the interpolation point
_SINC_OFFSETS = np.arange(-_SINC_HALF_TAPS + 1, _SINC_HALF_TAPS + 1)
_SINC_PHASES = 1024  # fractional positions tabulated
_KAISER_BETA = 8.0
_INTERPOLATE_ROWS = 4096  # output samples per vectorised pass (bounds memory)
_MAX_PPM = 10_000.0
_ELASTIC_LATENCY = 64  # samples the clock stage runs late, and the size of a slip
_ELASTIC_MIN = _SINC_HALF_TAPS  # below this latency the input has not arrived yet
_ELASTIC_MAX = 3 * _ELASTIC_LATENCY + _SINC_HALF_TAPS - 1


def _as_float(audio: ArrayLike) -> NDArray[np.float64]:
    return np.asarray(audio, dtype=np.float64).reshape(-1)


def _delay_samples(delay_ms: float, what: str) -> int:
    if delay_ms < 0:
        raise ModemError(f"{what} must not be negative, got {delay_ms} ms")
    return round(delay_ms * SAMPLE_RATE_HZ / 1000.0)


def gain_db(audio: ArrayLike, db: float) -> Samples:
    """Amplify (or attenuate, for negative ``db``) the audio, saturating at full scale."""
    return to_int16(_as_float(audio) * 10.0 ** (db / 20.0))


def set_level_dbm0(audio: ArrayLike, level_dbm0: float) -> Samples:
    """Scale the audio so that its measured mean power is ``level_dbm0``.

    Raises:
        ModemError: if the audio is silent (no level to scale).
    """
    x = _as_float(audio)
    now_dbm0 = power_dbm0(x)
    if not math.isfinite(now_dbm0):
        raise ModemError("cannot set the level of silent audio")
    return gain_db(x, level_dbm0 - now_dbm0)


class WhiteNoise:
    """Stage adding white Gaussian noise at ``noise_dbm0``, drawn from ``rng`` in order.

    Numpy's generators draw the same normals whether asked for one block or
    many, so the output does not depend on the block size.
    """

    def __init__(self, noise_dbm0: float, rng: np.random.Generator) -> None:
        self.noise_rms = dbm0_to_rms(noise_dbm0)
        self.rng = rng

    def __call__(self, block: ArrayLike) -> Samples:
        x = _as_float(block)
        return to_int16(x + self.rng.standard_normal(x.size) * self.noise_rms)


def awgn(audio: ArrayLike, snr_db: float | None, rng: np.random.Generator,
         *, noise_dbm0: float | None = None) -> Samples:
    """Add white Gaussian noise (a :class:`WhiteNoise` over the whole signal).

    Args:
        audio: the signal.
        snr_db: signal-to-noise ratio relative to the signal's measured power
            over the whole block; None to use ``noise_dbm0`` instead.
        rng: the seeded random generator.
        noise_dbm0: the absolute noise level, when ``snr_db`` is None.

    Raises:
        ModemError: if neither or both levels are given, or SNR is asked of silence.
    """
    x = _as_float(audio)
    if (snr_db is None) == (noise_dbm0 is None):
        raise ModemError("give exactly one of snr_db and noise_dbm0")
    if snr_db is not None:
        signal_dbm0 = power_dbm0(x)
        if not math.isfinite(signal_dbm0):
            raise ModemError("cannot set an SNR relative to silent audio")
        noise_dbm0 = signal_dbm0 - snr_db
    assert noise_dbm0 is not None
    return WhiteNoise(noise_dbm0, rng)(x)


def ulaw_encode(audio: ArrayLike) -> NDArray[np.uint8]:
    """G.711 µ-law codewords of int16 samples (bits inverted on the line, as G.711 says).

    >>> ulaw_encode([0, 32767, -32768, 1000]).tolist()
    [255, 128, 0, 206]
    """
    x = np.asarray(audio, dtype=np.int64).reshape(-1)
    negative = x < 0
    biased = np.where(negative, _ULAW_BIAS - x - 1, _ULAW_BIAS + x)
    seg = np.floor(np.log2(biased | 0xFF)).astype(np.int64) - 7
    mant = (biased >> (seg + 3)) & 0x0F
    code = np.where(seg >= 8, 0x7F, (np.minimum(seg, 7) << 4) | mant)
    mask = np.where(negative, 0x7F, 0xFF)
    return np.asarray(code ^ mask, dtype=np.uint8)


def ulaw_decode(codes: ArrayLike) -> Samples:
    """int16 samples of G.711 µ-law codewords.

    >>> ulaw_decode([255, 128, 0, 127]).tolist()
    [0, 32124, -32124, 0]
    """
    u = ~np.asarray(codes, dtype=np.int64).reshape(-1) & 0xFF
    t = (((u & 0x0F) << 3) + _ULAW_BIAS) << ((u & 0x70) >> 4)
    return np.where(u & 0x80, _ULAW_BIAS - t, t - _ULAW_BIAS).astype(np.int16)


def alaw_encode(audio: ArrayLike) -> NDArray[np.uint8]:
    """G.711 A-law codewords of int16 samples (even bits inverted, as G.711 says).

    >>> alaw_encode([0, 32767, -32768, 1000]).tolist()
    [213, 170, 42, 250]
    """
    x = np.asarray(audio, dtype=np.int64).reshape(-1)
    positive = x >= 0
    mag = np.where(positive, x, -x - 1) >> 3  # 12-bit magnitude
    seg = np.clip(np.floor(np.log2(mag | 0x1F)).astype(np.int64) - 4, 0, 7)
    mant = np.where(seg == 0, mag >> 1, mag >> seg) & 0x0F
    code = (seg << 4) | mant | np.where(positive, 0x80, 0)
    return np.asarray(code ^ 0x55, dtype=np.uint8)


def alaw_decode(codes: ArrayLike) -> Samples:
    """int16 samples of G.711 A-law codewords.

    >>> alaw_decode([0xD5, 0x55, 0xAA, 0x2A]).tolist()
    [8, -8, 32256, -32256]
    """
    a = np.asarray(codes, dtype=np.int64).reshape(-1) ^ 0x55
    seg = (a >> 4) & 0x07
    mant = a & 0x0F
    mag = np.where(seg == 0, (mant << 4) + 8, ((mant << 4) + 0x108) << np.maximum(seg - 1, 0))
    return np.where(a & 0x80, mag, -mag).astype(np.int16)


def g711_ulaw_roundtrip(audio: ArrayLike) -> Samples:
    """The audio after µ-law encoding and decoding (a stateless stage)."""
    return ulaw_decode(ulaw_encode(audio))


def g711_alaw_roundtrip(audio: ArrayLike) -> Samples:
    """The audio after A-law encoding and decoding (a stateless stage)."""
    return alaw_decode(alaw_encode(audio))


class _Fifo:
    """A delay of ``n_samples``, carried across blocks."""

    def __init__(self, n_samples: int, dtype: type[np.generic] = np.float64) -> None:
        self.held: NDArray[Any] = np.zeros(n_samples, dtype)

    def __call__(self, x: NDArray[Any]) -> NDArray[Any]:
        joined = np.concatenate([self.held, x])
        self.held = joined[x.size:]
        return joined[: x.size]


class DelayLine:
    """Stage delaying the audio by ``delay_ms`` (rounded to whole samples).

    Raises:
        ModemError: for a negative delay.
    """

    def __init__(self, delay_ms: float) -> None:
        self.fifo = _Fifo(_delay_samples(delay_ms, "delay"), np.int16)

    def __call__(self, block: ArrayLike) -> Samples:
        x = np.asarray(block).reshape(-1)
        return np.asarray(self.fifo(x if x.dtype == np.int16 else to_int16(x)), dtype=np.int16)


def delay(audio: ArrayLike, ms: float) -> Samples:
    """Prepend ``ms`` milliseconds of silence (a :class:`DelayLine` run to its end)."""
    line = DelayLine(ms)
    x = _as_float(audio)
    return line(np.concatenate([x, np.zeros(line.fifo.held.size)]))


class EchoPath:
    """Stage adding a copy of the audio ``delay_ms`` later at ``level_db`` relative to it.

    Raises:
        ModemError: for a negative delay.
    """

    def __init__(self, delay_ms: float, level_db: float) -> None:
        self.fifo = _Fifo(_delay_samples(delay_ms, "echo delay"))
        self.gain = 10.0 ** (level_db / 20.0)

    def __call__(self, block: ArrayLike) -> Samples:
        x = _as_float(block)
        return to_int16(x + self.fifo(x) * self.gain)


def echo(audio: ArrayLike, delay_ms: float, level_db: float) -> Samples:
    """Add a copy of the audio delayed by ``delay_ms`` at ``level_db`` relative to it."""
    return EchoPath(delay_ms, level_db)(audio)


@functools.cache
def _hilbert_taps() -> NDArray[np.float64]:
    taps = signal.remez(_HILBERT_TAPS, [150, 3850], [1.0], type="hilbert", fs=SAMPLE_RATE_HZ)
    return np.asarray(taps, dtype=np.float64)


class FrequencyShifter:
    """Stage shifting every frequency by ``hz`` (positive is up), as an FDM link does.

    The output runs 31 samples (the Hilbert FIR's delay) behind the input.
    Components below 150 Hz or above 3850 Hz are not shifted cleanly.

    Args:
        hz: the shift.
        phase_rad: the shifting carrier's phase at the first output sample.
    """

    def __init__(self, hz: float, phase_rad: float = 0.0) -> None:
        self.hilbert = StreamingFir(_hilbert_taps())
        self.align = _Fifo(_HILBERT_DELAY)
        self.step_rad = 2 * math.pi * hz / SAMPLE_RATE_HZ
        self.phase_rad = phase_rad
        self.n_samples = 0  # samples produced: the phasor's clock

    def __call__(self, block: ArrayLike) -> Samples:
        x = _as_float(block)
        quad = self.hilbert(x)
        n = np.arange(self.n_samples, self.n_samples + x.size)
        phase_rad = self.phase_rad + self.step_rad * n
        self.n_samples += x.size
        return to_int16(self.align(x) * np.cos(phase_rad) + quad * np.sin(phase_rad))


def frequency_offset(audio: ArrayLike, hz: float) -> Samples:
    """Shift every frequency component by ``hz`` (positive is up), as an FDM link does.

    A :class:`FrequencyShifter` over the whole signal, without its 31-sample
    delay: the carrier's phase is zero at the first sample.
    """
    x = _as_float(audio)
    shifter = FrequencyShifter(hz, -2 * math.pi * hz / SAMPLE_RATE_HZ * _HILBERT_DELAY)
    shifted = shifter(np.concatenate([x, np.zeros(_HILBERT_DELAY)]))
    return shifted[_HILBERT_DELAY:]


@functools.cache
def _sinc_table() -> NDArray[np.float64]:
    """Windowed-sinc taps for each tabulated fractional position, shape (phases+1, 32)."""
    frac = np.arange(_SINC_PHASES + 1)[:, None] / _SINC_PHASES
    arg = frac - _SINC_OFFSETS[None, :]
    window = np.i0(_KAISER_BETA * np.sqrt(np.clip(1 - (arg / _SINC_HALF_TAPS) ** 2, 0, 1)))
    return np.asarray(np.sinc(arg) * window / np.i0(_KAISER_BETA), dtype=np.float64)


def _interpolate(x: NDArray[np.float64], positions: NDArray[np.float64]) -> NDArray[np.float64]:
    """``x`` interpolated at ``positions`` (each with 15 samples of ``x`` before it, 16 after)."""
    table = _sinc_table()
    out = np.empty(positions.size)
    for start in range(0, positions.size, _INTERPOLATE_ROWS):
        t = positions[start:start + _INTERPOLATE_ROWS]
        base = np.floor(t).astype(np.int64)
        phase = np.rint((t - base) * _SINC_PHASES).astype(np.int64)
        taps = x[base[:, None] + _SINC_OFFSETS[None, :]]
        out[start:start + t.size] = np.einsum("ij,ij->i", taps, table[phase])
    return out


def _check_ppm(ppm: float) -> None:
    if not abs(ppm) <= _MAX_PPM:
        raise ModemError(f"clock offset {ppm} ppm is out of range (±{_MAX_PPM:.0f})")


class ClockDrift:
    """Stage resampling as if the far end's sample clock ran ``ppm`` parts per million fast.

    Output sample n is the input at ``n - 64 + n * ppm * 1e-6``, moved by 64
    samples at each slip (see the module header). ``slips`` counts the slips.

    Raises:
        ModemError: for offsets beyond ±10,000 ppm.
    """

    def __init__(self, ppm: float) -> None:
        _check_ppm(ppm)
        self.drift_per_sample = ppm * 1e-6
        self.slip_sign = 1 if ppm >= 0 else -1  # +1: repeats when dry, -1: drops when full
        # drift the elastic store takes up before its first slip
        self.slack = (_ELASTIC_LATENCY - _ELASTIC_MIN if ppm >= 0
                      else _ELASTIC_MAX - _ELASTIC_LATENCY)
        self.history = np.zeros(_ELASTIC_LATENCY + _SINC_HALF_TAPS)
        self.first_index = -self.history.size  # input index of history[0]
        self.n_samples = 0  # output samples produced
        self.slips = 0

    def _slips_by(self, n: int) -> int:
        return max(0, math.ceil((abs(n * self.drift_per_sample) - self.slack) / _ELASTIC_LATENCY))

    def _positions(self, n_first: int, n_samples: int) -> NDArray[np.float64]:
        """Where the next ``n_samples`` output samples read the history; counts the slips."""
        n = np.arange(n_first, n_first + n_samples)
        drift = n * self.drift_per_sample
        slips_first, self.slips = self._slips_by(n_first), self._slips_by(n[-1])
        slips: float | NDArray[np.float64] = float(self.slips)
        if slips_first != self.slips:  # a slip inside this block
            slips = np.maximum(0.0, np.ceil((np.abs(drift) - self.slack) / _ELASTIC_LATENCY))
        lag = _ELASTIC_LATENCY + self.first_index + self.slip_sign * _ELASTIC_LATENCY * slips
        return np.asarray((n - lag) + drift, dtype=np.float64)

    def __call__(self, block: ArrayLike) -> Samples:
        x = _as_float(block)
        if x.size == 0:
            return to_int16(x)
        self.history = np.concatenate([self.history, x])
        positions = self._positions(self.n_samples, x.size)
        out = _interpolate(self.history, positions)
        self.n_samples += x.size
        drop = max(math.floor(positions[-1]) - 2 * _ELASTIC_LATENCY, 0)  # keep a slip's worth
        self.history = self.history[drop:]
        self.first_index += drop
        return to_int16(out)


def clock_offset(audio: ArrayLike, ppm: float) -> Samples:
    """Resample as if the receiver's sample clock ran ``ppm`` parts per million slow.

    A positive ``ppm`` means the sender's clock is fast relative to the
    receiver's, so the same signal occupies fewer receiver samples. Uses the
    interpolator of :class:`ClockDrift` (a Kaiser-windowed sinc of 32 taps)
    without its elastic buffer: no latency and no slips.

    Raises:
        ModemError: for offsets beyond ±10,000 ppm.
    """
    _check_ppm(ppm)
    x = _as_float(audio)
    ratio = 1.0 + ppm * 1e-6
    n_out = math.floor((x.size - 1) / ratio) + 1 if x.size else 0
    padded = np.concatenate([np.zeros(_SINC_HALF_TAPS), x, np.zeros(_SINC_HALF_TAPS + 1)])
    positions = np.arange(n_out, dtype=np.float64) * ratio + _SINC_HALF_TAPS
    return to_int16(_interpolate(padded, positions))
