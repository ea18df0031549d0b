"""Two-dimensional coding of T.4 clause 4.2.1.3 (MR) and T.6 (MMR).

What it does: for every row coded two-dimensionally, chooses pass,
vertical or horizontal mode at each step, given the row's changing elements
and those of its reference line (the row above, or an imaginary white line).

How it works: the reference line of every row is known before coding
starts, so all rows are coded side by side: each iteration advances the
coding position a0 of every unfinished row by one mode. a1, a2 (on the
coding line) and b1, b2 (on the reference line) are found for all rows at
once by ``searchsorted`` over one sorted key array ``row * stride + column``
holding every row's changing elements followed by three imaginary ones at
the line width. Iterations are as many as the longest row has modes.
"""

from __future__ import annotations

import numpy as np

from pyfax.t4._changes import Changes
from pyfax.t4._symbols import Ints, Symbols
from pyfax.t4._tables import MODE_BITS, MODE_VALUE, Mode

_SENTINELS = 3


def _keyed(changes: Changes) -> tuple[Ints, Ints, Ints, int]:
    """Positions with sentinels, their sort keys, row offsets, and the stride.

    Row ``changes.n_rows`` is an extra, empty (white) row.
    """
    width = changes.width_px
    n_rows = changes.n_rows + 1
    counts = np.diff(changes.offsets)
    counts = np.append(counts, 0) + _SENTINELS
    offsets = np.zeros(n_rows + 1, np.int64)
    np.cumsum(counts, out=offsets[1:])
    positions = np.full(int(offsets[-1]), width, np.int64)
    real = np.ones(positions.size, bool)
    for s in range(1, _SENTINELS + 1):
        real[offsets[1:] - s] = False
    positions[real] = changes.positions
    stride = width + 8
    row = np.repeat(np.arange(n_rows, dtype=np.int64), counts)
    return positions, row * stride + positions, offsets, stride


def mode_symbols(changes: Changes, rows: Ints, ref_rows: Ints) -> list[Symbols]:
    """The 2-D coding symbols of ``rows``, one iteration's chunk after another.

    Args:
        changes: the changing elements of the whole page.
        rows: the rows to code two-dimensionally.
        ref_rows: each row's reference row, or -1 for an imaginary white line.

    Returns:
        Symbol chunks; within one row they are in coding order, so a stable
        sort by row of their concatenation gives the stream order.
    """
    width = changes.width_px
    positions, keys, offsets, stride = _keyed(changes)
    row = rows.astype(np.int64)
    ref = np.where(ref_rows < 0, changes.n_rows, ref_rows).astype(np.int64)
    a0 = np.full(row.size, -1, np.int64)
    colour = np.zeros(row.size, np.int64)
    chunks: list[Symbols] = []
    while row.size:
        at = np.searchsorted(keys, row * stride + a0, side="right")
        a1, a2 = positions[at], positions[at + 1]
        bt = np.searchsorted(keys, ref * stride + a0, side="right")
        bt += ((bt - offsets[ref]) & 1) != colour
        b1, b2 = positions[bt], positions[bt + 1]
        is_pass = b2 < a1
        is_vert = ~is_pass & (np.abs(a1 - b1) <= 3)
        is_horiz = ~(is_pass | is_vert)
        mode = np.where(is_pass, Mode.PASS, np.where(is_vert, a1 - b1 + 3, Mode.HORIZONTAL))
        chunks.append(Symbols.fixed(row, MODE_VALUE[mode], MODE_BITS[mode]))
        if is_horiz.any():
            h_row, h_colour = row[is_horiz], colour[is_horiz]
            h_a1 = a1[is_horiz]
            chunks.append(Symbols.runs(h_row, h_a1 - np.maximum(a0[is_horiz], 0), h_colour))
            chunks.append(Symbols.runs(h_row, a2[is_horiz] - h_a1, 1 - h_colour))
        a0 = np.where(is_pass, b2, np.where(is_vert, a1, a2))
        colour = np.where(is_vert, 1 - colour, colour)
        going = a0 < width
        row, ref, a0, colour = row[going], ref[going], a0[going], colour[going]
    return chunks
