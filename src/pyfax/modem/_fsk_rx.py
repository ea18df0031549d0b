"""Streaming non-coherent binary FSK receiver (ITU-T V.21 channel 2 and the like).

How it works:

* Two quadrature correlators, one per tone, each a sliding sum over one bit
  (``W = fs // baud`` samples) of the input mixed down by that tone. The
  decision metric ``d = |c_space|^2 - |c_mark|^2`` is negative for mark (1)
  and positive for space (0); ``amp``, from the two energies, estimates the
  received sine amplitude, for carrier detection.
* Carrier detection with hysteresis and persistence: carrier is up after
  ``amp`` stays above the on-threshold for ``_P_ON`` samples, with the two
  tones holding at least a quarter of the input power (so CED or CNG leaking
  into the correlators does not count), and down after it
  stays below the off-threshold for ``_P_OFF`` samples. The start and end of
  the burst are placed where ``amp`` crosses half its steady value, which
  locates the first bit to a sample or two whatever the level.
* Bit timing: the first decision instant follows from the burst start; each
  later one is one bit on, nudged by the zero crossings of ``d`` seen since
  the last (they fall half a bit before the instant). A Python loop runs once
  per bit; everything per sample is vectorised.

The receiver works on a buffer with a fixed look-ahead and keeps only a short
history, so output never depends on the block size, and memory is bounded.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pyfax.errors import ModemError
from pyfax.modem._dsp import dbm0_to_amplitude
from pyfax.modem._fsk import FskSpec
from pyfax.modem.base import SAMPLE_RATE_HZ, Bits, ModemEvent, ModemStatus, RxResult, Samples

__all__ = ["FskReceiver"]

_P_ON = 28  # samples qualifying before carrier up (more than a CED onset transient)
_P_OFF = 24  # samples below the off-threshold before carrier down
_HYSTERESIS_DB = 3.0
_IN_BAND_SHARE = 0.25  # of the input power that must be near the tones to raise carrier
_GAIN_ACQUIRE = 0.5  # timing-loop gain for the first crossings of a burst
_GAIN_TRACK = 0.2
_N_ACQUIRE = 4

Floats = NDArray[np.float64]


@dataclass(slots=True)
class _Burst:
    """One carrier burst: estimated first and one-past-last sample (absolute)."""

    start: float
    end: float | None = None


def _first_run(q: NDArray[np.bool_], run0: int, length: int) -> tuple[int | None, int]:
    """Index where a run of True reaches ``length`` (counting ``run0`` carried in), and
    the run at the end of ``q``."""
    if q.size == 0:
        return None, run0
    idx = np.arange(q.size)
    last_false = np.maximum.accumulate(np.where(q, -1, idx))
    run = np.where(last_false < 0, idx + 1 + run0, idx - last_false)
    hits = np.flatnonzero(run >= length)
    return (int(hits[0]) if hits.size else None), int(run[-1])


class FskReceiver:
    """A streaming FSK demodulator with carrier detection.

    Args:
        spec: the channel's tones and rate.
        cutoff_dbm0: carrier-on threshold; carrier drops 3 dB below it.
    """

    def __init__(self, spec: FskSpec, *, cutoff_dbm0: float = -43.0) -> None:
        if not -70.0 <= cutoff_dbm0 <= 0.0:
            raise ModemError(f"carrier cutoff {cutoff_dbm0} dBm0 is outside -70..0")
        self.spec = spec
        self._w = SAMPLE_RATE_HZ // spec.baud
        self._t = SAMPLE_RATE_HZ / spec.baud
        steps = spec.phase_steps
        k = np.arange(steps)
        self._lo_mark = np.exp(-2j * np.pi * (k * spec.mark_hz * steps // SAMPLE_RATE_HZ) / steps)
        self._lo_space = np.exp(-2j * np.pi * (k * spec.space_hz * steps // SAMPLE_RATE_HZ) / steps)
        leak = abs(np.sum(self._lo_mark[: self._w] * np.conj(self._lo_space[: self._w]))) / self._w
        self._amp_scale = 2.0 / (self._w * math.sqrt(1.0 + leak * leak))
        self._on_amp = dbm0_to_amplitude(cutoff_dbm0)
        self._off_amp = dbm0_to_amplitude(cutoff_dbm0 - _HYSTERESIS_DB)
        self._ones = np.ones(self._w)
        self._tails: list[NDArray[np.complex128] | Floats] = [
            np.zeros(self._w - 1, np.complex128), np.zeros(self._w - 1, np.complex128),
            np.zeros(self._w - 1)]
        self._crossings: list[float] = []  # absolute positions where d changes sign
        self._look = 2 * self._w + 2
        self._history = 3 * self._w + _P_OFF + 8
        self._lag = _P_OFF + 2 * self._w + 4
        self._n_in = 0
        self._buf_start = 0
        self._d: Floats = np.zeros(0)
        self._amp: Floats = np.zeros(0)
        self._qualifies: NDArray[np.bool_] = np.zeros(0, dtype=bool)  # may raise carrier
        self._cpos = 0  # next absolute sample the carrier detector examines
        self._carrier_on = False
        self._run = 0
        self._bursts: list[_Burst] = []
        self._next_bit: float | None = None  # absolute decision instant
        self._n_crossings = 0

    @property
    def carrier_on(self) -> bool:
        """Whether the carrier detector currently sees a carrier."""
        return self._carrier_on

    def rx(self, samples: Samples) -> RxResult:
        """Demodulate a block of any length; never raises on noise or garbage."""
        x = np.asarray(samples)
        if x.ndim != 1:
            raise ModemError(f"samples must be one-dimensional, got shape {x.shape}")
        self._ingest(x.astype(np.float64))
        events = self._detect_carrier()
        bits = self._decide_bits()
        self._trim()
        return RxResult(bits=bits, events=events)

    def _ingest(self, x: Floats) -> None:
        """Run the correlators over the new samples and append to the buffer."""
        if x.size == 0:
            return
        steps = self.spec.phase_steps
        idx = (self._n_in + np.arange(x.size)) % steps
        cm = self._boxcar(0, x * self._lo_mark[idx])
        cs = self._boxcar(1, x * self._lo_space[idx])
        pm = cm.real**2 + cm.imag**2
        ps = cs.real**2 + cs.imag**2
        d = ps - pm
        last = self._d[-1] if self._d.size else 0.0
        self._add_crossings(np.concatenate([[last], d]), self._n_in - 1)
        self._d = np.concatenate([self._d, d])
        amp = np.sqrt(pm + ps) * self._amp_scale
        self._amp = np.concatenate([self._amp, amp])
        # in band: the tones must hold a good share of the window's power, so that a
        # strong out-of-band tone (CED, CNG) leaking into the correlators is ignored
        window_power = self._boxcar(2, x * x)
        in_band = amp * amp * (self._w / 2) >= _IN_BAND_SHARE * window_power
        self._qualifies = np.concatenate([self._qualifies, (amp >= self._on_amp) & in_band])
        self._n_in += x.size

    def _boxcar(self, k: int, mixed: NDArray[Any]) -> NDArray[Any]:
        """Sliding sum over ``W`` samples; each output is the same dot product whatever
        the block size, so results are bit-exact across block sizes."""
        ext = np.concatenate([self._tails[k], mixed])
        self._tails[k] = ext[-(self._w - 1):]
        return np.convolve(ext, self._ones, mode="valid")

    def _add_crossings(self, d: Floats, first: int) -> None:
        """Record where ``d`` (starting at absolute sample ``first``) changes sign."""
        flips = np.flatnonzero(np.signbit(d[1:]) != np.signbit(d[:-1]))
        if flips.size:
            a0, a1 = d[flips], d[flips + 1]
            self._crossings.extend((first + flips + a0 / (a0 - a1)).tolist())

    def _half_point(self, lo: int, hi: int, ref: float, rising: bool) -> float:
        """Absolute position in [lo, hi] where ``amp`` crosses ``ref / 2``, interpolated."""
        b = self._buf_start
        lo = max(lo, b)
        seg = self._amp[lo - b: hi - b + 1]
        half = ref / 2.0
        above = seg >= half
        if rising:
            below = np.flatnonzero(~above)
            j = int(below[-1]) if below.size else -1
            if j < 0 or j + 1 >= seg.size:
                return float(lo + j + 1)
            a0, a1 = seg[j], seg[j + 1]
        else:
            abv = np.flatnonzero(above)
            j = int(abv[-1]) if abv.size else 0
            if j + 1 >= seg.size:
                return float(lo + j)
            a0, a1 = seg[j], seg[j + 1]
        frac = (half - a0) / (a1 - a0) if a1 != a0 else 0.0
        return lo + j + float(np.clip(frac, 0.0, 1.0))

    def _detect_carrier(self) -> list[ModemEvent]:
        """Advance the carrier detector as far as the look-ahead allows."""
        events: list[ModemEvent] = []
        limit = self._n_in - self._look
        w, b = self._w, self._buf_start
        while self._cpos < limit:
            seg = self._amp[self._cpos - b: limit - b]
            if not self._carrier_on:
                qualifies = self._qualifies[self._cpos - b: limit - b]
                hit, self._run = _first_run(qualifies, self._run, _P_ON)
            else:
                hit, self._run = _first_run(seg < self._off_amp, self._run, _P_OFF)
            if hit is None:
                self._cpos = limit
                break
            i = self._cpos + hit
            if not self._carrier_on:
                ref = float(np.median(self._amp[i - b: i - b + w]))
                mid = self._half_point(i - _P_ON - w - 2, i, ref, rising=True)
                self._bursts.append(_Burst(start=mid + 1 - w / 2))
                events.append(ModemEvent(ModemStatus.CARRIER_UP, i))
            else:
                first_below = i - _P_OFF + 1
                ref_lo = max(first_below - 2 * w, b)
                ref = float(np.median(self._amp[ref_lo - b: max(first_below - w, ref_lo + 1) - b]))
                mid = self._half_point(first_below - w - 2, first_below, ref, rising=False)
                self._bursts[-1].end = mid + 1 - w / 2
                events.append(ModemEvent(ModemStatus.CARRIER_DOWN, i))
            self._carrier_on = not self._carrier_on
            self._run = 0
            self._cpos = i + 1
        return events

    def _decide_bits(self) -> Bits:
        """Make every bit decision whose data and carrier state are known."""
        out: list[int] = []
        t_bit, w, b = self._t, self._w, self._buf_start
        d = self._d
        while self._bursts:
            burst = self._bursts[0]
            if self._next_bit is None:
                self._next_bit = burst.start + t_bit / 2 + w / 2 - 1
                self._n_crossings = 0
            t = self._next_bit
            if burst.end is not None and t > burst.end - 1 + t_bit / 2:
                self._bursts.pop(0)
                self._next_bit = None
                continue
            if t + t_bit + 2 > self._n_in or (burst.end is None and t > self._cpos - self._lag):
                break
            t = self._retime(t, burst)
            out.append(1 if d[round(t) - b] < 0 else 0)
            self._next_bit = t + t_bit
        return np.array(out, dtype=np.uint8)

    def _retime(self, t: float, burst: _Burst) -> float:
        """Nudge instant ``t`` by the zero crossings of ``d`` in the bit before it."""
        lo = max(math.floor(t - self._t) + 1, math.ceil(burst.start + self._w))
        hi = math.floor(t)
        if burst.end is not None:
            hi = min(hi, math.floor(burst.end - 1))
        xings = self._crossings
        found = xings[bisect.bisect_left(xings, lo): bisect.bisect_left(xings, hi)]
        if not found:
            return t
        expected = t - self._t / 2
        err = sum(found) / len(found) - expected
        gain = _GAIN_ACQUIRE if self._n_crossings < _N_ACQUIRE else _GAIN_TRACK
        self._n_crossings += 1
        return t + gain * err

    def _trim(self) -> None:
        """Drop buffered metrics no later step can look at."""
        keep_from = self._cpos - self._history
        if self._next_bit is not None:
            keep_from = min(keep_from, math.floor(self._next_bit - 2 * self._t))
        elif self._bursts:
            keep_from = min(keep_from, math.floor(self._bursts[0].start) - 2)
        drop = keep_from - self._buf_start
        if drop > 0:
            self._d = self._d[drop:]
            self._amp = self._amp[drop:]
            self._qualifies = self._qualifies[drop:]
            self._buf_start += drop
            del self._crossings[: bisect.bisect_left(self._crossings, self._buf_start)]
