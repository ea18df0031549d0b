"""The per-symbol loops of the V.17 receiver: carrier tracking and decisions.

How it works: the equaliser output of a block of symbols is computed at once
(vectorised); what has feedback from one symbol to the next stays here, in
short loops over Python complex numbers with every lookup hoisted:

* a second-order phase-locked loop that derotates each symbol (phase ``psi``,
  frequency ``freq`` in radians per symbol), driven by the angle between the
  symbol and its reference point;
* the reference point: the known training symbol, or during data the nearest
  constellation point from a lookup grid (V.17 data decisions for carrier and
  equaliser tracking are made before the trellis decoder, whose decisions
  arrive too late to steer the loops);
* the error of each symbol, rotated back into the equaliser's frame, for the
  block update of the equaliser.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["LoopState", "SliceGrid", "track_data", "track_known"]

_GRID_HALF = 12.0
_GRID_STEP = 0.25
_GRID_N = int(2 * _GRID_HALF / _GRID_STEP)


class SliceGrid:
    """Nearest constellation point of every cell of a fine grid (hard decisions).

    Args:
        points: the constellation.
    """

    def __init__(self, points: NDArray[np.complex128]) -> None:
        c = (np.arange(_GRID_N) + 0.5) * _GRID_STEP - _GRID_HALF
        cells = c[:, None] + 1j * c[None, :]
        nearest = np.abs(cells[:, :, None] - points[None, None, :]).argmin(axis=2)
        self.table: list[complex] = [complex(p) for p in points[nearest].reshape(-1)]
        self.scale = 1.0 / _GRID_STEP
        self.offset = _GRID_HALF / _GRID_STEP
        self.n = _GRID_N

    def __call__(self, y: complex) -> complex:
        """The nearest point to ``y`` (outside the grid: of the nearest edge cell)."""
        n1 = self.n - 1
        ix = min(max(int(y.real * self.scale + self.offset), 0), n1)
        iy = min(max(int(y.imag * self.scale + self.offset), 0), n1)
        return self.table[ix * self.n + iy]


@dataclass(slots=True)
class LoopState:
    """Carrier loop state carried from block to block.

    Attributes:
        psi: phase correction applied to the next symbol, radians.
        freq: frequency correction, radians per symbol.
        kp: proportional gain of the phase loop.
        ki: integral gain of the phase loop.
    """

    psi: float = 0.0
    freq: float = 0.0
    kp: float = 0.1
    ki: float = 0.004


def track_known(z: NDArray[np.complex128], targets: NDArray[np.complex128],
                loop: LoopState) -> tuple[NDArray[np.complex128], NDArray[np.complex128]]:
    """Derotate ``z`` while tracking the carrier on known ``targets``.

    Returns:
        ``(y, err)``: the derotated symbols, and each error ``target - y``
        rotated back into the equaliser's frame.
    """
    psi, freq, kp, ki = loop.psi, loop.freq, loop.kp, loop.ki
    cos, sin = math.cos, math.sin
    y_out: list[complex] = []
    e_out: list[complex] = []
    for zk, d in zip(z.tolist(), targets.tolist(), strict=True):
        rot = complex(cos(psi), -sin(psi))
        y = zk * rot
        pe = (y.imag * d.real - y.real * d.imag) / (d.real * d.real + d.imag * d.imag)
        freq += ki * pe
        psi += freq + kp * pe
        y_out.append(y)
        e_out.append((d - y) * rot.conjugate())
    loop.psi, loop.freq = math.remainder(psi, 2 * math.pi), freq
    return np.asarray(y_out, np.complex128), np.asarray(e_out, np.complex128)


def track_data(z: NDArray[np.complex128], grid: SliceGrid,
               loop: LoopState) -> tuple[NDArray[np.complex128], NDArray[np.complex128]]:
    """Derotate data symbols, tracking the carrier on hard decisions.

    Returns:
        ``(y, err)`` as :func:`track_known`.
    """
    psi, freq, kp, ki = loop.psi, loop.freq, loop.kp, loop.ki
    cos, sin = math.cos, math.sin
    table, scale, offset, n1, n = grid.table, grid.scale, grid.offset, grid.n - 1, grid.n
    y_out: list[complex] = []
    e_out: list[complex] = []
    for zk in z.tolist():
        rot = complex(cos(psi), -sin(psi))
        y = zk * rot
        yr, yi = y.real, y.imag
        ix = int(yr * scale + offset)
        iy = int(yi * scale + offset)
        if ix < 0:
            ix = 0
        elif ix > n1:
            ix = n1
        if iy < 0:
            iy = 0
        elif iy > n1:
            iy = n1
        d = table[ix * n + iy]
        dr, di = d.real, d.imag
        pe = (yi * dr - yr * di) / (dr * dr + di * di)
        freq += ki * pe
        psi += freq + kp * pe
        y_out.append(y)
        e_out.append((d - y) * rot.conjugate())
    loop.psi, loop.freq = math.remainder(psi, 2 * math.pi), freq
    return np.asarray(y_out, np.complex128), np.asarray(e_out, np.complex128)
