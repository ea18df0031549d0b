"""The V.17 receive data path: trellis decoding to data bits (V.17 §2.3, §2.5.4).

How it works: each block of derotated, equalised symbols is sliced against
the 8 subsets (:class:`~pyfax.modem._v17_trellis.SubsetSlicer`), decoded by
the streaming Viterbi decoder (the encoder starts segment 4 in state 0),
differentially decoded (Y2Y1 minus the previous Y2Y1, from the state V.17's
training leaves: 1 after a long train, 0 after a short one, as spandsp
sends), unpacked Q1 first, and descrambled by a descrambler that starts with
the transmitter's scrambler register, so it is in step from the first bit.
The first 48 symbols (segment 4) must decode to ones: their verdict is the
training verdict; the bits after them are the data.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from pyfax.modem._scrambler import Descrambler, ScramblerPoly
from pyfax.modem._v17_tables import (
    BITS_PER_SYMBOL,
    CONSTELLATIONS,
    DIFF_INIT_LONG,
    DIFF_INIT_SHORT,
    SEG4_SYMBOLS,
)
from pyfax.modem._v17_trellis import V17_TRELLIS, SubsetSlicer, differential_decode
from pyfax.modem._viterbi import ViterbiStreamDecoder
from pyfax.modem.base import Bits

__all__ = ["DataPath"]

VITERBI_DEPTH = 16
"""Minimum decision delay; V.17's 32-symbol tail of ones flushes it."""

ONES_ERRORS_MAX = 8
"""How many of the segment-4 bits may decode as zeros for training to pass."""


class DataPath:
    """Symbols to data bits, with the segment-4 test.

    Args:
        bit_rate: 7200, 9600, 12000 or 14400.
    """

    def __init__(self, bit_rate: int) -> None:
        self._bps = BITS_PER_SYMBOL[bit_rate]
        self._slicer = SubsetSlicer(CONSTELLATIONS[bit_rate])
        self._viterbi = ViterbiStreamDecoder(V17_TRELLIS, VITERBI_DEPTH)
        self.start(short=False, register=0)

    def start(self, *, short: bool, register: int) -> None:
        """Begin at the first symbol of segment 4.

        Args:
            short: whether the training was a short one.
            register: the transmitter's scrambler register at that point.
        """
        self._viterbi.reset(start_state=0)
        self._diff = DIFF_INIT_SHORT if short else DIFF_INIT_LONG
        self._descrambler = Descrambler(ScramblerPoly.V29_V17, register=register)
        self._n_decided = 0
        self._ones_errors = 0

    def push(self, y: NDArray[np.complex128]) -> tuple[Bits, bool | None]:
        """Decode a block of symbols.

        Returns:
            ``(data_bits, verdict)``: the data bits decided so far, and the
            training verdict (True: segment 4 decoded to ones) in the call
            that completed segment 4, None otherwise.
        """
        codes = self._viterbi.decode(*self._slicer(y))
        if codes.size == 0:
            return np.zeros(0, np.uint8), None
        q, self._diff = differential_decode(codes, self._diff)
        line = ((q[:, None] >> np.arange(self._bps)) & 1).astype(np.uint8).reshape(-1)
        bits = self._descrambler.process(line)
        first = self._n_decided
        self._n_decided += codes.size
        n_test = max(0, min(SEG4_SYMBOLS, self._n_decided) - first) * self._bps
        if n_test:
            self._ones_errors += int(n_test - np.count_nonzero(bits[:n_test]))
        verdict = None
        if first < SEG4_SYMBOLS <= self._n_decided:
            verdict = self._ones_errors <= ONES_ERRORS_MAX
        return bits[n_test:], verdict
