"""The contract between composition and the things that supply pages.

The body, each attachment and each converted office file become a *source*
that knows its page count once it has been checked (``n_pages``) and draws
page ``i`` into a given frame on demand (``render``), into a page raster it is
handed (``out``, all white; composition reuses it for every page and keeps
each page packed one bit per pixel) or, for a page of its own size, a new one.
Composition checks every
source before it renders any page, so bad input is reported before work is
done and before anything is dialled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from pyfax.compose._bilevel import Halftone
from pyfax.compose._geometry import Frame

Bilevel = NDArray[np.bool_]


@dataclass(frozen=True)
class RenderOptions:
    """Choices that apply to every page drawn.

    Attributes:
        halftone: how grey becomes black and white.
        image_margin_mm: blank margin around pictures (images, not PDF pages).
    """

    halftone: Halftone = Halftone.AUTO
    image_margin_mm: float = 4.0


class Source(Protocol):
    """Something checked and ready to draw pages."""

    @property
    def name(self) -> str:
        """The name the user gave the attachment ("body" for the message body)."""

    @property
    def n_pages(self) -> int:
        """Pages this source makes."""

    def render(self, index: int, frame: Frame, options: RenderOptions, out: Bilevel) -> Bilevel:
        """Page ``index`` (0-based) as a bilevel raster (True = black).

        ``out`` is a frame-sized raster, all False (white); the page is drawn into it and
        returned, unless the page has another size, which is then returned in an array
        of its own.
        """
