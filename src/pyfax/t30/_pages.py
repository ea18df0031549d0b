"""Pages on the wire: T.4 coding for T.30, ECM blocks, and the copy-quality check.

Page streams are octets whose first bit on the line is the least significant
bit (T.4 §2.3 and T.4 Annex A frames both travel LSB first), so the driver
unpacks them with ``bitorder="little"``. Non-ECM pages are padded to the
receiver's minimum scan line time (T.30 Table 2 bits 21-23, T.4 §4.1.1)
and end with RTC; ECM pages need no padding (T.4 Annex A). A page the
receiver's DIS cannot take as it is (a resolution it lacks, a width beyond
its recording width) is reduced to what it can take (:func:`fit_page`); one
longer than its recording length (Table 2 bits 19-20) is cut into pages of
that length (:func:`split_rows`), as a scanner feeding a long sheet would.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pyfax import t4
from pyfax.errors import T4Error, T30Error
from pyfax.t4.geometry import PaperWidth, Resolution
from pyfax.t30._scale import reduce_page
from pyfax.t30.dis import DcsParams
from pyfax.t30.params import Compression, PageLength

__all__ = ["ECM_FRAMES_PER_BLOCK", "DecodedPage", "TxPage", "TxPages", "as_resolution",
           "as_tx_page", "best_resolution", "decode_page", "ecm_blocks", "encode_page",
           "fit_page", "max_page_rows", "split_rows"]

ECM_FRAMES_PER_BLOCK = 256
LOST_SLACK_OCTETS = 16
"""Leading fill and coding differences (K, fill) that are not lost lines."""
MR_K = {Resolution.STANDARD: 2}
"""T.4 §4.2.1: K=2 at standard resolution, 4 at higher ones."""

Page = NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class TxPage:
    """A page to send: ``image`` (True = black) at ``resolution``."""

    image: Page
    resolution: Resolution = Resolution.FINE

    def __post_init__(self) -> None:
        if self.image.ndim != 2 or self.image.shape[0] == 0:
            raise T30Error(f"a page must be a non-empty 2-D array, not {self.image.shape}")
        try:
            self.width  # noqa: B018 - validates the line length
        except ValueError as exc:
            raise T30Error(str(exc)) from exc

    @property
    def width(self) -> PaperWidth:
        """The paper width the image's line length stands for."""
        return PaperWidth.from_px(int(self.image.shape[1]), self.resolution.x_dpi)


@dataclass(frozen=True, slots=True)
class DecodedPage:
    """A received page and how many of its lines were damaged."""

    image: Page
    damaged_lines: int
    complete: bool = True
    """Whether the end of page (RTC/EOFB) was found."""
    lost_fraction: float = 0.0
    """Share of the received stream that decoded to no line at all (garbage that
    swallowed whole lines between two EOLs), estimated by coding the decoded
    page again and comparing lengths."""

    @property
    def damaged_fraction(self) -> float:
        """Damaged lines over all lines, plus the share of lost stream (1.0 when empty)."""
        rows = int(self.image.shape[0])
        return self.damaged_lines / rows + self.lost_fraction if rows else 1.0


def _k(resolution: Resolution) -> int:
    return MR_K.get(resolution, 4)


def _min_bits(dcs: DcsParams) -> int:
    if dcs.ecm or not dcs.min_scan_time_ms:
        return 0
    return math.ceil(dcs.modem_rate.rate_bps * dcs.min_scan_time_ms / 1000)


def encode_page(page: TxPage, dcs: DcsParams) -> bytes:
    """The coded page for the parameters ``dcs`` commands."""
    return bytes(t4.encode(page.image, scheme=dcs.compression.value, k=_k(dcs.resolution),
                           min_bits_per_line=_min_bits(dcs), bit_order="lsb"))


def decode_page(data: bytes, dcs: DcsParams) -> DecodedPage:
    """Decode a received page tolerantly; garbage yields an empty, fully damaged page."""
    width_px = dcs.width.width_px(dcs.resolution.x_dpi)
    try:
        report = t4.decode_report(data, width_px, scheme=dcs.compression.value,
                                  bit_order="lsb")
    except T4Error:
        return DecodedPage(np.zeros((0, width_px), dtype=np.bool_), 0, complete=False)
    image = np.asarray(report.image, dtype=np.bool_)
    lost = 0.0
    if image.shape[0] and dcs.compression is not Compression.MMR:
        again = len(t4.encode(image, scheme=dcs.compression.value, k=_k(dcs.resolution),
                              min_bits_per_line=_min_bits(dcs)))
        lost = max(0, report.bytes_consumed - again - LOST_SLACK_OCTETS) / max(
            report.bytes_consumed, 1)
    return DecodedPage(image, len(report.damaged_lines), bool(report.end_of_page), lost)


_COARSER = {Resolution.SUPERFINE: Resolution.FINE, Resolution.FINE: Resolution.STANDARD}
"""Vertical steps down the R8 ladder: 15.4 -> 7.7 -> 3.85 lines/mm, a factor of 2 each."""


def fit_page(page: TxPage, offered: frozenset[Resolution],
             max_width: PaperWidth = PaperWidth.A3) -> TxPage | None:
    """The page as the receiver can take it: at the best resolution it ``offered`` and
    no wider than ``max_width``, or None when it offers no resolution to reduce to
    (never for a decoded DIS, which always offers standard).

    Down the R8 ladder (superfine -> fine -> standard) every other row is kept per step,
    as spandsp's row squashing does (an area reduction by 2 or 4 down the page would
    keep one-row lines but thicken every steep stroke). Any other change (a 300 or
    400 dpi page to a receiver without it; a page wider than ``max_width``, reduced
    with its aspect ratio kept, as onto narrower paper) redraws the page by black
    area (:func:`~pyfax.t30._scale.reduce_page`), so that thin lines survive.

    >>> p = TxPage(np.ones((8, 1728), bool), Resolution.SUPERFINE)
    >>> fit_page(p, frozenset({Resolution.STANDARD})).image.shape
    (2, 1728)
    >>> a3 = TxPage(np.ones((100, 2432), bool), Resolution.FINE)
    >>> fit_page(a3, frozenset(Resolution), PaperWidth.A4).image.shape
    (71, 1728)
    >>> r300 = TxPage(np.ones((300, 2592), bool), Resolution.R300)
    >>> fit_page(r300, frozenset({Resolution.STANDARD, Resolution.FINE})).resolution.name
    'FINE'
    """
    target = best_resolution(page.resolution, offered)
    if target is None:
        return None
    ladder = target.x_dpi == page.resolution.x_dpi  # both R8: whole steps of 2 rows
    while ladder and page.resolution is not target:
        page = TxPage(page.image[::2], _COARSER[page.resolution])
    width = min(page.width, max_width, key=_WIDTHS.index)
    if target is page.resolution and width is page.width:
        return page
    scale = width.width_mm / page.width.width_mm
    rows = max(1, round(page.image.shape[0] * _LINES_PER_MM[target]
                        / _LINES_PER_MM[page.resolution] * scale))
    return TxPage(reduce_page(page.image, width.width_px(target.x_dpi), rows), target)


_LINES_PER_MM = {Resolution.STANDARD: 3.85, Resolution.FINE: 7.7, Resolution.SUPERFINE: 15.4,
                 Resolution.R300: 300 / 25.4, Resolution.R400: 400 / 25.4}
"""Exact vertical resolutions (T.4 §2.1-2.2), of which the dpi values are roundings."""
_WIDTHS = list(PaperWidth)
"""Widths from the narrowest (A4) to the widest (A3)."""


def max_page_rows(length: PageLength, resolution: Resolution) -> int | None:
    """Scan lines of a page ``length`` long at ``resolution`` (None: unlimited).

    >>> max_page_rows(PageLength.A4, Resolution.FINE), max_page_rows(PageLength.B4, Resolution.R300)
    (2286, 4299)
    """
    if length is PageLength.UNLIMITED:
        return None
    return math.floor(float(length.value) * _LINES_PER_MM[resolution] + 1e-9)


def split_rows(n_rows: int, max_rows: int | None) -> list[tuple[int, int]]:
    """Row ranges ``[start, stop)`` cutting ``n_rows`` into pages of at most ``max_rows``.

    >>> split_rows(5000, 2286), split_rows(10, None)
    ([(0, 2286), (2286, 4572), (4572, 5000)], [(0, 10)])
    """
    if max_rows is None or n_rows <= max_rows:
        return [(0, n_rows)]
    return [(i, min(i + max_rows, n_rows)) for i in range(0, n_rows, max_rows)]


def best_resolution(have: Resolution, offered: frozenset[Resolution]) -> Resolution | None:
    """``have`` if offered, else the finest offered resolution no finer than ``have`` on
    either axis (most pixels per area), or None.

    >>> best_resolution(Resolution.R400, frozenset(Resolution) - {Resolution.R400}).name
    'R300'
    >>> best_resolution(Resolution.R300, frozenset({Resolution.STANDARD, Resolution.FINE})).name
    'FINE'
    """
    if have in offered:
        return have
    coarser = [r for r in offered if r.x_dpi <= have.x_dpi and r.y_dpi <= have.y_dpi]
    return max(coarser, key=lambda r: (r.x_dpi * r.y_dpi, r.y_dpi), default=None)


def ecm_blocks(data: bytes, frame_size: int) -> list[list[bytes]]:
    """Split a coded page into ECM blocks of at most 256 frames of ``frame_size`` octets.

    >>> [len(b) for b in ecm_blocks(bytes(64 * 300), 64)]
    [256, 44]
    """
    frames = [data[i:i + frame_size] for i in range(0, len(data), frame_size)] or [b""]
    return [frames[i:i + ECM_FRAMES_PER_BLOCK]
            for i in range(0, len(frames), ECM_FRAMES_PER_BLOCK)]


class TxPages:
    """The pages to send, each made a :class:`TxPage` only when it is asked for.

    Every page is checked here (a bad one raises :class:`T30Error` at once), but
    none is kept unpacked: a page held one bit per pixel (a composed or stored
    page) stays that way until its turn, so a long document is not held at a
    byte per pixel for the whole call.
    """

    def __init__(self, pages: Sequence[object]) -> None:
        self._pages = list(pages)
        for page in self._pages:
            as_tx_page(page)

    def __len__(self) -> int:
        return len(self._pages)

    def __getitem__(self, index: int) -> TxPage:
        return as_tx_page(self._pages[index])


def as_tx_page(page: object) -> TxPage:
    """Accept a bool array (fine resolution), a :class:`TxPage`, or an object with
    ``image`` (or ``pixels``) and ``resolution`` attributes.

    Raises:
        T30Error: no image, or a resolution that is no fax resolution.
    """
    if isinstance(page, TxPage):
        return page
    if isinstance(page, np.ndarray):
        return TxPage(page.astype(np.bool_, copy=False))
    image = getattr(page, "image", None)
    if image is None:
        image = getattr(page, "pixels", None)
    if not isinstance(image, np.ndarray):
        raise T30Error(f"cannot send a page of type {type(page).__name__}")
    resolution = as_resolution(getattr(page, "resolution", Resolution.FINE))
    return TxPage(image.astype(np.bool_, copy=False), resolution)


def as_resolution(value: object) -> Resolution:
    """A :class:`Resolution` from itself, an object with ``x_dpi``/``y_dpi``, an enum
    valued ``(x, y)``, or an ``(x_dpi, y_dpi)`` pair (nearest fax resolution).

    >>> as_resolution((204, 196)), as_resolution((200, 100)), as_resolution((300, 300))
    (<Resolution.FINE: (204, 196)>, <Resolution.STANDARD: (204, 98)>, <Resolution.R300: (300, 300)>)
    """
    if isinstance(value, Resolution):
        return value
    if hasattr(value, "x_dpi") and hasattr(value, "y_dpi"):
        pair: object = (value.x_dpi, value.y_dpi)
    else:
        pair = getattr(value, "value", value)
    try:
        x_dpi, y_dpi = (float(v) for v in pair)  # type: ignore[attr-defined]
    except (TypeError, ValueError) as exc:
        raise T30Error(f"{value!r} is not a resolution") from exc
    if 190 <= x_dpi <= 210:
        if y_dpi < 150:
            return Resolution.STANDARD
        return Resolution.FINE if y_dpi < 300 else Resolution.SUPERFINE
    for r in (Resolution.R300, Resolution.R400):
        if abs(x_dpi - r.x_dpi) <= 10 and abs(y_dpi - r.y_dpi) <= 10:
            return r
    raise T30Error(f"{x_dpi:g} x {y_dpi:g} dpi is no fax resolution")
