"""Decoding of one coded line: T.4 clause 4.1 (1-D) and 4.2 / T.6 (2-D).

How it works: the stream is given as ``win``, the list of 13-bit values that
start at each bit offset (:func:`._bits.windows`), so every code word is one
list index into a 8192-entry table (:mod:`._tables`) that gives its meaning
and length at once. A line is returned as the list of its changing elements
(columns where the colour flips, T.4 clause 4.2.1.3.1). The loops are short
and keep everything in locals; they are the only per-code work in Python.
A malformed line raises :class:`LineError` with the bit offset of the fault.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pyfax.errors import T4Error
from pyfax.t4._tables import BLACK_RUNS, MODES, WHITE_RUNS, WINDOW_BITS, Mode

_SENTINEL_COUNT = 3
_TERMINATING_END = 64 << 4  # table entries below this are terminating codes


def _leading_ones_table() -> list[int]:
    """Leading one bits of each window: that many V0 codes follow each other."""
    window = np.arange(1 << WINDOW_BITS)
    count = np.zeros(window.size, np.int64)
    still_ones = np.ones(window.size, bool)
    for bit in range(WINDOW_BITS - 1, -1, -1):
        still_ones &= ((window >> bit) & 1).astype(bool)
        count += still_ones
    return [int(n) for n in count]


LEADING_ONES = _leading_ones_table()
_V0 = int(Mode.V0)
_NOT_A_MODE = int(Mode.HORIZONTAL) + 1
_MODE_OF = [e >> 4 if e >= 0 else _NOT_A_MODE for e in MODES]
"""Mode of the code word at the start of each window (invalid codes, EOL: 9)."""
_BITS_OF = [e & 15 if e >= 0 else 0 for e in MODES]
"""Length of that code word (0 where there is none)."""
Window = Sequence[int]


class LineError(T4Error):
    """A line that does not decode (internal; turned into T4DecodeError)."""

    def __init__(self, reason: str, bit_offset: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.bit_offset = bit_offset


def with_sentinels(changes: list[int], width_px: int) -> list[int]:
    """A reference line: its changing elements, then imaginary ones at the width."""
    return [*changes, *([width_px] * _SENTINEL_COUNT)]


def _run(win: Window, p: int, table: list[int]) -> tuple[int, int]:
    """One run (make-up codes, then a terminating code): (length, next offset)."""
    total = 0
    while True:
        e = table[win[p]]
        if e < 0:
            raise LineError("invalid run code", p)
        p += e & 15
        run = e >> 4
        total += run
        if run < 64:
            return total, p


def decode_1d(win: Window, p: int, width_px: int) -> tuple[list[int], int]:
    """Decode a 1-D (MH) line starting at bit ``p``: (changes, next offset)."""
    changes: list[int] = []
    append = changes.append
    white, black = WHITE_RUNS, BLACK_RUNS
    table = white
    x = 0
    while True:
        e = table[win[p]]
        if e < 0:
            raise LineError("invalid or missing run code", p)
        p += e & 15
        run = e >> 4
        x += run
        if run >= 64:
            if x > width_px:
                raise LineError("run past the end of the line", p)
            continue
        if x >= width_px:
            if x > width_px:
                raise LineError("run past the end of the line", p)
            return changes, p
        if changes and changes[-1] == x:
            changes.pop()  # a zero-length run cancels the change before it
        else:
            append(x)
        table = black if table is white else white


def decode_2d(win: Window, p: int, width_px: int, ref: list[int]) -> tuple[list[int], int]:
    """Decode a 2-D (MR/MMR) line at bit ``p`` against reference ``ref``.

    ``ref`` is :func:`with_sentinels` of the reference line's changes.
    Returns (changes, next offset). A run of n V0 codes (n one bits) copies
    the next n changing elements of the reference line in one step.

    ``i`` is always b1's index in ``ref``, and its parity is a0's colour
    (even: white, so b1 turns the reference line black). Each mode moves it
    by what that mode implies (T.4 clause 4.2.1.3.1), so only horizontal
    mode searches: after V0 or VLn b1 is the next element (or, after VLn,
    the one before, when that lies right of the new a0); after VRn it is the
    first element of the other parity right of a0; after pass mode it is
    two elements on. This is the one long function of the codec: it runs
    once per code word, and calls cost more than the loop body.
    """
    changes: list[int] = []
    append = changes.append
    mode_of, bits_of, leading_ones, v0 = _MODE_OF, _BITS_OF, LEADING_ONES, _V0
    n_real = len(ref) - _SENTINEL_COUNT
    a0, i = -1, 0  # ref[0] >= 0 > a0, and its parity is white's
    while True:
        w = win[p]
        mode = mode_of[w]
        while mode == v0:  # a1 = b1, n times over
            n = leading_ones[w]
            if n > n_real - i:
                changes += ref[i:n_real]  # then a1 reaches the width: end of line
                return changes, p + max(n_real - i, 0) + 1
            changes += ref[i : i + n]
            p += n
            i += n
            a0 = ref[i - 1]
            w = win[p]
            mode = mode_of[w]
        p += bits_of[w]
        if mode < 3:  # VLn: a1 = b1 - n, right of a0
            a1 = ref[i] + mode - 3
            if a1 <= a0:
                raise LineError("vertical mode left of a0", p)
            append(a1)
            a0 = a1
            if i and ref[i - 1] > a1:
                i -= 1
            else:
                i += 1
        elif mode < 7:  # VRn: a1 = b1 + n, at most the width
            a0 = ref[i] + mode - 3
            if a0 >= width_px:
                if a0 > width_px:
                    raise LineError("vertical mode past the end of the line", p)
                return changes, p
            append(a0)
            i += 1
            while ref[i] <= a0:
                i += 2
        elif mode == 7:  # pass: a0 moves under b2
            a0 = ref[i + 1]
            if a0 >= width_px:
                raise LineError("pass mode past the end of the line", p)
            i += 2
        elif mode == _NOT_A_MODE:
            raise LineError("invalid or unsupported mode code", p)
        else:  # horizontal: two runs, a0a1 then a1a2; most are one terminating code
            first, second = (BLACK_RUNS, WHITE_RUNS) if i & 1 else (WHITE_RUNS, BLACK_RUNS)
            e = first[win[p]]
            if 0 <= e < _TERMINATING_END:
                run1 = e >> 4
                p += e & 15
            else:
                run1, p = _run(win, p, first)
            e = second[win[p]]
            if 0 <= e < _TERMINATING_END:
                run2 = e >> 4
                p += e & 15
            else:
                run2, p = _run(win, p, second)
            a1 = (a0 if a0 > 0 else 0) + run1
            a2 = a1 + run2
            if (a1 <= a0 and a0 >= 0) or a2 > width_px or (a2 == a1 and a1 < width_px):
                raise LineError("horizontal mode runs do not fit the line", p)
            if a1 < width_px:
                append(a1)
                if a2 < width_px:
                    append(a2)
            if a2 >= width_px:
                return changes, p
            a0 = a2
            parity = i & 1
            while ref[i] <= a2:
                i += 1
            if (i & 1) != parity:
                i += 1
