"""Text pages: the message body and plain-text or HTML attachments.

The text area is set by the paper, not the resolution: 20 mm side margins
on the paper (centred on the T.4 scan line), a top margin below the header
band and a bottom margin, all in points. So a text source is laid out once
and renders to the same lines and pages at every resolution.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pyfax.compose._blocks import Block
from pyfax.compose._geometry import MM_PER_INCH, PT_PER_INCH, Frame, Paper
from pyfax.compose._layout import Box, LaidPage, Measurer, paginate
from pyfax.compose._source import Bilevel, RenderOptions
from pyfax.compose._textrender import render_items

SIDE_MARGIN_MM = 20.0
TOP_MARGIN_MM = 16.0  # from the paper's top edge; the header band lies inside it
BOTTOM_MARGIN_MM = 15.0
_PT_PER_MM = PT_PER_INCH / MM_PER_INCH


def text_box(paper: Paper) -> Box:
    """The text area of a page of ``paper``, in points from the scan line's top left."""
    scan_mm = paper.scan_width.width_mm
    offset_mm = max(0.0, (scan_mm - paper.width_mm) / 2)
    left = offset_mm + SIDE_MARGIN_MM
    right = min(scan_mm, offset_mm + paper.width_mm) - SIDE_MARGIN_MM
    return Box(left * _PT_PER_MM, right * _PT_PER_MM, TOP_MARGIN_MM * _PT_PER_MM,
               (paper.length_mm - BOTTOM_MARGIN_MM) * _PT_PER_MM)


@dataclass
class TextSource:
    """Laid-out text pages and the measurer (fonts) that laid them out."""

    name: str
    pages: list[LaidPage] = field(repr=False)
    measurer: Measurer = field(repr=False)

    @property
    def n_pages(self) -> int:
        """Pages of text."""
        return len(self.pages)

    def render(self, index: int, frame: Frame, options: RenderOptions, out: Bilevel) -> Bilevel:
        """Page ``index`` drawn at the frame's resolution, into ``out`` (white)."""
        return render_items(self.pages[index], frame, self.measurer, out=out, clear=False)

    def warnings(self) -> list[str]:
        """One line naming the characters no font could draw, if any."""
        missing = sorted(self.measurer.missing)
        if not missing:
            return []
        shown = ", ".join(f"U+{ord(c):04X} {c!r}" for c in missing[:8])
        more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
        return [f"{self.name}: no installed font has {shown}{more}; printed as a "
                "replacement mark"]


def lay_out(name: str, blocks: Sequence[Block], paper: Paper, *,
            extra_fonts: tuple[str, ...] = (), max_pages: int | None = None) -> TextSource:
    """Lay ``blocks`` out on pages of ``paper`` (stopping once past ``max_pages``)."""
    m = Measurer(extra_fonts)
    return TextSource(name, paginate(blocks, text_box(paper), m, max_pages=max_pages), m)
