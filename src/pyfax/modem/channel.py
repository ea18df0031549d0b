"""Telephone line impairments on int16 audio at 8000 Hz, each a one-line function.

These model what a real line does to a fax signal, for tests and benchmarks:
gain and level, white noise at a given SNR, G.711 µ-law and A-law coding
(ITU-T G.711, Tables 1a/1b and 2a/2b: 8 segments of 16 steps), a carrier
frequency offset (shift of the analytic signal, as an FDM carrier system does),
a sample-clock offset (band-limited resampling), a talker echo and a pure delay.

Every function takes and returns int16 samples (saturating) and is
deterministic: random ones take a ``numpy.random.Generator``.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import signal

from pyfax.errors import ModemError
from pyfax.modem._dsp import dbm0_to_rms, power_dbm0, to_int16
from pyfax.modem.base import SAMPLE_RATE_HZ, Samples

__all__ = [
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
    "ulaw_decode",
    "ulaw_encode",
]

_ULAW_BIAS = 0x84
_SINC_HALF_TAPS = 16


def _as_float(audio: ArrayLike) -> NDArray[np.float64]:
    return np.asarray(audio, dtype=np.float64).reshape(-1)


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


def awgn(audio: ArrayLike, snr_db: float | None, rng: np.random.Generator,
         *, noise_dbm0: float | None = None) -> Samples:
    """Add white Gaussian noise.

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
    noise = rng.standard_normal(x.size) * dbm0_to_rms(noise_dbm0)
    return to_int16(x + noise)


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
    """The audio after µ-law encoding and decoding."""
    return ulaw_decode(ulaw_encode(audio))


def g711_alaw_roundtrip(audio: ArrayLike) -> Samples:
    """The audio after A-law encoding and decoding."""
    return alaw_decode(alaw_encode(audio))


def frequency_offset(audio: ArrayLike, hz: float) -> Samples:
    """Shift every frequency component by ``hz`` (positive is up), as an FDM link does."""
    x = _as_float(audio)
    if x.size == 0:
        return to_int16(x)
    analytic = signal.hilbert(x)
    t_s = np.arange(x.size) / SAMPLE_RATE_HZ
    return to_int16(np.real(analytic * np.exp(2j * np.pi * hz * t_s)))


def clock_offset(audio: ArrayLike, ppm: float) -> Samples:
    """Resample as if the receiver's sample clock ran ``ppm`` parts per million slow.

    A positive ``ppm`` means the sender's clock is fast relative to the
    receiver's, so the same signal occupies fewer receiver samples. Uses a
    Kaiser-windowed sinc interpolator of 32 taps.

    Raises:
        ModemError: for offsets beyond ±10,000 ppm.
    """
    if abs(ppm) > 10_000:
        raise ModemError(f"clock offset {ppm} ppm is out of range (±10000)")
    x = _as_float(audio)
    ratio = 1.0 + ppm * 1e-6
    n_out = math.floor((x.size - 1) / ratio) + 1 if x.size else 0
    t = np.arange(n_out) * ratio
    base = np.floor(t).astype(np.int64)
    frac = t - base
    k = np.arange(-_SINC_HALF_TAPS + 1, _SINC_HALF_TAPS + 1)
    padded = np.concatenate([np.zeros(_SINC_HALF_TAPS), x, np.zeros(_SINC_HALF_TAPS + 1)])
    window_beta = 8.0
    out = np.zeros(n_out)
    for kk in k:  # 32 vectorised passes, one per tap
        arg = frac - kk
        w = np.i0(window_beta * np.sqrt(np.clip(1.0 - (arg / _SINC_HALF_TAPS) ** 2, 0.0, 1.0)))
        out += padded[base + kk + _SINC_HALF_TAPS] * np.sinc(arg) * w / np.i0(window_beta)
    return to_int16(out)


def echo(audio: ArrayLike, delay_ms: float, level_db: float) -> Samples:
    """Add a copy of the audio delayed by ``delay_ms`` at ``level_db`` relative to it."""
    x = _as_float(audio)
    n_delay = round(delay_ms * SAMPLE_RATE_HZ / 1000.0)
    if n_delay < 0:
        raise ModemError(f"echo delay must not be negative, got {delay_ms} ms")
    delayed = np.zeros_like(x)
    if n_delay < x.size:
        delayed[n_delay:] = x[: x.size - n_delay]
    return to_int16(x + delayed * 10.0 ** (level_db / 20.0))


def delay(audio: ArrayLike, ms: float) -> Samples:
    """Prepend ``ms`` milliseconds of silence."""
    if ms < 0:
        raise ModemError(f"delay must not be negative, got {ms} ms")
    n_delay = round(ms * SAMPLE_RATE_HZ / 1000.0)
    return np.concatenate([np.zeros(n_delay, np.int16), to_int16(_as_float(audio))])
