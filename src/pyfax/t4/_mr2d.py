"""Two-dimensional coding of T.4 clause 4.2.1.3 (MR) and T.6 (MMR), vectorised.

What it does: codes rows against their reference lines (the row above, or an
imaginary white line) with pass, vertical and horizontal modes, for all rows
and all changing elements at once.

How it works. Call the changing elements of a coding line c0 < c1 < ...,
followed by two imaginary ones at the width. Coding only ever leaves a0 on a
changing element (after a vertical mode, a0 = a1; after a horizontal mode,
a0 = a2), so when element j is next to be coded, a0 = c(j-1) (or the start)
and its colour is fixed by j's parity. From that state alone follow: b1 and
the pass modes before j (the reference pairs b1 b2 lying wholly left of
a1 = cj, counted with one ``searchsorted``), and whether cj takes a vertical
mode (|a1 - b1| <= 3) or opens a horizontal one. The only sequential part is
that a horizontal mode swallows the next element as its a2: within a run of
consecutive "horizontal" elements every other one opens a pair, and an odd
run also swallows the element after it. That is resolved with cumulative
sums, so the whole page is coded without a loop over rows or elements.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pyfax.t4._changes import Changes
from pyfax.t4._runcodes import code_runs
from pyfax.t4._tables import MODE_BITS, MODE_VALUE, Mode
from pyfax.t4._words import Ints, RowWords, segment_index

_SENTINELS = 3
Int32s = NDArray[np.int32]
# Up to 8 pass codes share a word with the mode code (8 x 4 + 7 bits), so a
# row's first word leaves room for the EOL, tag bit and fill in front of it.
_PASSES_IN_MODE_WORD = 8
_PASSES_PER_WORD = 8
_PASS_RUNS = np.array([int("1" * n or "0", 16) for n in range(9)], dtype=np.uint64)


def _with_sentinels(
    changes: Changes, rows: Ints, n_sentinels: int, stride: int
) -> tuple[Int32s, Int32s, Ints]:
    """The changes of ``rows`` (-1: a white line), each row followed by sentinels.

    Each row gets at least ``n_sentinels`` imaginary elements at the width,
    and one more where needed to make its length even, so that every row
    starts at an even index and an element's parity is its index's.

    Returns (positions, sort keys ``k * stride + position`` for the k-th row
    given, row offsets); positions and keys are int32.
    """
    real = np.where(rows < 0, 0, np.diff(changes.offsets)[np.maximum(rows, 0)])
    counts = real + n_sentinels
    counts += counts & 1
    offsets = np.zeros(rows.size + 1, np.int64)
    np.cumsum(counts, out=offsets[1:])
    positions = np.full(int(offsets[-1]), changes.width_px, np.int32)
    source, rank = segment_index(changes.offsets[np.maximum(rows, 0)], real)
    rank += np.repeat(offsets[:-1], real)
    positions[rank] = changes.positions[source]
    keys = np.repeat(np.arange(rows.size, dtype=np.int32) * np.int32(stride), counts)
    keys += positions
    return positions, keys, offsets


def _count_below(keys: Int32s, queries: Int32s, inclusive: bool) -> Ints:
    """For sorted ``queries``: how many ``keys`` are < (or <=) each one.

    Both arrays are sorted, so a stable sort of the two together (a merge,
    which numpy's timsort does in linear time) beats a binary search each.
    """
    n = queries.size
    if inclusive:  # equal keys sort before the query
        order = np.argsort(np.concatenate((keys, queries)), kind="stable")
        at = np.flatnonzero(order >= keys.size)
    else:
        order = np.argsort(np.concatenate((queries, keys)), kind="stable")
        at = np.flatnonzero(order < n)
    at -= np.arange(n)
    return at


def _horizontal_pairs(opens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which elements open a horizontal mode, and which are swallowed as its a2."""
    before = np.zeros_like(opens)
    before[1:] = opens[:-1]
    block_start = np.flatnonzero(opens & ~before)
    if block_start.size == 0:
        return opens, opens
    block = np.cumsum(opens & ~before) - 1
    odd = ((np.arange(opens.size) - block_start[np.maximum(block, 0)]) & 1).astype(bool)
    first = opens & ~odd
    second = opens & odd
    second[1:] |= ~opens[1:] & first[:-1]
    return first, second


@dataclass(frozen=True)
class _Modes:
    """The mode chosen for every coding-line element (see the module notes)."""

    a1: Int32s  # elements, row after row, with imaginary ones at the width
    start: Ints  # index of each row's first element
    b1_at: Ints  # index of each element's b1 in ``ref_pos``
    ref_pos: Int32s  # reference lines, with sentinels
    n_pass: Ints  # pass modes before each element
    h_first: NDArray[np.bool_]  # opens a horizontal mode (a2 = next element)
    coded: NDArray[np.bool_]  # gets its own mode (vertical or horizontal)


def _choose_modes(changes: Changes, rows: Ints, ref_rows: Ints) -> _Modes:
    stride = changes.width_px + 8
    ref_pos, ref_keys, ref_offsets = _with_sentinels(changes, ref_rows, _SENTINELS, stride)
    a1, a1_keys, row_offsets = _with_sentinels(changes, rows, 2, stride)
    start = row_offsets[:-1]
    # Reference elements before a1 (< a1), and up to a1 (<= a1).
    below = _count_below(ref_keys, a1_keys, inclusive=False)
    upto = below + (ref_keys[np.minimum(below, ref_keys.size - 1)] == a1_keys)
    # b1 is the first reference element right of a0 (the element before a1,
    # or the line start) whose parity differs from a0's colour.
    bt = np.empty_like(below)
    bt[1:] = upto[:-1]
    bt[start] = ref_offsets[:-1]
    bt += (bt ^ np.arange(a1.size)) & 1
    n_pass = below - bt
    n_pass >>= 1
    np.maximum(n_pass, 0, out=n_pass)
    bt += 2 * n_pass
    np.minimum(bt, ref_pos.size - 2, out=bt)  # only elements past the line's end reach this
    # Elements after the first imaginary one are never coded on their own.
    tail = np.zeros(a1.size, bool)
    tail[1:] = a1[:-1] == changes.width_px
    tail[start] = False
    delta = a1 - ref_pos[bt]
    h_first, h_second = _horizontal_pairs(((delta + 3).view(np.uint32) > 6) & ~tail)
    return _Modes(a1, start, bt, ref_pos, n_pass, h_first, ~(h_second | tail))


def mode_words(changes: Changes, rows: Ints, ref_rows: Ints) -> RowWords:
    """The 2-D code words of ``rows``, each coded against ``ref_rows`` (-1: white).

    Args:
        changes: the changing elements of the whole page.
        rows: the rows to code, ascending.
        ref_rows: each row's reference row (ascending too), or -1 for an
            imaginary white line.
    """
    m = _choose_modes(changes, rows, ref_rows)
    a1, coded = m.a1, m.coded
    h = np.flatnonzero(coded & m.h_first)  # element index of each horizontal mode
    delta = a1[coded] - m.ref_pos[m.b1_at[coded]]
    h_first = m.h_first[coded]
    n_pass = m.n_pass[coded]
    mode = np.where(h_first, int(Mode.HORIZONTAL), delta + 3)
    in_mode = np.minimum(n_pass, _PASSES_IN_MODE_WORD)
    extra = -(-(n_pass - in_mode) // _PASSES_PER_WORD)
    n_words = extra + 1 + 2 * h_first
    base = np.cumsum(n_words) - n_words
    value = np.empty(int(n_words.sum()), np.uint64)
    n_bits = np.empty(value.size, np.uint8)
    at = base + extra
    value[at] = (_PASS_RUNS[in_mode] << MODE_BITS[mode].astype(np.uint64)) | MODE_VALUE[mode]
    n_bits[at] = 4 * in_mode + MODE_BITS[mode]
    if extra.any():
        slot, k = segment_index(base, extra)
        left = np.repeat(n_pass - in_mode, extra) - k * _PASSES_PER_WORD
        np.minimum(left, _PASSES_PER_WORD, out=left)
        value[slot], n_bits[slot] = _PASS_RUNS[left], 4 * left
    at = at[h_first]
    value[at + 1], n_bits[at + 1] = code_runs(changes.width_px, h & 1, _run_a0a1(m, h))
    value[at + 2], n_bits[at + 2] = code_runs(changes.width_px, 1 - (h & 1), a1[h + 1] - a1[h])
    per_element = np.zeros(a1.size, np.int64)
    per_element[coded] = n_words
    return RowWords(rows, np.add.reduceat(per_element, m.start), value, n_bits)


def _run_a0a1(m: _Modes, h: Ints) -> Ints:
    """The first run of each horizontal mode at elements ``h``: a1 - a0."""
    row_start = np.zeros(m.a1.size, bool)
    row_start[m.start] = True
    a0 = np.where(row_start[h], 0, m.a1[h - 1])
    passed = m.n_pass[h] > 0
    a0[passed] = m.ref_pos[m.b1_at[h[passed]] - 1]  # pass modes leave a0 under b2
    return np.asarray(m.a1[h] - a0, np.int64)
