"""Differential phase coding in 45° steps, shared by V.27ter (§2.3) and V.29 (§3).

Both Recommendations send a bit group as a *change* of carrier phase:
a tribit picks one of eight changes with the same Gray code
(Table 1/V.27ter is Table 1/V.29: 001 -> 0°, 000 -> 45°, 010 -> 90°, ...),
and a dibit (V.27ter at 2400 bit/s, V.29 at 4800 bit/s) one of 0°, 90°,
180° and 270°. The transmitter accumulates the changes into an absolute
phase; the receiver takes the difference of successive absolute phases.
:class:`DifferentialPhase` is the phase carried from symbol to symbol and
from block to block in both directions.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["INV_4", "INV_8", "STEPS_4", "STEPS_8", "DifferentialDecider", "DifferentialPhase",
           "change_bits"]

STEPS_8 = np.array([1, 0, 2, 3, 6, 7, 5, 4], dtype=np.int64)
"""Phase change (45° steps) of each tribit, by its value (first bit = MSB)."""
STEPS_4 = np.array([0, 2, 6, 4], dtype=np.int64)
"""Phase change (45° steps) of each dibit, by its value (first bit = MSB)."""


def _inverse(steps: NDArray[np.int64]) -> NDArray[np.int64]:
    """The bit group of each phase change (0 where no group has that change)."""
    inv = np.zeros(8, np.int64)
    inv[steps] = np.arange(len(steps))
    return inv


INV_8 = _inverse(STEPS_8)
"""Tribit value of each phase change 0..7 (45° steps)."""
INV_4 = _inverse(STEPS_4)
"""Dibit value of each phase change 0, 2, 4, 6 (45° steps)."""


def change_bits(width: int) -> NDArray[np.uint8]:
    """The line bits (first bit first) of each phase change 0..7: tribits
    (``width`` 3) or dibits (``width`` 2, for the changes 0, 2, 4, 6).

    >>> change_bits(2)[[0, 2, 4, 6]].tolist()
    [[0, 0], [0, 1], [1, 1], [1, 0]]
    """
    inv = INV_8 if width == 3 else INV_4
    shifts = np.arange(width - 1, -1, -1)
    return ((inv[:, None] >> shifts[None, :]) & 1).astype(np.uint8)


class DifferentialPhase:
    """The absolute carrier phase, in 45° steps (0..7), between symbols.

    Args:
        phase: the phase before the first symbol.
    """

    def __init__(self, phase: int) -> None:
        self.phase = phase

    def accumulate(self, steps: NDArray[np.int64]) -> NDArray[np.int64]:
        """The absolute phase after each change in ``steps`` (transmitter side).

        >>> DifferentialPhase(6).accumulate(np.array([1, 2, 4])).tolist()
        [7, 1, 5]
        """
        phases = (self.phase + np.cumsum(steps)) % 8
        if len(phases):
            self.phase = int(phases[-1])
        return phases

    def changes(self, phases: NDArray[np.int64]) -> NDArray[np.int64]:
        """The change (0..7) into each of the non-empty ``phases`` (receiver side).

        >>> DifferentialPhase(6).changes(np.array([7, 1, 5])).tolist()
        [1, 2, 4]
        """
        prev = np.empty_like(phases)
        prev[0] = self.phase
        prev[1:] = phases[:-1]
        self.phase = int(phases[-1])
        return (phases - prev) & 7


class DifferentialDecider:
    """Nearest-point slicing, then differential decoding of the phase (V.27ter, V.29).

    A point's index is ``8 * amplitude + phase`` (45° steps): V.27ter's points
    all have amplitude 0, V.29 at 9600 bit/s uses the amplitude bit too.

    Args:
        points: every point of the constellation, by index.
        allowed: the indices this rate uses.
        table: the line bits of a symbol, by ``8 * amplitude + phase change``.
        phase: the absolute phase before the first data symbol.
    """

    def __init__(self, points: NDArray[np.complex128], allowed: NDArray[np.int64],
                 table: NDArray[np.uint8], phase: int) -> None:
        self._all = points
        self._allowed = allowed
        self._points = points[allowed]
        self._table = table
        self._phase = DifferentialPhase(phase)

    def decide(self, z: NDArray[np.complex128]) -> tuple[NDArray[np.complex128],
                                                          NDArray[np.uint8]]:
        """The decided points and the line bits of the symbols ``z``."""
        d = np.abs(z[:, None] - self._points[None, :])
        idx = self._allowed[np.argmin(d, axis=1)]
        code = (idx & 8) | self._phase.changes(idx & 7)
        return self._all[idx], self._table[code].reshape(-1)

    def flush(self) -> NDArray[np.uint8]:
        """No bits are held back."""
        return np.zeros(0, np.uint8)
