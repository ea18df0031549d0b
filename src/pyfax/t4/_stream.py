"""A coded page stream prepared for decoding: windows, EOLs, one-bit counts.

``win`` gives the 13 bits that start at every bit offset (as numpy for the
vectorised decoder, and as a memoryview of the same memory for the Python
loops, which index that about as fast as a list, without a Python int per
entry); ``eol_at`` lists where
every EOL's 12 bits start (T.4 clause 4.1.2: no valid data holds 11 zeros in
a row, so this is exact for valid streams); :meth:`Stream.ones_before`
counts one bits, so that "only fill between here and the next EOL" is a
subtraction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pyfax.t4._bits import windows
from pyfax.t4._tables import WINDOW_BITS
from pyfax.t4._words import Ints

PAD_BITS = 32
_POPCOUNT = np.array([bin(b).count("1") for b in range(256)], dtype=np.int64)


@dataclass(frozen=True)
class Stream:
    """A coded stream, first bit first (MSB-first bytes)."""

    n_bits: int
    win: NDArray[np.uint16]
    win_list: memoryview
    eol_at: Ints
    _bytes: NDArray[np.int64]
    _ones_before_byte: Ints

    @staticmethod
    def of(data: bytes) -> Stream:
        """Prepare ``data`` for decoding."""
        n_bits = 8 * len(data)
        win = windows(data, PAD_BITS)
        eol_at = np.flatnonzero((win[:n_bits] >> 1) == 1)
        raw = np.zeros(len(data) + 2, np.int64)
        raw[: len(data)] = np.frombuffer(data, np.uint8)
        ones = np.zeros(raw.size + 1, np.int64)
        np.cumsum(_POPCOUNT[raw], out=ones[1:])
        return Stream(n_bits, win, win.data.cast("B").cast("H"), eol_at, raw, ones)

    def ones_before(self, p: Ints | int) -> Ints:
        """How many one bits lie before bit offset(s) ``p`` (p <= n_bits + 8)."""
        at = np.asarray(p, np.int64)
        byte = at >> 3
        count = self._ones_before_byte[byte] + _POPCOUNT[self._bytes[byte] >> (8 - (at & 7))]
        return np.asarray(count, np.int64)

    def zeros_span(self, start: int, stop: int) -> bool:
        """Whether bits [start, stop) are all zero, for one span (start <= stop)."""
        n = stop - start
        if n <= WINDOW_BITS:
            return n >= 0 and (self.win_list[start] >> (WINDOW_BITS - n)) == 0
        return bool(self.zeros_between(start, stop))

    def zeros_between(self, start: Ints | int, stop: Ints | int) -> NDArray[np.bool_]:
        """Whether bits [start, stop) are all zero (elementwise)."""
        first = np.minimum(start, stop)
        return np.asarray(self.ones_before(stop) == self.ones_before(first))
