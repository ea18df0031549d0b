"""Drawing laid-out text onto a fax page, for square and non-square pixels.

Fax pixels are not square at standard, fine and superfine resolution (204
dpi across, 98/196/391 dpi down). Text is drawn anti-aliased on a grey
canvas with square pixels at the larger of the two resolutions, resampled
(box filter) to the fax grid, and thresholded slightly dark of mid-grey so
thin strokes survive the anisotropic reduction at standard resolution.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw

from pyfax.compose._geometry import PT_PER_INCH, Frame
from pyfax.compose._layout import Item, Measurer, PlacedLine, PlacedRule

TEXT_THRESHOLD = 150


def _draw_line(draw: ImageDraw.ImageDraw, line: PlacedLine, px_per_pt: float,
               m: Measurer) -> None:
    x = line.x_pt * px_per_pt
    y = line.baseline_pt * px_per_pt
    for run in line.runs:
        font = m.chain(run.style)[run.face].font(line.size_pt * px_per_pt)
        draw.text((x, y), run.text, font=font, fill=0, anchor="ls")
        x += font.getlength(run.text)


def render_items(items: tuple[Item, ...], frame: Frame, m: Measurer,
                 *, rows: tuple[int, int] | None = None) -> NDArray[np.bool_]:
    """Render text items into a bilevel raster of the frame (True = black).

    Args:
        items: placed lines and rules, positions in points from the page top left.
        frame: page size and resolution.
        m: the measurer whose fonts laid the items out.
        rows: only render this band of page rows ``(first, end)``; the whole page if None.
    """
    x_dpi, y_dpi = frame.resolution.x_dpi, frame.resolution.y_dpi
    dpi = max(x_dpi, y_dpi)
    first, end = rows if rows is not None else (0, frame.height_px)
    top_px = first / y_dpi * dpi
    w = round(frame.width_px / x_dpi * dpi)
    h = max(1, round((end - first) / y_dpi * dpi))
    canvas = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(canvas)
    px_per_pt = dpi / PT_PER_INCH
    for item in items:
        if isinstance(item, PlacedRule):
            y0 = item.y_pt * px_per_pt - top_px
            y1 = y0 + max(item.thickness_pt * px_per_pt, dpi / y_dpi)
            draw.rectangle((item.x0_pt * px_per_pt, y0, item.x1_pt * px_per_pt, y1), fill=0)
        else:
            shifted = PlacedLine(item.x_pt, item.baseline_pt - top_px / px_per_pt,
                                 item.size_pt, item.runs)
            _draw_line(draw, shifted, px_per_pt, m)
    size = (frame.width_px, end - first)
    if canvas.size != size:
        canvas = canvas.resize(size, Image.Resampling.BOX)
    return np.asarray(canvas) < TEXT_THRESHOLD
