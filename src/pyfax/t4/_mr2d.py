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

import numpy as np

from pyfax.t4._changes import Changes
from pyfax.t4._runcodes import run_codes
from pyfax.t4._tables import MODE_BITS, MODE_VALUE, Mode
from pyfax.t4._words import Ints, RowWords, segment_index

_SENTINELS = 3
# Up to 8 pass codes share a word with the mode code (8 x 4 + 7 bits), so a
# row's first word leaves room for the EOL, tag bit and fill in front of it.
_PASSES_IN_MODE_WORD = 8
_PASSES_PER_WORD = 8
_PASS_RUNS = np.array([int("1" * n or "0", 16) for n in range(9)], dtype=np.uint64)


def _reference_keys(changes: Changes) -> tuple[Ints, Ints, Ints, int]:
    """Every row's changes plus sentinels at the width, with sort keys.

    Returns (positions, keys, row offsets, stride); row ``n_rows`` is an
    extra, empty (white) line.
    """
    width = changes.width_px
    counts = np.append(np.diff(changes.offsets), 0) + _SENTINELS
    offsets = np.zeros(counts.size + 1, np.int64)
    np.cumsum(counts, out=offsets[1:])
    _, rank = segment_index(offsets[:-1], counts)
    positions = np.full(int(offsets[-1]), width, np.int64)
    real = rank < np.repeat(counts - _SENTINELS, counts)
    positions[real] = changes.positions
    stride = width + 8
    keys = np.repeat(np.arange(counts.size, dtype=np.int64) * stride, counts) + positions
    return positions, keys, offsets, stride


def _elements(changes: Changes, rows: Ints) -> tuple[Ints, Ints, Ints, Ints]:
    """Coding-line elements: (positions, a0 before each, rank in row, per-row count)."""
    real = np.diff(changes.offsets)[rows]
    counts = real + 2  # two imaginary elements at the width
    start = np.cumsum(counts) - counts
    _, rank = segment_index(start, counts)
    positions = np.full(rank.size, changes.width_px, np.int64)
    is_real = rank < np.repeat(real, counts)
    source, _ = segment_index(changes.offsets[rows], real)
    positions[is_real] = changes.positions[source]
    a0 = np.empty_like(positions)
    a0[1:] = positions[:-1]
    a0[start] = -1
    return positions, a0, rank, counts


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


def mode_words(changes: Changes, rows: Ints, ref_rows: Ints) -> RowWords:
    """The 2-D code words of ``rows``, each coded against ``ref_rows`` (-1: white).

    Args:
        changes: the changing elements of the whole page.
        rows: the rows to code, ascending.
        ref_rows: each row's reference row, or -1 for an imaginary white line.
    """
    width = changes.width_px
    ref_pos, ref_keys, ref_offsets, stride = _reference_keys(changes)
    a1, a0, rank, counts = _elements(changes, rows)
    ref = np.repeat(np.where(ref_rows < 0, changes.n_rows, ref_rows), counts)
    colour = rank & 1
    # The second imaginary element (a0 = width) is never coded; keep its search in its row.
    bt = np.searchsorted(ref_keys, ref * stride + np.minimum(a0, width - 1), side="right")
    bt += ((bt - ref_offsets[ref]) & 1) != colour
    n_pass = np.maximum(0, (np.searchsorted(ref_keys, ref * stride + a1) - bt) // 2)
    bt += 2 * n_pass
    b1 = ref_pos[bt]
    a0 = np.where(n_pass > 0, ref_pos[bt - 1], a0)  # pass modes leave a0 under b2
    last = rank == np.repeat(counts - 1, counts)
    h_first, h_second = _horizontal_pairs((np.abs(a1 - b1) > 3) & ~last)
    coded = ~h_second & ~(last & ~h_first)
    mode = np.where(h_first, int(Mode.HORIZONTAL), a1 - b1 + 3)[coded]
    n_pass, h_first = n_pass[coded], h_first[coded]
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
        value[slot] = _PASS_RUNS[np.minimum(left, _PASSES_PER_WORD)]
        n_bits[slot] = 4 * np.minimum(left, _PASSES_PER_WORD)
    code_value, code_bits = run_codes(width)
    h = np.flatnonzero(coded)[h_first]  # element index of each horizontal mode
    c, at = colour[h], at[h_first]
    run1, run2 = a1[h] - np.maximum(a0[h], 0), a1[h + 1] - a1[h]
    value[at + 1], n_bits[at + 1] = code_value[c, run1], code_bits[c, run1]
    value[at + 2], n_bits[at + 2] = code_value[1 - c, run2], code_bits[1 - c, run2]
    per_element = np.zeros(a1.size, np.int64)
    per_element[coded] = n_words
    row_counts = np.add.reduceat(per_element, np.cumsum(counts) - counts)
    return RowWords(rows, row_counts, value, n_bits)
