"""Fitting a picture onto a fax page: scale, rotation and placement.

Sizes are physical (inches), so non-square fax pixels keep the picture's
proportions: a picture ``w_in`` x ``h_in`` scaled by ``s`` becomes
``w_in * s * x_dpi`` by ``h_in * s * y_dpi`` pixels. A landscape picture is
turned a quarter turn (counter-clockwise, as printers do) when that lets it
be printed larger. Pictures are centred across the page and start at the
top of their box.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pyfax.compose._geometry import Frame

ROTATE_GAIN = 1.1  # rotate only when the picture gets at least this much larger


@dataclass(frozen=True)
class Fit:
    """How to put a picture on the page.

    Attributes:
        rotate: turn the picture a quarter turn counter-clockwise first.
        width_px: its width on the page, in fax pixels (after rotation).
        height_px: its height on the page, in fax rows (after rotation).
        scale: the scale from the picture's physical size to its size on the page (the
            pixel sizes are this, rounded to whole pixels).
    """

    rotate: bool
    width_px: int
    height_px: int
    scale: float = 1.0


def fit(w_in: float, h_in: float, box_w_in: float, box_h_in: float, frame: Frame, *,
        allow_upscale: bool = True) -> Fit:
    """Largest placement of a ``w_in`` x ``h_in`` picture in a box, rotating if it helps.

    >>> from pyfax.compose._geometry import Paper
    >>> from pyfax.t4.geometry import Resolution
    >>> f = Frame.make(Paper.A4, Resolution.FINE, 0)
    >>> p = fit(11.0, 8.5, 8.0, 11.0, f)
    >>> p.rotate, p.width_px, p.height_px, round(p.scale, 3)
    (True, 1632, 2029, 0.941)
    """
    def scale(w: float, h: float) -> float:
        s = min(box_w_in / w, box_h_in / h)
        return s if allow_upscale else min(1.0, s)

    s0, s1 = scale(w_in, h_in), scale(h_in, w_in)
    rotate = w_in > h_in and box_h_in > box_w_in and s1 > s0 * ROTATE_GAIN
    w, h, s = (h_in, w_in, s1) if rotate else (w_in, h_in, s0)
    width = max(1, min(frame.width_px, round(w * s * frame.resolution.x_dpi)))
    height = max(1, round(h * s * frame.resolution.y_dpi))
    return Fit(rotate, width, height, s)


def paste(page: NDArray[np.bool_], picture: NDArray[np.bool_], top_px: int) -> None:
    """Put ``picture`` into ``page`` centred across, from row ``top_px`` (clipped)."""
    h, w = picture.shape
    left = max(0, (page.shape[1] - w) // 2)
    rows = max(0, min(h, page.shape[0] - top_px))
    cols = min(w, page.shape[1] - left)
    page[top_px:top_px + rows, left:left + cols] = picture[:rows, :cols]


def region_of(page: NDArray[np.bool_], shape: tuple[int, ...], top_px: int,
              ) -> NDArray[np.bool_] | None:
    """The view of ``page`` where :func:`paste` would put a picture of ``shape``, or None
    when the picture would be clipped."""
    h, w = shape[0], shape[1]
    left = (page.shape[1] - w) // 2
    if left < 0 or top_px < 0 or top_px + h > page.shape[0]:
        return None
    return page[top_px:top_px + h, left:left + w]
