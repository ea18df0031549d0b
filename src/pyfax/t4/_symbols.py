"""Coding symbols and their expansion into T.4 code words.

A *symbol* is either a fixed code word (an EOL, a 2-D mode code) or a run
of one colour, which T.4 clause 4.1.1 codes as zero or more make-up codes
(2560 repeated for very long runs, then one make-up code for the multiple of
64 left) followed by exactly one terminating code. :func:`expand` turns a
whole page's symbols into code words with array indexing, no Python loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pyfax.t4._tables import MAKEUP_BITS, MAKEUP_VALUE, MAX_MAKEUP, TERM_BITS, TERM_VALUE

Ints = NDArray[np.int64]
Codes = NDArray[np.uint64]


@dataclass(frozen=True)
class Symbols:
    """Symbols of a page, in coding order within each row.

    Attributes:
        row: the row each symbol belongs to.
        value: the fixed code word (ignored for runs).
        n_bits: the fixed code word's length; 0 marks a run.
        run: the run length in pixels (runs only).
        colour: 0 white, 1 black (runs only).
    """

    row: Ints
    value: Codes
    n_bits: Ints
    run: Ints
    colour: Ints

    @staticmethod
    def runs(row: Ints, run: Ints, colour: Ints) -> Symbols:
        """Symbols that are all runs."""
        n = row.size
        return Symbols(row, np.zeros(n, np.uint64), np.zeros(n, np.int64), run, colour)

    @staticmethod
    def fixed(row: Ints, value: Codes, n_bits: Ints) -> Symbols:
        """Symbols that are all fixed code words."""
        zeros = np.zeros(row.size, np.int64)
        return Symbols(row, value, n_bits, zeros, zeros)

    @staticmethod
    def concat(parts: list[Symbols]) -> Symbols:
        """All parts, one after another."""
        if not parts:
            empty = np.zeros(0, np.int64)
            return Symbols.runs(empty, empty, empty)
        return Symbols(*(np.concatenate([getattr(p, f) for p in parts]) for f in _FIELDS))

    def take(self, index: Ints) -> Symbols:
        """The symbols at ``index``, in that order."""
        return Symbols(*(getattr(self, f)[index] for f in _FIELDS))


_FIELDS = ("row", "value", "n_bits", "run", "colour")


@dataclass(frozen=True)
class CodeWords:
    """Code words in stream order, with the row each belongs to."""

    row: Ints
    value: Codes
    n_bits: Ints


def expand(symbols: Symbols) -> CodeWords:
    """The code words of ``symbols``, in order.

    >>> words = expand(Symbols.runs(np.array([0, 0]), np.array([2600, 3]), np.array([0, 1])))
    >>> [format(int(v), f"0{n}b") for v, n in zip(words.value, words.n_bits)]
    ['000000011111', '00101001', '10']
    """
    is_run = symbols.n_bits == 0
    run = np.where(is_run, symbols.run, 0)
    colour = symbols.colour
    n_long = run // MAX_MAKEUP
    rest = run - n_long * MAX_MAKEUP
    makeup_index = rest >> 6
    has_makeup = is_run & (makeup_index > 0)
    count = n_long + has_makeup + 1
    first = np.zeros(count.size, np.int64)
    np.cumsum(count[:-1], out=first[1:])
    total = int(first[-1] + count[-1]) if count.size else 0
    value = np.empty(total, np.uint64)
    n_bits = np.empty(total, np.int64)
    last = first + count - 1
    term = rest & 63
    value[last] = np.where(is_run, TERM_VALUE[colour, term], symbols.value)
    n_bits[last] = np.where(is_run, TERM_BITS[colour, term], symbols.n_bits)
    at = first[has_makeup] + n_long[has_makeup]
    value[at] = MAKEUP_VALUE[colour[has_makeup], makeup_index[has_makeup]]
    n_bits[at] = MAKEUP_BITS[colour[has_makeup], makeup_index[has_makeup]]
    if n_long.any():
        owner = np.repeat(np.arange(count.size), n_long)
        step = np.arange(owner.size) - np.repeat(np.cumsum(n_long) - n_long, n_long)
        slot = first[owner] + step
        value[slot] = MAKEUP_VALUE[colour[owner], MAX_MAKEUP // 64]
        n_bits[slot] = MAKEUP_BITS[colour[owner], MAX_MAKEUP // 64]
    return CodeWords(np.repeat(symbols.row, count), value, n_bits)
