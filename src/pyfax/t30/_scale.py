"""Area-based reduction of a bilevel page to another grid (T.4 §2 widths and resolutions).

What it does: a page wider than the receiver's recording width (T.30 Table 2
bits 17-18; T.4 §2.2: A4 1728, B4 2048, A3 2432 pels at R8) or at a resolution
it lacks (bits 15, 41-43) is redrawn on the grid the receiver takes, as a
fax machine reduces a B4 original onto A4 paper.

How it works: every output pixel stands for a rectangle of the input, ``fx``
input columns wide and ``fy`` input rows high (both may be fractional). The
black area under that rectangle is integrated exactly, one axis at a time,
from running sums with fractional ends: ``S(x) = sum(row[:floor(x)]) +
frac(x) * row[floor(x)]``, so the black area over ``[a, b)`` is ``S(b) -
S(a)``. An output pixel is black when that area reaches half a pel-width of
the thinner output side, ``0.5 * min(fx, fy)`` input pixels (never more than
half the output pixel). A one-pixel line crossing the rectangle leaves at
least half its width on one side of any output boundary, so thin lines
survive the reduction; solid areas keep their extent to within a pixel.
The page is worked in bands of output rows so that memory stays bounded.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from pyfax.errors import T30Error

__all__ = ["BAND_ROWS", "reduce_page"]

Page = NDArray[np.bool_]
BAND_ROWS = 64
"""Output rows worked at once: about 50 MB at the peak for an A3 page at 400 dpi
reduced to A4 standard, the largest reduction (measured)."""
HALF = 0.5
"""Share of a pel-width of black that makes an output pixel black."""
_EPS = 1e-9


def reduce_page(image: Page, width_px: int, rows: int) -> Page:
    """``image`` redrawn on a ``rows`` x ``width_px`` grid, by black area.

    Args:
        image: the page, 2-D bool (True = black).
        width_px: output pixels per line.
        rows: output lines.

    Raises:
        T30Error: an empty or non-2-D image, or a non-positive output size.

    >>> page = np.zeros((4, 6), bool); page[:, 2] = True      # a 1-pixel vertical line
    >>> reduce_page(page, 4, 4).astype(int)                  # 6 -> 4 columns: it survives
    array([[0, 1, 0, 0],
           [0, 1, 0, 0],
           [0, 1, 0, 0],
           [0, 1, 0, 0]])
    >>> bool(np.array_equal(reduce_page(page, 6, 4), page))   # same grid: unchanged
    True
    """
    if image.ndim != 2 or 0 in image.shape:
        raise T30Error(f"cannot reduce a page of shape {image.shape}")
    if width_px < 1 or rows < 1:
        raise T30Error(f"cannot reduce a page to {rows} x {width_px} pixels")
    n_rows, n_cols = (int(n) for n in image.shape)
    fx, fy = n_cols / width_px, n_rows / rows
    threshold = HALF * min(fx, fy, fx * fy) - _EPS
    cols = _Edges(n_cols, width_px)
    out = np.empty((rows, width_px), dtype=np.bool_)
    for r0 in range(0, rows, BAND_ROWS):
        r1 = min(rows, r0 + BAND_ROWS)
        edges = _Edges(n_rows, rows, r0, r1)
        band = image[edges.first:edges.stop]
        across = cols.integrate(band, axis=1)  # black area per (input row, output column)
        out[r0:r1] = edges.integrate(across, axis=0) >= threshold
    return out


class _Edges:
    """Output pixel boundaries ``j * n_in / n_out`` (j from ``lo`` to ``hi``) on the input
    axis, as whole input indices ``idx`` (relative to ``first``) and fractions ``frac``."""

    def __init__(self, n_in: int, n_out: int, lo: int = 0, hi: int | None = None) -> None:
        hi = n_out if hi is None else hi
        j = np.arange(lo, hi + 1, dtype=np.int64) * n_in
        whole, rem = np.divmod(j, n_out)  # exact: no float rounding at the boundaries
        self.first = int(whole[0])
        self.stop = min(n_in, int(whole[-1]) + 1)
        self.idx = whole - self.first
        self.frac = rem / n_out

    def integrate(self, values: NDArray[np.generic], axis: int) -> NDArray[np.float64]:
        """Area of ``values`` between consecutive edges along ``axis``."""
        v = np.moveaxis(np.asarray(values, dtype=np.float64), axis, 0)
        running = np.concatenate([np.zeros((1, *v.shape[1:])), np.cumsum(v, axis=0)])
        at = np.minimum(self.idx, v.shape[0] - 1)  # the pixel a fractional edge cuts into
        frac = self.frac.reshape(-1, *([1] * (v.ndim - 1)))
        s = running[self.idx] + frac * v[at]
        return np.moveaxis(s[1:] - s[:-1], 0, axis)
