"""PDF attachments, rendered by PDFium straight at the fax resolution.

PDFium's ``FPDF_RenderPageBitmapWithMatrix`` takes an affine map, so a page
is drawn once with x scale exactly ``x_dpi/72`` and y scale ``y_dpi/72``
(non-square fax pixels; not rounded to a whole-pixel box, so edges land where
poppler puts them) into an 8-bit grey bitmap with anti-aliasing off for text
and paths (clean edges to threshold). The bitmap is the memory of the page's
own bool raster, which is then made bilevel in place, per region
(``_bilevel``): no separate bitmap, no copy. Pages are printed at their natural size
when they fit the fax page and shrunk when they do not; a landscape page is
turned when it then prints larger. Checking (``open_pdf``) rejects
truncated files (no ``%%EOF`` trailer, ISO 32000-1 §7.5.5), files PDFium
cannot parse, encrypted files without the right password and empty
documents, all before any page is rendered.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from numpy.typing import NDArray

from pyfax.compose._bilevel import to_bilevel
from pyfax.compose._geometry import PT_PER_INCH, Frame
from pyfax.compose._place import fit
from pyfax.compose._source import Bilevel, RenderOptions
from pyfax.errors import CorruptAttachment, EncryptedAttachment

_FLAGS = (pdfium_c.FPDF_ANNOT | pdfium_c.FPDF_RENDER_NO_SMOOTHTEXT
          | pdfium_c.FPDF_RENDER_NO_SMOOTHPATH)
_ERR_PASSWORD = pdfium_c.FPDF_ERR_PASSWORD
# PDFium is not thread-safe: every call into it from this module holds this lock, so
# several threads (e.g. delivery workers) may compose at once.
PDFIUM_LOCK = threading.RLock()


@dataclass
class PdfSource:
    """A checked PDF: its bytes, page sizes in points, and an open PDFium handle."""

    name: str
    data: bytes = field(repr=False)
    password: str | None
    sizes_pt: list[tuple[float, float]]
    _doc: Any = field(default=None, repr=False)

    @property
    def n_pages(self) -> int:
        """Pages in the document."""
        return len(self.sizes_pt)

    def _document(self) -> Any:  # call with PDFIUM_LOCK held
        if self._doc is None:
            self._doc = pdfium.PdfDocument(self.data, password=self.password)
        return self._doc

    def render(self, index: int, frame: Frame, options: RenderOptions, out: Bilevel) -> Bilevel:
        """Page ``index`` on the fax page, natural size or shrunk to fit, centred across.

        PDFium draws the grey page straight into the memory of ``out`` (one byte per
        pixel either way), which is then made bilevel in place: no separate bitmap.
        """
        w_pt, h_pt = self.sizes_pt[index]
        placement = fit(w_pt / PT_PER_INCH, h_pt / PT_PER_INCH,
                        frame.width_px / frame.resolution.x_dpi,
                        frame.height_px / frame.resolution.y_dpi, frame, allow_upscale=False)
        left = (frame.width_px - placement.width_px) // 2
        sx = placement.scale * frame.resolution.x_dpi / PT_PER_INCH
        sy = placement.scale * frame.resolution.y_dpi / PT_PER_INCH
        matrix = page_matrix(w_pt, h_pt, sx, sy, left, rotate=placement.rotate)
        across, down = (h_pt, w_pt) if placement.rotate else (w_pt, h_pt)
        clip = (float(left), 0.0, left + across * sx, down * sy)  # the page's own area
        grey = out.view(np.uint8)
        with PDFIUM_LOCK:
            page = pdfium_c.FPDF_LoadPage(self._document(), index)
            if not page:
                raise CorruptAttachment(self.name, f"PDF page {index + 1} cannot be read")
            try:
                render_grey(page, grey, matrix, clip)
            finally:
                pdfium_c.FPDF_ClosePage(page)
        return to_bilevel(grey, options.halftone, out=out)


Matrix = tuple[float, float, float, float, float, float]


def page_matrix(w_pt: float, h_pt: float, x_px_per_pt: float, y_px_per_pt: float,
                left_px: float, *, rotate: bool = False) -> Matrix:
    """The affine map (a, b, c, d, e, f) from page points to pixels.

    Page points are PDFium's display space: x to the right and y down from the page's
    top left corner, ``w_pt`` x ``h_pt``. A pixel is ``x' = a x + c y + e``,
    ``y' = b x + d y + f``. The scales are exact (dpi / 72 times the fit scale), not
    rounded to a whole-pixel box, so every edge lands where poppler puts it. ``rotate``
    turns the page a quarter turn counter-clockwise (its top edge to the left).

    >>> page_matrix(100, 50, 2.0, 3.0, 10)
    (2.0, 0.0, 0.0, 3.0, 10, 0.0)
    >>> page_matrix(100, 50, 2.0, 3.0, 10, rotate=True)  # (0, 0) -> (10, 300)
    (0.0, -3.0, 2.0, 0.0, 10, 300.0)
    """
    if rotate:
        return (0.0, -y_px_per_pt, x_px_per_pt, 0.0, left_px, w_pt * y_px_per_pt)
    return (x_px_per_pt, 0.0, 0.0, y_px_per_pt, left_px, 0.0)


def render_grey(page: Any, grey: NDArray[np.uint8], matrix: Matrix,
                clip: tuple[float, float, float, float] | None = None) -> NDArray[np.uint8]:
    """Render a PDFium page into ``grey`` (a C-contiguous 2-D uint8 array), white first.

    Args:
        page: a PDFium page handle (``FPDF_PAGE``) or ``pypdfium2.PdfPage``.
        grey: the raster drawn into; 0 = black, 255 = white.
        matrix: page points to pixels (:func:`page_matrix`); x and y scales are
            independent, so non-square fax pixels come out right.
        clip: (left, top, right, bottom) in pixels drawn into; the whole raster if None.

    Returns:
        ``grey``.
    """
    if not grey.flags.c_contiguous:
        raise ValueError("render_grey needs a C-contiguous raster")
    height_px, width_px = grey.shape
    bitmap = pdfium_c.FPDFBitmap_CreateEx(width_px, height_px, pdfium_c.FPDFBitmap_Gray,
                                          grey.ctypes.data, width_px)
    if not bitmap:
        raise MemoryError("PDFium could not wrap the page raster")
    try:
        pdfium_c.FPDFBitmap_FillRect(bitmap, 0, 0, width_px, height_px, 0xFFFFFFFF)
        area = pdfium_c.FS_RECTF(*(clip or (0.0, 0.0, width_px, height_px)))
        pdfium_c.FPDF_RenderPageBitmapWithMatrix(bitmap, page, pdfium_c.FS_MATRIX(*matrix),
                                                 area, _FLAGS)
    finally:
        pdfium_c.FPDFBitmap_Destroy(bitmap)
    return grey


def _has_eof_marker(data: bytes) -> bool:
    return b"%%EOF" in data[-2048:]


def open_pdf(name: str, data: bytes, password: str | None = None) -> PdfSource:
    """Check a PDF and read its page sizes, without rendering anything.

    Raises:
        CorruptAttachment: truncated, unparseable, or without pages.
        EncryptedAttachment: encrypted and no (or a wrong) password was given.
    """
    if not _has_eof_marker(data):
        raise CorruptAttachment(name, "truncated PDF (no %%EOF at the end of the file)")
    with PDFIUM_LOCK:
        return _open_locked(name, data, password)


def _open_locked(name: str, data: bytes, password: str | None) -> PdfSource:
    try:
        doc = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == _ERR_PASSWORD:
            why = "wrong password" if password else "no password was given"
            raise EncryptedAttachment(name, f"PDF is encrypted and {why}") from None
        raise CorruptAttachment(name, f"damaged PDF ({exc})") from None
    try:
        sizes = [doc.get_page_size(i) for i in range(len(doc))]
    except pdfium.PdfiumError as exc:
        raise CorruptAttachment(name, f"damaged PDF page ({exc})") from None
    if not sizes:
        raise CorruptAttachment(name, "PDF has no pages")
    bad = [i + 1 for i, (w, h) in enumerate(sizes) if not (w > 1 and h > 1)]
    if bad:
        raise CorruptAttachment(name, f"PDF page {bad[0]} has no usable size")
    return PdfSource(name, data, password, [(float(w), float(h)) for w, h in sizes], doc)
