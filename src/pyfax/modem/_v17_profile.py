"""V.17 as a profile of the shared linear-modem framework (``_qam_spec``).

What it implements: the hooks that let :class:`~pyfax.modem._qam_rx.LinearReceiver`
(and :class:`~pyfax.modem._qam_tx.LinearTransmitter`) run V.17 (§2.3, §2.5):

* the training plan, long (segment 1 ABAB as the periodic segment, segments
  2 and 3 as the known symbols) or short (segment 2 of 38 symbols only), then
  the 48 symbols of segment 4 as the ``ones`` the receiver must decode; after
  the data, 32 symbols of ones and 48 of silence (as spandsp sends);
* the transmit symbol timing of spandsp (``TX_TIMING_SYMBOLS``);
* the scrambler in its state at segment 4 (it ran through segments 2-3);
* the encoder: differential plus 8-state convolutional coding to the
  constellation (:mod:`pyfax.modem._v17_trellis`);
* the decider: hard decisions from a lookup grid steer the equaliser and the
  carrier loop (the trellis decisions come too late for them), while the
  line bits come from the streaming Viterbi decoder, delayed by at least 16
  symbols, then differential decoding (from 1 after a long train, 0 after a
  short one, as spandsp's transmitter leaves it).
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache

import numpy as np
from numpy.typing import NDArray

from pyfax.errors import ModemError
from pyfax.modem._qam_spec import (
    LinearModemSpec,
    ModemProfile,
    SymbolDecider,
    SymbolEncoder,
    Symbols,
    TrainingPlan,
)
from pyfax.modem._scrambler import Descrambler, Scrambler, ScramblerPoly
from pyfax.modem._v17_tables import (
    BAUD_RATE,
    BITS_PER_SYMBOL,
    CARRIER_HZ,
    CONSTELLATIONS,
    DIFF_INIT_LONG,
    DIFF_INIT_SHORT,
    RATES_BPS,
    SEG4_SYMBOLS,
    SHUTDOWN_ONES_SYMBOLS,
    SHUTDOWN_SILENCE_SYMBOLS,
)
from pyfax.modem._v17_training import make_training
from pyfax.modem._v17_trellis import (
    V17_TRELLIS,
    SubsetSlicer,
    TrellisEncoder,
)
from pyfax.modem._viterbi import ViterbiStreamDecoder
from pyfax.modem.base import Bits

__all__ = ["v17_profile"]


TX_TIMING_SYMBOLS = Fraction(-13, 20)
"""spandsp's transmit symbol timing: its sample ``n`` is shaped at ``3(n+1)/10``
symbols from the symbols before the newest one, with a 9-symbol pulse centred
at 4.45 symbols; that is the shared transmitter's grid moved by -0.65 symbol.
spandsp's receiver keeps the symbol timing of a long train for a short train
and rejects short trains with any other timing."""

TX_ONSET_SILENT_SAMPLES = 13
"""A burst's first 13 samples (the pre-cursors of segment 1's first symbols, under
10 % of the signal) are silence, for a clean onset (see ``LinearModemSpec``):
spandsp's receiver then takes our short trains at every level from -5 to -26 dBm0,
where spandsp's own transmitter reaches -6 to -27."""

VITERBI_DEPTH = 16
"""Minimum decision delay; V.17's 32-symbol tail of ones flushes it."""

_GRID_HALF = 12.0
_GRID_STEP = 0.25
_GRID_N = int(2 * _GRID_HALF / _GRID_STEP)


def _slice_grid(points: NDArray[np.complex128]) -> NDArray[np.complex128]:
    """The nearest point to the centre of every cell of a 0.25-wide grid."""
    c = (np.arange(_GRID_N) + 0.5) * _GRID_STEP - _GRID_HALF
    cells = c[:, None] + 1j * c[None, :]
    nearest = np.abs(cells[:, :, None] - points[None, None, :]).argmin(axis=2)
    return np.asarray(points[nearest])


def _bit_table(n_codes: int, bps: int) -> NDArray[np.uint8]:
    """Line bits (Q1 first) of code ``c`` after a symbol whose Y2Y1 was ``d``,
    at row ``d * n_codes + c`` (the differential decoding of §2.3)."""
    codes = np.tile(np.arange(n_codes, dtype=np.int64), 4)
    prev = np.repeat(np.arange(4, dtype=np.int64), n_codes)
    q = ((codes >> 1) & ~3) | ((((codes >> 1) & 3) - prev) & 3)
    return ((q[:, None] >> np.arange(bps)) & 1).astype(np.uint8)


@cache
def _decider_tables(bit_rate: int) -> tuple[SubsetSlicer, NDArray[np.complex128],
                                            NDArray[np.uint8]]:
    """The read-only tables of a decider at ``bit_rate``, made once per rate:
    the subset slicer, the hard-decision grid, the line-bit table."""
    points = CONSTELLATIONS[bit_rate]
    return (SubsetSlicer(points), _slice_grid(points),
            _bit_table(points.size, BITS_PER_SYMBOL[bit_rate]))


class _Encoder:
    def __init__(self, bit_rate: int, diff: int) -> None:
        self._bps = BITS_PER_SYMBOL[bit_rate]
        self._points = CONSTELLATIONS[bit_rate]
        self._trellis = TrellisEncoder(diff)

    def encode(self, line_bits: Bits) -> Symbols:
        groups = np.asarray(line_bits, np.int64).reshape(-1, self._bps)
        q = groups @ (1 << np.arange(self._bps, dtype=np.int64))
        out: Symbols = self._points[self._trellis.encode(q)]
        return out


class _Decider:
    def __init__(self, bit_rate: int, diff: int) -> None:
        self._points = CONSTELLATIONS[bit_rate]
        self._slicer, self._grid, self._bit_table = _decider_tables(bit_rate)
        self._viterbi = ViterbiStreamDecoder(V17_TRELLIS, VITERBI_DEPTH)
        self._viterbi.reset(start_state=0)  # the encoder starts segment 4 in state 0
        self._diff = diff

    def _line_bits(self, codes: list[int]) -> Bits:
        """Differential decoding and bit unpacking as one table lookup per symbol,
        indexed by the previous symbol's Y2Y1 and the code."""
        d = self._diff
        n_codes = self._points.size
        index: list[int] = []
        for c in codes:
            index.append(d * n_codes + c)
            d = (c >> 1) & 3
        self._diff = d
        return self._bit_table[index].reshape(-1)

    def decide(self, z: Symbols) -> tuple[Symbols, Bits]:
        # grid cells of the real and imaginary parts at once (interleaved)
        cell = ((np.ascontiguousarray(z).view(np.float64) + _GRID_HALF) / _GRID_STEP
                ).astype(np.int64)
        np.minimum(np.maximum(cell, 0, out=cell), _GRID_N - 1, out=cell)
        refs: Symbols = self._grid[cell[0::2], cell[1::2]]
        return refs, self._line_bits(self._viterbi.decode_list(*self._slicer(z)))

    def flush(self) -> Bits:
        return self._line_bits(self._viterbi.flush().tolist())


def v17_profile(bit_rate: int, *, short: bool = False) -> ModemProfile:
    """V.17 at ``bit_rate`` with a long (or short) train, for the shared framework.

    Raises:
        ModemError: for a rate V.17 does not have.
    """
    if bit_rate not in RATES_BPS:
        raise ModemError(f"V.17 has no {bit_rate} bit/s mode ({'/'.join(map(str, RATES_BPS))})")
    training = make_training(short)
    spec = LinearModemSpec(
        name="V.17", bit_rate_bps=bit_rate, carrier_hz=CARRIER_HZ, baud=BAUD_RATE,
        bits_per_symbol=BITS_PER_SYMBOL[bit_rate], rolloff=0.25, tx_span_symbols=9,
        rx_span_symbols=8, mean_symbol_power=40.0, tx_timing_symbols=TX_TIMING_SYMBOLS,
        tx_onset_silent_samples=TX_ONSET_SILENT_SAMPLES)
    plan = TrainingPlan(silence_symbols=0, periodic=training.symbols[:training.seg1_len],
                        known=training.symbols[training.seg1_len:],
                        ones_symbols=SEG4_SYMBOLS, tail_symbols=SHUTDOWN_ONES_SYMBOLS,
                        post_tail_silence_symbols=SHUTDOWN_SILENCE_SYMBOLS)
    diff = DIFF_INIT_SHORT if short else DIFF_INIT_LONG
    register = training.register

    def encoder() -> SymbolEncoder:
        return _Encoder(bit_rate, diff)

    def decider() -> SymbolDecider:
        return _Decider(bit_rate, diff)

    return ModemProfile(
        spec=spec, new_plan=lambda: plan, new_encoder=encoder, new_decider=decider,
        new_scrambler=lambda: Scrambler(ScramblerPoly.V29_V17, register=register),
        new_descrambler=lambda: Descrambler(ScramblerPoly.V29_V17, register=register))
