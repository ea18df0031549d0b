"""Drawing laid-out text onto a fax page, for square and non-square pixels.

Fax pixels are not square at standard, fine and superfine resolution (204
dpi across, 98/196/391 dpi down). Text is drawn anti-aliased with square
pixels at the larger of the two resolutions, resampled (box filter) to the
fax grid, and thresholded slightly dark of mid-grey so thin strokes survive
the anisotropic reduction at standard resolution (word by word, ``_glyphs``);
the words are OR-ed straight into the bilevel page.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pyfax.compose._geometry import PT_PER_INCH, Frame
from pyfax.compose._glyphs import GLYPHS, INK_THRESHOLD, Ink
from pyfax.compose._layout import Item, Measurer, PlacedLine, PlacedRule

__all__ = ["INK_THRESHOLD", "render_items"]


@dataclass(frozen=True)
class _Grid:
    """Fax-grid geometry of one render: pixels per point across and down, and the
    scale from the square drawing resolution to the fax grid."""

    x_px_per_pt: float
    y_px_per_pt: float
    square_px_per_pt: float
    sx: float
    sy: float
    first_row: int


def _draw_line(ink: Ink, line: PlacedLine, g: _Grid, m: Measurer) -> None:
    x = line.x_pt * g.x_px_per_pt
    y = line.baseline_pt * g.y_px_per_pt - g.first_row
    for run in line.runs:
        font = m.chain(run.style)[run.face].font(line.size_pt * g.square_px_per_pt)
        x = GLYPHS.draw(ink, x, y, font, run.text, g.sx, g.sy)


def _draw_rule(ink: Ink, rule: PlacedRule, g: _Grid) -> None:
    y0 = round(rule.y_pt * g.y_px_per_pt - g.first_row)
    y1 = y0 + max(1, round(rule.thickness_pt * g.y_px_per_pt))
    x0, x1 = round(rule.x0_pt * g.x_px_per_pt), round(rule.x1_pt * g.x_px_per_pt)
    ink[max(0, y0):max(0, y1), max(0, x0):max(0, x1)] = True


def render_items(items: tuple[Item, ...], frame: Frame, m: Measurer, *,
                 rows: tuple[int, int] | None = None,
                 out: NDArray[np.bool_] | None = None, clear: bool = True,
                 ) -> NDArray[np.bool_]:
    """Render text items into a bilevel raster of the frame (True = black).

    Args:
        items: placed lines and rules, positions in points from the page top left.
        frame: page size and resolution.
        m: the measurer whose fonts laid the items out.
        rows: only render this band of page rows ``(first, end)``; the whole page if None.
        out: a bool array of the band's shape to write the raster into (else a new one).
        clear: set ``out`` to white first (False when it is known to be white already).
    """
    x_dpi, y_dpi = frame.resolution.x_dpi, frame.resolution.y_dpi
    dpi = max(x_dpi, y_dpi)
    first, end = rows if rows is not None else (0, frame.height_px)
    grid = _Grid(x_dpi / PT_PER_INCH, y_dpi / PT_PER_INCH, dpi / PT_PER_INCH,
                 x_dpi / dpi, y_dpi / dpi, first)
    shape = (end - first, frame.width_px)
    ink: Ink = np.zeros(shape, dtype=np.bool_) if out is None else out
    if out is not None and clear:
        ink.fill(False)
    for item in items:
        if isinstance(item, PlacedRule):
            _draw_rule(ink, item, grid)
        else:
            _draw_line(ink, item, grid, m)
    return ink
