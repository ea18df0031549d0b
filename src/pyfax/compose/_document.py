"""The composed fax: pages at one resolution, re-renderable at another, previewable.

A :class:`Document` keeps the checked sources it was made from, so when the
receiver cannot take the resolution asked for, ``rerender`` draws the same
pages (same count, same header times) at one it can. ``save_pdf`` and
``save_png`` write exactly the pixels that will be sent, with their
physical resolution recorded (PDF page size, PNG ``pHYs``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from pyfax.compose._geometry import Frame, Paper
from pyfax.compose._header import HeaderLine, HeaderPainter
from pyfax.compose._source import RenderOptions, Source
from pyfax.t4.geometry import Resolution
from pyfax.t4.packed import PackedImage


@dataclass(frozen=True, eq=False)
class Page:
    """One fax page, kept one bit per pixel (a 200-page document then fits in
    100 MB at fine resolution instead of 800 MB).

    Attributes:
        packed: the pixels (:class:`~pyfax.t4.packed.PackedImage`).
        resolution: the resolution it was drawn at (``.x_dpi``, ``.y_dpi``).
        paper: the paper size.
        source: "body" or the name of the attachment the page comes from.
    """

    packed: PackedImage = field(repr=False)
    resolution: Resolution
    paper: Paper
    source: str

    @property
    def image(self) -> NDArray[np.bool_]:
        """The page as a new (rows, width_px) bool array, True = black."""
        return self.packed.unpack()

    @property
    def width_px(self) -> int:
        """Scan-line length in pixels."""
        return self.packed.width_px

    @property
    def height_px(self) -> int:
        """Number of scan lines."""
        return self.packed.shape[0]


@dataclass(frozen=True)
class Plan:
    """Everything needed to draw the pages again: checked sources and choices."""

    sources: tuple[Source, ...]
    paper: Paper
    header: HeaderLine | None
    now: dt.datetime
    options: RenderOptions
    warnings: tuple[str, ...] = ()

    @property
    def n_pages(self) -> int:
        """Total pages."""
        return sum(s.n_pages for s in self.sources)


def render_plan(plan: Plan, resolution: Resolution) -> tuple[list[Page], list[str]]:
    """Draw every page of the plan at ``resolution``, header line included.

    Returns:
        The pages, and warnings for pages whose own content the header line covers.
    """
    band_mm = plan.header.band_mm if plan.header is not None else 0.0
    frame = Frame.make(plan.paper, resolution, band_mm)
    total = plan.n_pages
    painter = HeaderPainter(plan.header, frame) if plan.header is not None else None
    scratch = np.empty((frame.height_px, frame.width_px), dtype=np.bool_)  # reused: packed
    pages: list[Page] = []
    covered: list[str] = []
    for source in plan.sources:
        for i in range(source.n_pages):
            scratch.fill(False)
            image = source.render(i, frame, plan.options, scratch)
            if painter is not None:
                if image[:frame.header_rows].any():
                    covered.append(f"{source.name} page {i + 1}")
                texts = painter.header.texts(plan.now, len(pages) + 1, total)
                image = painter.stamp(image, texts)
            pages.append(Page(PackedImage.pack(image), resolution, plan.paper, source.name))
    warnings = [f"the header line covers content in the top {band_mm:g} mm of "
                f"{', '.join(covered)}"] if covered else []
    return pages, warnings


@dataclass(frozen=True, eq=False)
class Document:
    """A composed fax message.

    Attributes:
        pages: the pages in sending order (body first, then each attachment).
        resolution: the resolution the pages are drawn at.
        paper: the paper size.
        warnings: things a person should know (e.g. characters no font could draw).
    """

    pages: tuple[Page, ...]
    resolution: Resolution
    paper: Paper
    warnings: tuple[str, ...]
    plan: Plan = field(repr=False)

    @classmethod
    def from_plan(cls, plan: Plan, resolution: Resolution) -> Document:
        """Render a checked plan."""
        pages, warnings = render_plan(plan, resolution)
        return cls(tuple(pages), resolution, plan.paper, (*plan.warnings, *warnings), plan)

    def __len__(self) -> int:
        return len(self.pages)

    def rerender(self, resolution: Resolution | str | None = None, *,
                 now: dt.datetime | None = None, header_line: HeaderLine | None = None,
                 ) -> Document:
        """The same pages drawn again, e.g. when the receiver cannot take the resolution
        asked for, or to print the real sending time on a retry.

        Args:
            resolution: the new resolution; the current one when None.
            now: a new header time; the original one when None.
            header_line: a new header content; the original one when None (a document
                made with ``header=False`` stays without one).
        """
        plan = self.plan
        if now is not None:
            plan = replace(plan, now=now)
        if header_line is not None and plan.header is not None:
            plan = replace(plan, header=header_line)
        res = self.resolution if resolution is None else Resolution.parse(resolution)
        return Document.from_plan(plan, res)

    def images(self) -> list[Image.Image]:
        """The pages as Pillow mode "1" images (white = 1)."""
        return [_pil_image(p) for p in self.pages]

    def save_pdf(self, path: str | os.PathLike[str]) -> Path:
        """Write the pages to a PDF whose page size matches the fax page."""
        out = Path(path)
        images = self.images()
        dpi = (float(self.resolution.x_dpi), float(self.resolution.y_dpi))
        images[0].save(out, "PDF", save_all=True, append_images=images[1:], dpi=dpi)
        return out

    def save_png(self, directory: str | os.PathLike[str]) -> Sequence[Path]:
        """Write ``page-001.png`` ... into ``directory`` (created if needed)."""
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        dpi = (self.resolution.x_dpi, self.resolution.y_dpi)
        for n, page in enumerate(self.pages, start=1):  # one page in memory at a time
            path = folder / f"page-{n:03d}.png"
            _pil_image(page).save(path, "PNG", dpi=dpi)
            paths.append(path)
        return paths


def _pil_image(page: Page) -> Image.Image:
    """A page as a Pillow mode "1" image (white = 1)."""
    return Image.fromarray(~page.image)
