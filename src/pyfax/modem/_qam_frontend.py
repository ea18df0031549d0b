"""Receive front end of the linear modems: carrier detect, mixing, matched filter.

How it works:
    * Carrier detect: a one-pole power meter (time constant 5 ms) on the
      raw samples, vectorised with ``lfilter`` and a carried state; carrier
      goes up at ``cutoff_dbm0`` and down 4 dB below it (hysteresis).
    * Mixing: ``x[n] exp(-j 2 pi fc n / fs)`` with the phase taken exactly
      from ``n * fc mod fs``; the complex baseband is kept in a growable
      buffer indexed by absolute sample number.
    * Matched filter and interpolation in one step: a root-raised-cosine
      filter split into 32 fractional-delay branches (``polyphase_bank``)
      gives the filter output at any real time; a block of output times is
      served with one gather and one product.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import signal

from pyfax.modem._dsp import dbm0_to_rms
from pyfax.modem._qam_spec import LinearModemSpec, polyphase_bank
from pyfax.modem.base import SAMPLE_RATE_HZ

__all__ = ["BasebandBuffer", "CarrierDetector"]

_PHASE_BITS = 5
_PHASES = 1 << _PHASE_BITS  # 32 fractional delays per sample
_POWER_ALPHA = 1.0 / 40.0
_HYSTERESIS_DB = 4.0
_ROTOR_SAMPLES = 4096  # the longest slice mixed with one view of the table


def _rotor(fc: int, first: int, count: int) -> NDArray[np.complex128]:
    """``exp(-j 2 pi fc n / fs)`` for ``count`` samples from ``n = first``, with
    the phase taken exactly from ``n * fc mod fs``."""
    n = np.arange(first, first + count, dtype=np.int64)
    phase = (2.0 * np.pi / SAMPLE_RATE_HZ) * ((n * fc) % SAMPLE_RATE_HZ)
    return np.asarray(np.exp(-1j * phase))


class CarrierDetector:
    """Power meter with hysteresis; finds where carrier goes up or down.

    Args:
        cutoff_dbm0: the level at which carrier is declared up.
    """

    def __init__(self, cutoff_dbm0: float) -> None:
        self.on_power = dbm0_to_rms(cutoff_dbm0) ** 2
        self.off_power = self.on_power * 10.0 ** (-_HYSTERESIS_DB / 10.0)
        self._zi = np.zeros(1)
        self.up = False

    def power(self, samples: NDArray[np.float64]) -> NDArray[np.float64]:
        """The meter's reading after each sample (carried between calls)."""
        a = _POWER_ALPHA
        y, self._zi = signal.lfilter([a], [1.0, a - 1.0], samples * samples, zi=self._zi)
        return np.asarray(y)

    def next_change(self, power: NDArray[np.float64], start: int) -> int:
        """Index (>= start) of the first sample that flips the state; len(power) if none."""
        seg = power[start:]
        hits = np.flatnonzero(seg < self.off_power) if self.up else np.flatnonzero(
            seg >= self.on_power)
        return start + int(hits[0]) if hits.size else len(power)


class BasebandBuffer:
    """Complex baseband samples by absolute index, with matched-filter interpolation.

    Args:
        spec: the modem (carrier, baud, roll-off, receive filter span).
    """

    def __init__(self, spec: LinearModemSpec) -> None:
        self._fc = spec.carrier_hz
        sps = float(spec.samples_per_symbol)
        self._bank = polyphase_bank(spec.rolloff, spec.rx_span_symbols, sps, _PHASES)
        self.n_taps: int = int(self._bank.shape[1])
        self.centre = (self.n_taps - 1) / 2.0
        self._taps_back = np.arange(self.n_taps)[None, :]
        # The mixer's phasor repeats every fs / gcd(fc, fs) samples: a table
        # of it, long enough to serve a whole slice with one view.
        self._period = SAMPLE_RATE_HZ // math.gcd(self._fc, SAMPLE_RATE_HZ)
        self._rotor = _rotor(self._fc, 0, self._period * (1 + _ROTOR_SAMPLES // self._period))
        self._data = np.zeros(4096, np.complex128)
        self._fill = 0
        self.base = 0  # absolute index of self._data[0]

    @property
    def end(self) -> int:
        """Absolute index one past the newest sample."""
        return self.base + self._fill

    def append(self, samples: NDArray[np.float64], keep_from: int) -> None:
        """Mix ``samples`` (the next ones in time) down and store them.

        Samples older than ``keep_from`` may be dropped to make room.
        """
        start = self.end % self._period
        if len(samples) <= len(self._rotor) - start:
            rotor = self._rotor[start:start + len(samples)]
        else:
            rotor = _rotor(self._fc, self.end, len(samples))
        mixed = samples * rotor * (2.0 / 32768.0)
        need = self._fill + len(mixed)
        if need > len(self._data):
            drop = max(0, min(keep_from - self.base, self._fill))
            self._data[: self._fill - drop] = self._data[drop: self._fill]
            self._fill -= drop
            self.base += drop
            need = self._fill + len(mixed)
            if need > len(self._data):
                grown = np.zeros(max(2 * len(self._data), need), np.complex128)
                grown[: self._fill] = self._data[: self._fill]
                self._data = grown
        self._data[self._fill: need] = mixed
        self._fill = need

    def latest_time(self) -> float:
        """The latest time (in samples) at which :meth:`at` can be evaluated."""
        return self.end - 1 - self.centre

    def at(self, times: NDArray[np.floating[Any]]) -> NDArray[np.complex128]:
        """Matched-filter output at the given absolute times (in samples).

        Times must be ascending and lie between ``base + n_taps`` and
        :meth:`latest_time`.
        """
        pos = times + self.centre
        n = np.floor(pos).astype(np.int64)
        p = ((pos - n) * _PHASES + 0.5).astype(np.int64)
        n += p >> _PHASE_BITS  # p == _PHASES rounds up to the next sample
        p &= _PHASES - 1
        first = n - self.base
        idx = first[:, None] - self._taps_back
        if first[0] - self.n_taps + 1 < 0 or first[-1] >= self._fill:
            # Callers stay inside the buffer; clipping only keeps a bug from crashing rx().
            np.clip(idx, 0, max(self._fill - 1, 0), out=idx)
        window = self._data[idx]
        return np.asarray(np.einsum("ij,ij->i", window, self._bank[p]))
