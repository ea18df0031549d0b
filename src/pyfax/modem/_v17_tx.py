"""V.17 transmitter (ITU-T V.17 §2, §2.5 training, §2.3 trellis coding).

How it works: symbols are made in blocks, never one sample at a time. The
training sequence (segments 1-3) is computed once; segment 4 and the data are
scrambled (block-wise, 18 bits at a time), packed into ``n`` bits per symbol,
trellis-encoded (a cumulative sum for the differential encoder and a lookup
table stepped with Python ints for the convolutional encoder) and mapped to
the constellation. Pulse shaping is a root-raised-cosine filter (roll-off
0.25) at 10 phases per symbol: output sample ``n`` sits at ``3n/10`` of a
symbol, so it is a 9-tap dot product of the last symbols with phase
``3n mod 10`` of the filter, computed for a whole block with one gather.
Mixing to 1800 Hz uses an exact 40-sample carrier table. After the data
comes the tail: 32 symbols of scrambled ones and 48 of silence, as spandsp
sends.

If the caller lets the data run dry before ``end_of_data()``, scrambled ones
are sent meanwhile (the idle condition of a synchronous line).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from pyfax.errors import ModemError
from pyfax.modem._dsp import dbm0_to_rms, to_int16
from pyfax.modem._scrambler import Scrambler, ScramblerPoly
from pyfax.modem._v17_tables import (
    BAUD_RATE,
    BITS_PER_SYMBOL,
    CARRIER_HZ,
    CONSTELLATIONS,
    DIFF_INIT_LONG,
    DIFF_INIT_SHORT,
    SEG4_SYMBOLS,
    SHUTDOWN_ONES_SYMBOLS,
    SHUTDOWN_SILENCE_SYMBOLS,
)
from pyfax.modem._v17_training import make_training
from pyfax.modem._v17_trellis import TrellisEncoder
from pyfax.modem.base import SAMPLE_RATE_HZ, Bits, Samples

__all__ = ["V17Transmitter", "rrc_taps"]

_PHASES = 10  # filter phases per symbol: 8000 Hz * 3 = 2400 Hz * 10
_SPAN_SYMBOLS = 9
_ROLL_OFF = 0.25
_CARRIER_PERIOD = 40  # 1800/8000 = 9/40
_MEAN_SYMBOL_ENERGY = 40.0  # every V.17 constellation and ABCD
_AHEAD_SYMBOLS = 2400  # data symbols made at a time when bits are queued
_RENDER_AHEAD = 4000  # samples rendered at a time when their symbols exist


def rrc_taps(phases: int, span_symbols: int, roll_off: float) -> NDArray[np.float64]:
    """Root-raised-cosine impulse response sampled ``phases`` times per symbol."""
    t = (np.arange(phases * span_symbols) - (phases * span_symbols - 1) / 2.0) / phases
    b = roll_off
    num = np.sin(np.pi * t * (1 - b)) + 4 * b * t * np.cos(np.pi * t * (1 + b))
    den = np.pi * t * (1 - (4 * b * t) ** 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = num / den
    h[np.isclose(t, 0.0)] = 1 - b + 4 * b / np.pi
    edge = np.isclose(np.abs(t), 1 / (4 * b))
    h[edge] = b / math.sqrt(2) * ((1 + 2 / np.pi) * math.sin(np.pi / (4 * b))
                                  + (1 - 2 / np.pi) * math.cos(np.pi / (4 * b)))
    return np.asarray(h)


_H = rrc_taps(_PHASES, _SPAN_SYMBOLS, _ROLL_OFF)
_POLY = _H.reshape(_SPAN_SYMBOLS, _PHASES).T  # [phase, m] = h[phase + 10 m]
_CARRIER = np.exp(2j * np.pi * CARRIER_HZ / SAMPLE_RATE_HZ * np.arange(_CARRIER_PERIOD))
_SAMPLES_PER_SYMBOL_NUM, _SAMPLES_PER_SYMBOL_DEN = 10, 3  # 8000/2400


class V17Transmitter:
    """A streaming V.17 modulator.

    Args:
        bit_rate: 7200, 9600, 12000 or 14400 bit/s.
        level_dbm0: transmit level of the data signal.
        short_train: send the short (retrain) training sequence instead of
            the long one (V.17 §2.5.2; used for every burst after the first).

    Raises:
        ModemError: for an unsupported rate or an implausible level.
    """

    def __init__(self, bit_rate: int, *, level_dbm0: float = -10.0,
                 short_train: bool = False) -> None:
        if bit_rate not in BITS_PER_SYMBOL:
            raise ModemError(f"V.17 has no {bit_rate} bit/s mode (7200/9600/12000/14400)")
        if not -60.0 <= level_dbm0 <= 3.0:
            raise ModemError(f"V.17 transmit level {level_dbm0} dBm0 is out of range")
        self.bit_rate = bit_rate
        self._bps = BITS_PER_SYMBOL[bit_rate]
        self._points = CONSTELLATIONS[bit_rate]
        power = _MEAN_SYMBOL_ENERGY * float(np.sum(_H**2)) / _PHASES / 2.0
        self._gain = dbm0_to_rms(level_dbm0) / math.sqrt(power)
        training = make_training(short_train)
        self._scrambler = Scrambler(ScramblerPoly.V29_V17, register=training.register)
        self._encoder = TrellisEncoder(DIFF_INIT_SHORT if short_train else DIFF_INIT_LONG)
        ones = self._data_symbols(np.ones(SEG4_SYMBOLS * self._bps, np.uint8))
        # Symbols not yet shaped, preceded by the filter's history.
        self._syms: NDArray[np.complex128] = np.concatenate(
            [np.zeros(_SPAN_SYMBOLS, np.complex128), training.symbols, ones])
        self._sym_base = -_SPAN_SYMBOLS  # symbol index of self._syms[0]
        self._pending: Bits = np.zeros(0, np.uint8)  # queued bits from _read on
        self._read = 0
        self._ending = False
        self._end_symbol: int | None = None  # one past the last symbol, once known
        self._n_sample = 0  # next sample to render
        self._out: Samples = np.zeros(0, np.int16)  # rendered, not yet returned

    # --- the data path -----------------------------------------------------

    def _data_symbols(self, bits: Bits) -> NDArray[np.complex128]:
        """Scramble, pack (first bit = Q1), trellis-encode and map whole symbols."""
        line = self._scrambler.process(bits).astype(np.int64).reshape(-1, self._bps)
        q = line @ (1 << np.arange(self._bps, dtype=np.int64))
        return self._points[self._encoder.encode(q)]

    def put_bits(self, bits: Bits) -> None:
        """Queue data bits (0/1 in line order).

        Raises:
            ModemError: after ``end_of_data()``, or for values other than 0 and 1.
        """
        if self._ending:
            raise ModemError("V.17 transmitter: put_bits() after end_of_data()")
        b = np.asarray(bits).reshape(-1)
        if b.size and (int(b.min()) < 0 or int(b.max()) > 1):
            raise ModemError("V.17 transmitter: bits must be 0 or 1")
        b = b.astype(np.uint8)
        if b.size:
            self._pending = np.concatenate([self._pending[self._read:], b])
            self._read = 0

    @property
    def _n_pending(self) -> int:
        return self._pending.size - self._read

    def end_of_data(self) -> None:
        """No more data: send the rest, then the tail (ones, silence), then stop."""
        self._ending = True

    def _take_bits(self, n_bits: int) -> Bits:
        head = self._pending[self._read:self._read + n_bits]
        self._read += head.size
        return head

    def _extend(self, n_symbols: int) -> None:
        """Make at least ``n_symbols`` more symbols (data, idle ones or the tail)."""
        bps = self._bps
        if self._end_symbol is not None:
            self._append(np.zeros(n_symbols, np.complex128))
            return
        # Make symbols well ahead when the bits are there (fewer, larger calls),
        # but never idle ones ahead of bits that may still come.
        n_data = min(max(n_symbols, _AHEAD_SYMBOLS), self._n_pending // bps)
        if n_data:
            self._append(self._data_symbols(self._take_bits(n_data * bps)))
        if n_data >= n_symbols:
            return
        if not self._ending:
            self._append(self._data_symbols(np.ones((n_symbols - n_data) * bps, np.uint8)))
            return
        last = self._take_bits(self._n_pending)
        pad = np.ones((-last.size) % bps + SHUTDOWN_ONES_SYMBOLS * bps, np.uint8)
        self._append(self._data_symbols(np.concatenate([last, pad])))
        self._end_symbol = self._sym_base + self._syms.size + SHUTDOWN_SILENCE_SYMBOLS
        self._append(np.zeros(SHUTDOWN_SILENCE_SYMBOLS, np.complex128))

    def _append(self, symbols: NDArray[np.complex128]) -> None:
        self._syms = np.concatenate([self._syms, symbols])

    # --- shaping and mixing ------------------------------------------------

    @property
    def _end_sample(self) -> int | None:
        if self._end_symbol is None:
            return None
        return -(-self._end_symbol * _SAMPLES_PER_SYMBOL_NUM // _SAMPLES_PER_SYMBOL_DEN)

    def tx(self, n_samples: int) -> Samples:
        """Up to ``n_samples`` int16 samples; fewer (maybe none) once finished."""
        if n_samples < 0:
            raise ModemError(f"tx() needs a non-negative sample count, got {n_samples}")
        if self._out.size < n_samples:
            self._fill(n_samples - self._out.size)
        block, self._out = self._out[:n_samples], self._out[n_samples:]
        return block

    def _fill(self, need: int) -> None:
        """Render at least ``need`` more samples, or up to ``_RENDER_AHEAD`` when the
        symbols for them exist already (small ``tx()`` calls then cost little)."""
        ready = self._ready_samples()
        if ready < _RENDER_AHEAD and self._n_pending >= self._bps and self._end_symbol is None:
            self._extend(1)
            ready = self._ready_samples()
        self._out = np.concatenate([self._out, self._render(max(need, min(_RENDER_AHEAD,
                                                                           ready)))])

    def _ready_samples(self) -> int:
        """How many samples the symbols made so far can shape."""
        have = self._sym_base + self._syms.size
        return (10 * (have + 1) - 1) // 3 - self._n_sample

    def _render(self, n_samples: int) -> Samples:
        """The next ``n_samples`` samples (fewer at the end)."""
        n0 = self._n_sample
        n = np.arange(n0, n0 + n_samples, dtype=np.int64)
        k_last = (3 * (n0 + n_samples)) // 10 - 1
        have = self._sym_base + self._syms.size
        if k_last >= have:
            self._extend(k_last + 1 - have)
        end = self._end_sample
        if end is not None:
            n = n[n < end]
        if n.size == 0:
            return np.zeros(0, np.int16)
        # Sample n is shaped at 3(n+1)/10 symbols, from the symbols before the
        # newest one: the same timing as spandsp's transmitter, whose V.17
        # receiver holds the symbol timing of a long train for the short train.
        k_max = (3 * (n + 1)) // 10 - 1
        phase = 3 * (n + 1) - 10 * (k_max + 1)
        idx = (k_max - self._sym_base)[:, None] - np.arange(_SPAN_SYMBOLS)[None, :]
        base = np.einsum("ij,ij->i", self._syms[idx], _POLY[phase])
        out = (base * _CARRIER[n % _CARRIER_PERIOD]).real * self._gain
        self._n_sample = int(n[-1]) + 1
        keep_from = int(k_max[-1]) - (_SPAN_SYMBOLS - 1) - self._sym_base
        if keep_from > 4096:
            self._syms = self._syms[keep_from:]
            self._sym_base += keep_from
        return to_int16(out)

    @property
    def done(self) -> bool:
        """True once every sample, tail included, has been returned."""
        end = self._end_sample
        return end is not None and self._n_sample >= end and self._out.size == 0

    @property
    def symbol_rate(self) -> int:
        """Symbols per second (V.17 §2.2)."""
        return BAUD_RATE
