"""Drawn test pages for page reduction: a frame, a thick diagonal and a thin rule.

``drawn_page(rows, width_px)`` draws them; ``assert_reduced(got, original)``
checks that a reduced page kept them: the frame on all four edges, the
diagonal near where it should be on every row, the thin rule somewhere near
its place, and the black pixel fraction within ``INK_TOLERANCE`` of the
original's.
"""

from __future__ import annotations

import numpy as np

FRAME_PX = 6
DIAGONAL_PX = 10
DIAGONAL_SLOPE = 2
"""Columns per row: about 45 degrees on paper at 300 dpi, steeper at R8."""
INK_TOLERANCE = 0.15
"""Relative difference in black pixel fraction allowed after reduction."""


def drawn_page(rows: int, width_px: int) -> np.ndarray:
    """A page with a frame, a thick diagonal (from the top left, two columns per row) and a
    one-pixel horizontal and vertical rule near the middle."""
    page = np.zeros((rows, width_px), dtype=bool)
    page[:FRAME_PX], page[-FRAME_PX:] = True, True
    page[:, :FRAME_PX], page[:, -FRAME_PX:] = True, True
    centre = _centres(rows, width_px)
    cols = np.arange(width_px)
    page |= np.abs(cols[None, :] - centre[:, None]) < DIAGONAL_PX // 2
    page[rows // 3, width_px // 8:width_px // 2] = True
    page[rows // 4:rows // 2, 3 * width_px // 4] = True
    return page


def _centres(rows: int, width_px: int, slope: int = DIAGONAL_SLOPE) -> np.ndarray:
    return np.minimum(np.arange(rows) * slope, width_px - 1)


def ink(page: np.ndarray) -> float:
    return float(page.mean())


def assert_reduced(got: np.ndarray, original: np.ndarray, shape: tuple[int, int], *,
                   slope: int = DIAGONAL_SLOPE, ink_tolerance: float = INK_TOLERANCE) -> None:
    """``got`` is ``original`` drawn at ``shape`` with its frame, diagonal and rules
    (``slope``: the diagonal's columns per row in ``original``)."""
    assert got.shape == shape, (got.shape, shape)
    rows, width = shape
    for edge in (got[0], got[-1], got[:, 0], got[:, -1]):
        assert edge.all(), "the frame has a gap"
    fy, fx = original.shape[0] / rows, original.shape[1] / width
    centre = _centres(*original.shape, slope)
    for r in range(rows):  # the input rows under output row r hold the diagonal between
        under = centre[int(r * fy):max(int(r * fy) + 1, int(np.ceil((r + 1) * fy)))]
        lo = max(0, int((under.min() - DIAGONAL_PX / 2) / fx) - 1)
        hi = min(width, int((under.max() + DIAGONAL_PX / 2) / fx) + 2)
        assert got[r, lo:hi].any(), f"the diagonal is missing on row {r}"
    rule_row = int(original.shape[0] // 3 / fy)
    assert got[rule_row - 1:rule_row + 2, width // 8 + 2:width // 2 - 2].any(axis=0).all(), \
        "the thin horizontal rule is broken"
    rule_col = int(3 * original.shape[1] // 4 / fx)
    assert got[rows // 4 + 2:rows // 2 - 2, rule_col - 1:rule_col + 2].any(axis=1).all(), \
        "the thin vertical rule is broken"
    assert abs(ink(got) - ink(original)) <= ink_tolerance * ink(original), (
        ink(got), ink(original))
