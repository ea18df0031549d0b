"""Whole-run code words of T.4 clause 4.1.1, as lookup tables by run length.

A run of r pixels is coded as ``r // 2560`` extended make-up codes for 2560,
then a make-up code for the remaining multiple of 64 (when there is one),
then the terminating code for ``r % 64``. Here that whole sequence is
precomputed as one code word (value and length in bits) for every r up to
the page width, so coding a page's runs is two array lookups. One word must
fit in 64 bits, which holds for widths below :data:`MAX_WIDTH_PX`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pyfax.t4._tables import MAKEUP_BITS, MAKEUP_VALUE, MAX_MAKEUP, TERM_BITS, TERM_VALUE

MAX_WIDTH_PX = 4 * MAX_MAKEUP - 1
"""Widest line whose runs all code into 64-bit words (3 x 12 + 13 + 12 bits)."""


@lru_cache(maxsize=16)
def run_codes(width_px: int) -> tuple[NDArray[np.uint64], NDArray[np.uint8]]:
    """Code word value and length for runs 0..width_px, indexed [colour, run].

    >>> value, bits = run_codes(1728)
    >>> format(int(value[0, 1728]), f"0{bits[0, 1728]}b")  # make-up 1728, terminating 0
    '01001101100110101'
    """
    run = np.arange(width_px + 1, dtype=np.int64)
    n_long = run // MAX_MAKEUP
    rest = run - n_long * MAX_MAKEUP
    makeup = rest >> 6
    term = rest & 63
    values, lengths = [], []
    for colour in (0, 1):
        t_bits, m_bits = (
            TERM_BITS[colour, term],
            np.where(makeup > 0, MAKEUP_BITS[colour, makeup], 0),
        )
        long_value, long_bits = MAKEUP_VALUE[colour, MAX_MAKEUP // 64], MAKEUP_BITS[colour, -1]
        value = np.zeros(run.size, np.uint64)
        for k in range(1, int(n_long.max(initial=0)) + 1):
            value = np.where(n_long >= k, (value << np.uint64(long_bits)) | long_value, value)
        value = (value << m_bits.astype(np.uint64)) | np.where(
            makeup > 0, MAKEUP_VALUE[colour, makeup], np.uint64(0)
        )
        value = (value << t_bits.astype(np.uint64)) | TERM_VALUE[colour, term]
        values.append(value)
        lengths.append(n_long * long_bits + m_bits + t_bits)
    return np.stack(values), np.stack(lengths).astype(np.uint8)


def code_runs(
    width_px: int, colour: NDArray[np.integer[Any]], run: NDArray[np.integer[Any]]
) -> tuple[NDArray[np.uint64], NDArray[np.uint8]]:
    """The code word (value, length) of each run of the given colour (0 white, 1 black).

    >>> value, bits = code_runs(1728, np.array([0, 1]), np.array([2, 3]))
    >>> value.tolist(), bits.tolist()  # white 2 = 0111, black 3 = 10
    ([7, 2], [4, 2])
    """
    value, n_bits = run_codes(width_px)
    index = colour.astype(np.intp)
    index *= width_px + 1
    index += run
    return np.take(value.reshape(-1), index), np.take(n_bits.reshape(-1), index)


def max_run_bits(width_px: int) -> int:
    """The longest code word of a run up to ``width_px``.

    >>> max_run_bits(1728)  # black make-up 1728 and terminating 63
    25
    """
    return int(run_codes(width_px)[1].max())


@lru_cache(maxsize=16)
def _joined_codes(width_px: int) -> NDArray[np.uint64] | None:
    """``value << 8 | n_bits`` for runs 0..width_px, [colour, run], when values fit."""
    value, n_bits = run_codes(width_px)
    if int(n_bits.max()) > 56:
        return None
    return (value << np.uint64(8)) | n_bits.astype(np.uint64)


def run_code_words(
    width_px: int, index: NDArray[np.intp]
) -> tuple[NDArray[np.uint64], NDArray[np.uint8]]:
    """The code words of runs given as ``colour * (width_px + 1) + run``.

    One gather from a joined table and a split is cheaper than two gathers.

    >>> value, bits = run_code_words(1728, np.array([2, 1729 + 3]))
    >>> value.tolist(), bits.tolist()  # white 2 = 0111, black 3 = 10
    ([7, 2], [4, 2])
    """
    joined = _joined_codes(width_px)
    if joined is None:
        value, n_bits = run_codes(width_px)
        return np.take(value.reshape(-1), index), np.take(n_bits.reshape(-1), index)
    entry = np.take(joined.reshape(-1), index)
    n_bits = entry.astype(np.uint8)
    return np.right_shift(entry, np.uint64(8), out=entry), n_bits
