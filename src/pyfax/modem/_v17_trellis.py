"""V.17 trellis coding: differential encoder, 8-state convolutional encoder, subsets.

Implements ITU-T V.17 §2.3 (Figure 2). Each symbol carries ``n`` data bits
``Q1..Qn`` (first bit in time is Q1). The differential encoder turns Q2Q1 into
``Y2Y1 = (Q2Q1 + previous Y2Y1) mod 4`` (a 90-degree rotation of the
constellation adds a constant to Y2Y1, so the receiver need not resolve the
phase ambiguity). The systematic 8-state convolutional encoder, fed Y2Y1, adds
the redundant bit Y0. The code ``Q..Q3 Y2 Y1 Y0`` addresses the constellation
point; its low three bits ``Y2 Y1 Y0`` name one of 8 subsets.

The differential encoder is a running sum, so it is vectorised with
``cumsum``; the convolutional encoder is a small state machine stepped with
Python ints over a lookup table.

The receiver side (:class:`TrellisSpec`) describes the same trellis for the
Viterbi decoder: for each next state, its four predecessors and the subset
label of each branch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pyfax.modem._v17_tables import CONV_NEXT_STATE

__all__ = ["V17_TRELLIS", "SubsetSlicer", "TrellisEncoder", "TrellisSpec", "differential_decode"]

N_STATES = 8
_SUBSETS = np.arange(N_STATES)


@dataclass(frozen=True, slots=True)
class TrellisSpec:
    """A trellis with four branches into each state, for the Viterbi decoder.

    Attributes:
        prev_state: ``prev_state[ns][j]`` is the j-th predecessor of state ns.
        label: ``label[ns][j]`` is the subset (code bits Y2 Y1 Y0) sent on that branch.
    """

    prev_state: tuple[tuple[int, ...], ...]
    label: tuple[tuple[int, ...], ...]

    @property
    def n_states(self) -> int:
        """Number of encoder states."""
        return len(self.prev_state)


def _v17_spec() -> TrellisSpec:
    prev: list[list[int]] = [[] for _ in range(N_STATES)]
    lab: list[list[int]] = [[] for _ in range(N_STATES)]
    for state, row in enumerate(CONV_NEXT_STATE):
        for y21, nxt in enumerate(row):
            prev[nxt].append(state)
            lab[nxt].append((y21 << 1) | ((nxt >> 2) & 1))
    return TrellisSpec(tuple(map(tuple, prev)), tuple(map(tuple, lab)))


V17_TRELLIS = _v17_spec()
"""The V.17 trellis (Figure 2) seen from each next state."""


_STEP = 4  # symbols per table step of the encoder


def _step_table() -> tuple[tuple[tuple[int, int], ...], ...]:
    """``[state][4 inputs packed first-high]`` -> (state after, their Y0 bits first-high)."""
    rows = []
    for state in range(N_STATES):
        row = []
        for packed in range(4**_STEP):
            s, y0s = state, 0
            for k in range(_STEP - 1, -1, -1):
                s = CONV_NEXT_STATE[s][(packed >> (2 * k)) & 3]
                y0s = (y0s << 1) | (s >> 2)
            row.append((s, y0s))
        rows.append(tuple(row))
    return tuple(rows)


_STEP_TABLE = _step_table()


class TrellisEncoder:
    """Differential plus convolutional encoding of V.17 data symbols (§2.3).

    Args:
        diff: initial state of the differential encoder (Y2Y1 of the previous symbol).
        conv: initial state of the convolutional encoder (0 at the start of segment 4).
    """

    def __init__(self, diff: int, conv: int = 0) -> None:
        self.diff = diff
        self.conv = conv

    def encode(self, q: NDArray[np.int64]) -> NDArray[np.int64]:
        """Constellation codes for the symbols' data values ``q`` (Q1 in bit 0).

        >>> TrellisEncoder(diff=1).encode(np.array([0b111111, 0b000001])).tolist()
        [120, 2]
        """
        q = np.asarray(q, dtype=np.int64)
        if q.size == 0:
            return np.zeros(0, dtype=np.int64)
        y21 = (self.diff + np.cumsum(q & 3)) & 3
        self.diff = int(y21[-1])
        return ((q << 1) & ~7) | (y21 << 1) | self._redundant_bits(y21)

    def _redundant_bits(self, y21: NDArray[np.int64]) -> NDArray[np.int64]:
        """Y0 of each symbol: the encoder stepped four symbols at a time."""
        n = y21.size
        head = n - n % _STEP
        groups = y21[:head].reshape(-1, _STEP) @ (4 ** np.arange(_STEP - 1, -1, -1))
        conv = self.conv
        table = _STEP_TABLE
        outs: list[int] = []
        for g in groups.tolist():
            conv, y0s = table[conv][g]
            outs.append(y0s)
        y0 = (np.asarray(outs, np.int64)[:, None] >> np.arange(_STEP - 1, -1, -1)) & 1
        tail: list[int] = []
        for d in y21[head:].tolist():
            conv = CONV_NEXT_STATE[conv][d]
            tail.append(conv >> 2)
        self.conv = conv
        return np.concatenate([y0.reshape(-1), np.asarray(tail, np.int64)])


def differential_decode(codes: NDArray[np.int64], diff: int) -> tuple[NDArray[np.int64], int]:
    """Data values ``q`` of decided codes; also returns the last Y2Y1.

    >>> q, last = differential_decode(np.array([120, 2]), diff=1)
    >>> q.tolist(), last
    ([63, 1], 1)
    """
    codes = np.asarray(codes, dtype=np.int64)
    y21 = (codes >> 1) & 3
    prev = np.concatenate([[diff], y21[:-1]]).astype(np.int64)
    q = ((codes >> 1) & ~3) | ((y21 - prev) & 3)
    return q, (int(y21[-1]) if y21.size else diff)


class SubsetSlicer:
    """Nearest point of each of the 8 subsets, for a block of received symbols.

    Args:
        points: the constellation, indexed by code (its low 3 bits name the subset).
    """

    def __init__(self, points: NDArray[np.complex128]) -> None:
        codes = np.arange(points.size).reshape(-1, N_STATES).T  # (subset, member)
        self.codes: NDArray[np.int64] = codes.astype(np.int64)
        self.points: NDArray[np.complex128] = points[codes]
        self._x = self.points.real[None, :, :].copy()
        self._y = self.points.imag[None, :, :].copy()

    def __call__(self, z: NDArray[np.complex128]) -> tuple[NDArray[np.float64],
                                                             NDArray[np.int64]]:
        """``(distances, codes)``, each ``(len(z), 8)``: squared distance to and
        code of the nearest point of every subset."""
        dx = z.real[:, None, None] - self._x
        dy = z.imag[:, None, None] - self._y
        d2 = dx * dx + dy * dy
        return np.minimum.reduce(d2, axis=2), self.codes[_SUBSETS, d2.argmin(axis=2)]
