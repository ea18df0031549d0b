"""Many one-dimensional (MH) lines decoded side by side (T.4 clause 4.1).

How it works: every line of an MH or MR page starts right after an EOL, and
all EOLs are found before decoding, so the 1-D lines need not be decoded one
after another. Each iteration reads one code word of every unfinished line
at once: the 13 bits at each line's bit offset index a table of
``run << 4 | length`` entries for the line's current colour; offsets, line
positions and colours advance together, and a line leaves the loop when it
fills the width exactly or goes wrong. There are as many iterations as the
longest line has code words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pyfax.t4._tables import BLACK_RUNS, WHITE_RUNS, WINDOW_BITS
from pyfax.t4._words import Ints

_RUNS = np.array(WHITE_RUNS + BLACK_RUNS, dtype=np.int64)  # index: colour << 13 | window


@dataclass(frozen=True)
class DecodedLines:
    """The result of decoding some lines.

    Attributes:
        ok: whether each line decoded to exactly the width.
        end: bit offset after each good line, or where a bad one went wrong.
        positions: the changing elements of all lines, line after line.
        offsets: line i's elements are ``positions[offsets[i]:offsets[i + 1]]``.
    """

    ok: NDArray[np.bool_]
    end: Ints
    positions: Ints
    offsets: Ints


def decode_1d_lines(win: NDArray[np.uint16], starts: Ints, width_px: int) -> DecodedLines:
    """Decode the MH lines that start at bit offsets ``starts``.

    ``win`` holds the 13-bit window at every bit offset, padded with zeros
    so that reading past the end finds an invalid code.
    """
    n = starts.size
    line = np.arange(n, dtype=np.int64)
    p = starts.astype(np.int64)
    x = np.zeros(n, np.int64)
    colour = np.zeros(n, np.int64)
    ok = np.zeros(n, bool)
    end = np.zeros(n, np.int64)
    found_line: list[Ints] = []
    found_x: list[Ints] = []
    while line.size:
        entry = _RUNS[(colour << WINDOW_BITS) | win[p]]
        run = entry >> 4
        bad = entry < 0
        x += run
        bad |= x > width_px
        done = ~bad & (run < 64) & (x == width_px)
        change = (run < 64) & (x < width_px) & ~bad
        p += np.where(bad, 0, entry & 15)
        if change.any():
            found_line.append(line[change])
            found_x.append(x[change])
        stop = bad | done
        if stop.any():
            end[line[stop]] = p[stop]
            ok[line[done]] = True
            keep = ~stop
            line, p, x, colour, change = line[keep], p[keep], x[keep], colour[keep], change[keep]
        colour ^= change
    return _collect(ok, end, found_line, found_x, n)


def _collect(
    ok: NDArray[np.bool_], end: Ints, found_line: list[Ints], found_x: list[Ints], n: int
) -> DecodedLines:
    """Gather the changes found, iteration by iteration, into per-line order."""
    if not found_line:
        return DecodedLines(ok, end, np.zeros(0, np.int64), np.zeros(n + 1, np.int64))
    line = np.concatenate(found_line)
    x = np.concatenate(found_x)
    key = line.astype(np.uint16) if n <= 65536 else line  # 16-bit keys sort by radix
    order = np.argsort(key, kind="stable")
    line, x = line[order], x[order]
    # A zero-length run in mid-line repeats a position; such lines are left bad
    # here (valid encoders never write them) and decoded one by one by the caller.
    repeat = np.flatnonzero((line[1:] == line[:-1]) & (x[1:] == x[:-1]))
    if repeat.size:
        ok[line[repeat]] = False
    offsets = np.searchsorted(line, np.arange(n + 1))
    return DecodedLines(ok, end, x, offsets.astype(np.int64))
