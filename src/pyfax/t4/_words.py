"""Code words of a set of rows, in stream order (shared by the encoders)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Ints = NDArray[np.int64]
Codes = NDArray[np.uint64]
Bits = NDArray[np.uint8]


@dataclass(frozen=True)
class RowWords:
    """Code words of some rows, row after row.

    Attributes:
        rows: the rows, ascending.
        counts: how many words each row has.
        value: the words, right-aligned.
        n_bits: each word's length in bits (1..64).
    """

    rows: Ints
    counts: Ints
    value: Codes
    n_bits: Bits


def segment_index(offsets: Ints, counts: Ints) -> tuple[Ints, Ints]:
    """For segments given by (start offset, count), every member's index and rank.

    >>> [a.tolist() for a in segment_index(np.array([5, 0]), np.array([2, 3]))]
    [[5, 6, 0, 1, 2], [0, 1, 0, 1, 2]]
    """
    first = np.cumsum(counts) - counts
    rank = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(first, counts)
    return np.repeat(offsets, counts) + rank, rank
