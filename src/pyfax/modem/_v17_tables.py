"""V.17 constants: constellations, trellis encoder tables and training layout.

Implements the fixed data of ITU-T V.17 (02/91):

* §2.4 and Figures 3-5 (signal space): the 128/64/32/16-point constellations
  used at 14400/12000/9600/7200 bit/s. A point is addressed by its code
  ``Q6..Q3 Y2 Y1 Y0`` (the uncoded bits above the two differentially encoded
  bits, above the redundant trellis bit), exactly as Figures 3-5 number it.
* §2.3 and Figure 2: the differential encoder ``Y2Y1 = (Q2Q1 + previous) mod 4``
  and the 8-state systematic convolutional encoder producing ``Y0``, tabulated
  as next-state = ``CONV_NEXT_STATE[state][Y2Y1]`` with ``Y0`` = bit 2 of the
  next state.
* §2.5 and Table 3 (training): segment 1 alternates A and B for 256 symbols;
  segment 2 sends C/D/B/A chosen by pairs of scrambled ones (2976 symbols in a
  long train, 38 in a short one); segment 3 (long train only) is 64 symbols of
  the TCM bridge stepping through ABCD by the scrambled 16-bit bridge word;
  segment 4 is 48 symbols of trellis-coded scrambled ones.

The numbers agree with spandsp's V.17 transmitter, which is the reference
peer for these modems (checked by ``tests/modem/test_v17_peer.py``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "ABCD",
    "BAUD_RATE",
    "BITS_PER_SYMBOL",
    "BRIDGE_DIBIT_TO_STEP",
    "BRIDGE_WORD",
    "CARRIER_HZ",
    "CONSTELLATIONS",
    "CONV_NEXT_STATE",
    "DIFF_INIT_LONG",
    "DIFF_INIT_SHORT",
    "RATES_BPS",
    "SCRAMBLER_SEED",
    "SEG1_SYMBOLS",
    "SEG2_DIBIT_TO_ABCD",
    "SEG2_LONG_SYMBOLS",
    "SEG2_SHORT_SYMBOLS",
    "SEG3_SYMBOLS",
    "SEG4_SYMBOLS",
    "SHUTDOWN_ONES_SYMBOLS",
    "SHUTDOWN_SILENCE_SYMBOLS",
]

CARRIER_HZ = 1800
"""V.17 §2.1: carrier frequency."""

BAUD_RATE = 2400
"""V.17 §2.2: modulation rate, symbols per second."""

RATES_BPS = (7200, 9600, 12000, 14400)

BITS_PER_SYMBOL = {14400: 6, 12000: 5, 9600: 4, 7200: 3}
"""Data bits carried per symbol (the trellis adds one redundant bit)."""

SEG1_SYMBOLS = 256
SEG2_LONG_SYMBOLS = 2976
SEG2_SHORT_SYMBOLS = 38
SEG3_SYMBOLS = 64
SEG4_SYMBOLS = 48
SHUTDOWN_ONES_SYMBOLS = 32
SHUTDOWN_SILENCE_SYMBOLS = 48

BRIDGE_WORD = 0x8880
"""V.17 §2.5.3: 16-bit pattern sent, scrambled, two bits a symbol in segment 3."""

SCRAMBLER_SEED = 0x2ECDD5
"""Scrambler register at the start of segment 2 (as spandsp's transmitter sets it)."""

DIFF_INIT_LONG = 1
DIFF_INIT_SHORT = 0
"""Differential encoder state before the first trellis-coded symbol."""

ABCD: NDArray[np.complex128] = np.array([-6 - 2j, 2 - 6j, 6 + 2j, -2 + 6j])
"""Training points A, B, C, D (V.17 Table 3)."""

SEG2_DIBIT_TO_ABCD = (2, 3, 1, 0)
"""Segment 2: two scrambled bits (first bit high) select C, D, B or A."""

BRIDGE_DIBIT_TO_STEP = (1, 0, 2, 3)
"""Segment 3: two scrambled bits select the step around A->B->C->D."""

CONV_NEXT_STATE: tuple[tuple[int, int, int, int], ...] = (
    (0, 2, 3, 1),
    (4, 7, 5, 6),
    (1, 3, 2, 0),
    (7, 4, 6, 5),
    (2, 0, 1, 3),
    (6, 5, 7, 4),
    (3, 1, 0, 2),
    (5, 6, 4, 7),
)
"""V.17 Figure 2 as a table: next state of the 8-state encoder for input Y2Y1."""

# V.17 Figures 3-5: (re, im) of each point, in code order.
_14400_RE_IM = (
    -8, -3,  9,  2,  2, -9, -3,  8,  8,  3, -9, -2, -2,  9,  3, -8,
    -8,  1,  9, -2, -2, -9,  1,  8,  8, -1, -9,  2,  2,  9, -1, -8,
    -4, -3,  5,  2,  2, -5, -3,  4,  4,  3, -5, -2, -2,  5,  3, -4,
    -4,  1,  5, -2, -2, -5,  1,  4,  4, -1, -5,  2,  2,  5, -1, -4,
     4, -3, -3,  2,  2,  3, -3, -4, -4,  3,  3, -2, -2, -3,  3,  4,
     4,  1, -3, -2, -2,  3,  1, -4, -4, -1,  3,  2,  2, -3, -1,  4,
     0, -3,  1,  2,  2, -1, -3,  0,  0,  3, -1, -2, -2,  1,  3,  0,
     0,  1,  1, -2, -2, -1,  1,  0,  0, -1, -1,  2,  2,  1, -1,  0,
     8, -3, -7,  2,  2,  7, -3, -8, -8,  3,  7, -2, -2, -7,  3,  8,
     8,  1, -7, -2, -2,  7,  1, -8, -8, -1,  7,  2,  2, -7, -1,  8,
    -4, -7,  5,  6,  6, -5, -7,  4,  4,  7, -5, -6, -6,  5,  7, -4,
    -4,  5,  5, -6, -6, -5,  5,  4,  4, -5, -5,  6,  6,  5, -5, -4,
     4, -7, -3,  6,  6,  3, -7, -4, -4,  7,  3, -6, -6, -3,  7,  4,
     4,  5, -3, -6, -6,  3,  5, -4, -4, -5,  3,  6,  6, -3, -5,  4,
     0, -7,  1,  6,  6, -1, -7,  0,  0,  7, -1, -6, -6,  1,  7,  0,
     0,  5,  1, -6, -6, -1,  5,  0,  0, -5, -1,  6,  6,  1, -5,  0,
)

_12000_RE_IM = (
     7,  1, -5, -1, -1,  5,  1, -7, -7, -1,  5,  1,  1, -5, -1,  7,
     3, -3, -1,  3,  3,  1, -3, -3, -3,  3,  1, -3, -3, -1,  3,  3,
     7, -7, -5,  7,  7,  5, -7, -7, -7,  7,  5, -7, -7, -5,  7,  7,
    -1, -7,  3,  7,  7, -3, -7,  1,  1,  7, -3, -7, -7,  3,  7, -1,
     3,  5, -1, -5, -5,  1,  5, -3, -3, -5,  1,  5,  5, -1, -5,  3,
    -1,  1,  3, -1, -1, -3,  1,  1,  1, -1, -3,  1,  1,  3, -1, -1,
    -5,  5,  7, -5, -5, -7,  5,  5,  5, -5, -7,  5,  5,  7, -5, -5,
    -5, -3,  7,  3,  3, -7, -3,  5,  5,  3, -7, -3, -3,  7,  3, -5,
)

_9600_RE_IM = (
    -8,  2, -6, -4, -4,  6,  2,  8,  8, -2,  6,  4,  4, -6, -2, -8,
     0,  2, -6,  4,  4,  6,  2,  0,  0, -2,  6, -4, -4, -6, -2,  0,
     0, -6,  2, -4, -4, -2, -6,  0,  0,  6, -2,  4,  4,  2,  6,  0,
     8,  2,  2,  4,  4, -2,  2, -8, -8, -2, -2, -4, -4,  2, -2,  8,
)

_7200_RE_IM = (
     6, -6, -2,  6,  6,  2, -6, -6, -6,  6,  2, -6, -6, -2,  6,  6,
    -2,  2,  6, -2, -2, -6,  2,  2,  2, -2, -6,  2,  2,  6, -2, -2,
)


def _points(flat: tuple[int, ...]) -> NDArray[np.complex128]:
    pairs = np.asarray(flat, dtype=np.float64).reshape(-1, 2)
    return pairs[:, 0] + 1j * pairs[:, 1]


CONSTELLATIONS: dict[int, NDArray[np.complex128]] = {
    14400: _points(_14400_RE_IM),
    12000: _points(_12000_RE_IM),
    9600: _points(_9600_RE_IM),
    7200: _points(_7200_RE_IM),
}
"""Rate -> points indexed by the code ``Q.. Y2 Y1 Y0`` (V.17 Figures 3-5)."""
