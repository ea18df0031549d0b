"""The shared transmitter of the linear modems (V.27ter §2, V.29 §§1-3, V.17 §2).

How it works:
    symbols -> root-raised-cosine pulse shaping at baseband -> mixing with the
    carrier. Everything is vectorised over the block asked for:

    * Symbols: the training sequence of the :class:`TrainingPlan` first; then
      data symbols, made from the queued bits by scrambling them
      (``ModemProfile.new_scrambler``) and mapping them with the
      ``SymbolEncoder`` hook, whole symbols at a time, with ``ones_symbols``
      of binary ones in front and ``tail_symbols`` of ones behind. If the
      caller lets the bits run dry before ``end_of_data()``, binary ones are
      sent meanwhile (the idle condition of a synchronous data line).
    * Pulse shaping: with ``P/Q`` samples per symbol (10/3 at 2400 baud)
      and the spec's timing phase ``phi`` (0, or V.17's -13/20), output
      sample ``n`` lies at ``u = nQ/P + phi`` symbols, ``r/R`` of a symbol
      after symbol ``k = floor(u)`` (``R`` = P times phi's denominator, or
      P); it is the dot product of the last ``span`` symbols with branch
      ``r`` of a polyphase filter bank, computed for the whole block with
      one gather.
    * Mixing: ``Re{x[n] exp(j 2 pi fc n / fs)}`` with the phase taken exactly
      from ``n * fc mod fs``, so it never drifts.

Samples are made in chunks of up to 4000 and served from a buffer, but only
as far as the symbols are already determined (training, queued bits, the
tail), so the output never depends on how ``tx()`` is called.

The level is set from the pulse energy and the constellation's mean power,
so that random data comes out at ``level_dbm0`` (spandsp's dBm0 scale,
``pyfax.modem._dsp``).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from pyfax.errors import ModemError
from pyfax.modem._dsp import dbm0_to_rms, to_int16
from pyfax.modem._qam_spec import ModemProfile, Symbols, rrc_pulse
from pyfax.modem.base import SAMPLE_RATE_HZ, Bits, Samples

__all__ = ["LinearTransmitter"]

_MAX_BLOCK = 10 * 60 * SAMPLE_RATE_HZ
_CHUNK = 4000  # samples made per refill when they are already determined


class LinearTransmitter:
    """A streaming PSK/QAM transmitter driven by a :class:`ModemProfile`.

    Args:
        profile: the modem and rate.
        level_dbm0: transmit level of random data, in dBm0, -60 to 0. Lines
            want -9 dBm0 or less; above about -4 dBm0 the peaks of V.29's
            16-point signal saturate the int16 range (and cost bit errors).
        tep: send the plan's talker-echo-protection tone first.
    """

    def __init__(self, profile: ModemProfile, *, level_dbm0: float = -10.0,
                 tep: bool = False) -> None:
        if not -60.0 <= level_dbm0 <= 0.0:
            raise ModemError(f"transmit level {level_dbm0} dBm0 is outside -60..0 dBm0")
        spec = profile.spec
        self.spec = spec
        self._init_timing(profile)
        self._gain = dbm0_to_rms(level_dbm0) / self._rms_per_unit_gain(spec.mean_symbol_power)
        plan = profile.new_plan()
        self._plan = plan
        self._encoder = profile.new_encoder()
        self._scrambler = profile.new_scrambler()
        first = np.concatenate(
            [plan.tep if tep else plan.tep[:0],
             np.zeros(plan.silence_symbols, np.complex128), plan.periodic, plan.known,
             self._encode_ones(plan.ones_symbols)])
        # self._symbols[span + i] is symbol self._sym_base + i; the first
        # ``span`` entries are the symbols before it (zeros at the start).
        # A negative timing phase reads symbols before symbol 0 (silence):
        # they are in the buffer as zeros, numbered from -before.
        before = max(0, -(self._off // self._r))
        self._symbols: Symbols = np.concatenate(
            [np.zeros(self._span + before, np.complex128), first])
        self._sym_base = -before
        self._pending = np.zeros(0, np.uint8)
        self._ended = False
        self._final_symbols: int | None = None
        self._n = 0
        self._out = np.zeros(0, np.int16)
        self._out_pos = 0
        period = SAMPLE_RATE_HZ // math.gcd(spec.carrier_hz, SAMPLE_RATE_HZ)
        carrier = 2.0 * np.pi * spec.carrier_hz * np.arange(period) / SAMPLE_RATE_HZ
        self._carrier = np.cos(carrier) + 1j * np.sin(carrier)

    def _init_timing(self, profile: ModemProfile) -> None:
        """The symbol grid and the polyphase bank (see the module docstring).

        ``u(n) * R = n * self._qr + self._off`` in units of ``1/R`` symbol.
        """
        spec = profile.spec
        sps = spec.samples_per_symbol
        self._p, self._q = sps.numerator, sps.denominator
        phi = spec.tx_timing_symbols
        self._r = self._p * phi.denominator // math.gcd(self._p, phi.denominator)
        self._qr = self._q * (self._r // self._p)
        self._off = int(phi * self._r)
        self._span = spec.tx_span_symbols
        r = np.arange(self._r)[:, None] / self._r
        i = np.arange(self._span)[None, :]
        self._bank = rrc_pulse(spec.rolloff, r + i - self._span / 2.0)
        self._taps_back = np.arange(self._span)[None, :]

    def _rms_per_unit_gain(self, mean_symbol_power: float) -> float:
        """RMS of random data at unit gain, from the branches that are used."""
        step = math.gcd(self._qr, self._r)
        rows = (self._off + step * np.arange(self._r // step)) % self._r
        energy = float(np.mean(np.sum(self._bank[rows] ** 2, axis=1)))
        return math.sqrt(mean_symbol_power * energy / 2.0)

    def put_bits(self, bits: Bits) -> None:
        """Queue data bits (0/1, in line order)."""
        if self._ended:
            raise ModemError("put_bits() after end_of_data()")
        b = np.asarray(bits).reshape(-1)
        if b.size and (int(b.min()) < 0 or int(b.max()) > 1):
            raise ModemError("bits must be 0 or 1")
        self._pending = np.concatenate([self._pending, b.astype(np.uint8)])

    def end_of_data(self) -> None:
        """No more bits: send what is queued, padded to a whole symbol, then the tail."""
        if self._ended:
            return
        self._ended = True
        bps = self.spec.bits_per_symbol
        pad = (-len(self._pending)) % bps
        bits = np.concatenate([self._pending, np.ones(pad + bps * self._plan.tail_symbols,
                                                      np.uint8)])
        self._pending = np.zeros(0, np.uint8)
        self._append(self._encode(bits))
        self._final_symbols = self._symbols_made

    @property
    def done(self) -> bool:
        """True once every sample, the tail included, has been returned."""
        return (self._final_symbols is not None and self._n >= self._end_sample()
                and self._out_pos >= len(self._out))

    def tx(self, n_samples: int) -> Samples:
        """Up to ``n_samples`` int16 samples; fewer (possibly none) once finished."""
        if n_samples < 0 or n_samples > _MAX_BLOCK:
            raise ModemError(f"tx() block of {n_samples} samples is out of range")
        if len(self._out) - self._out_pos < n_samples:
            self._refill(n_samples - (len(self._out) - self._out_pos))
        block = self._out[self._out_pos:self._out_pos + n_samples]
        self._out_pos += len(block)
        return block

    # -- internals ---------------------------------------------------------

    def _refill(self, at_least: int) -> None:
        """Make at least ``at_least`` more samples, or as many as are already
        determined (training, queued bits, tail) if that is more: working in
        big chunks is cheaper, and never runs ahead of the caller's bits."""
        stop = self._n + at_least
        stop = max(stop, min(self._n + _CHUNK, self._determined_samples()))
        if self._final_symbols is not None:
            stop = min(stop, self._end_sample())
        rest = self._out[self._out_pos:]
        if stop <= self._n:
            self._out, self._out_pos = rest, 0
            return
        n = np.arange(self._n, stop, dtype=np.int64)
        u = n * self._qr + self._off
        k = u // self._r
        self._ensure_symbols(int(k[-1]) + 1)
        x = self._shape(k, u - k * self._r)
        out = (x * self._carrier[n % len(self._carrier)]).real * self._gain
        onset = self.spec.tx_onset_silent_samples - self._n
        if onset > 0:
            out[:onset] = 0.0
        self._n = stop
        self._trim(int(k[-1]) - self._span)
        self._out, self._out_pos = np.concatenate([rest, to_int16(out)]), 0

    def _end_sample(self) -> int:
        """One past the last sample: the last symbol's pulse has died away and
        the plan's post-tail silence has been sent."""
        assert self._final_symbols is not None
        last = self._final_symbols + max(self._span, self._plan.post_tail_silence_symbols)
        return -(-last * self._p // self._q)

    def _determined_samples(self) -> int:
        """Samples computable from symbols that exist or follow from queued bits."""
        if self._final_symbols is not None:
            return self._end_sample()
        symbols = self._symbols_made
        symbols += len(self._pending) // self.spec.bits_per_symbol
        return (symbols * self._r - self._off) // self._qr

    @property
    def _symbols_made(self) -> int:
        """Symbols made so far (absolute count: one past the last in the buffer)."""
        return self._sym_base + len(self._symbols) - self._span

    def _shape(self, k: NDArray[np.int64], r: NDArray[np.int64]) -> NDArray[np.complex128]:
        """Baseband samples: symbols ``k, k-1, ...`` through bank branches ``r``."""
        # Symbols before the first are silence: the buffer starts with
        # ``span`` zeros (see ``_trim``), so the index never goes negative.
        idx = (k + (self._span - self._sym_base))[:, None] - self._taps_back
        return np.asarray(np.einsum("ij,ij->i", self._symbols[idx], self._bank[r]))

    def _ensure_symbols(self, count: int) -> None:
        """Make symbols up to absolute index ``count`` (exclusive), idling on ones."""
        have = self._symbols_made
        if have >= count:
            return
        if self._final_symbols is not None:
            self._append(np.zeros(count - have, np.complex128))  # silence after the end
            return
        bps = self.spec.bits_per_symbol
        usable = len(self._pending) - len(self._pending) % bps
        take = min(usable, (count - have) * bps)
        bits = self._pending[:take]
        self._pending = self._pending[take:]
        missing = count - have - take // bps
        if missing > 0:
            bits = np.concatenate([bits, np.ones(missing * bps, np.uint8)])
        self._append(self._encode(bits))

    def _encode(self, bits: Bits) -> Symbols:
        if bits.size == 0:
            return np.zeros(0, np.complex128)
        return self._encoder.encode(self._scrambler.process(bits))

    def _encode_ones(self, n_symbols: int) -> Symbols:
        return self._encode(np.ones(n_symbols * self.spec.bits_per_symbol, np.uint8))

    def _append(self, symbols: Symbols) -> None:
        self._symbols = np.concatenate([self._symbols, symbols])

    def _trim(self, keep_from: int) -> None:
        drop = keep_from - self._sym_base
        if drop > 4096:
            self._symbols = self._symbols[drop:]
            self._sym_base += drop
