"""The header line fax machines print at the top of every page.

T.30 leaves the transmitting terminal's header line to the sender; custom
(and several national regulations, e.g. the US TCPA rule 47 CFR 68.318(d))
puts the date and time, the sender's name and fax number and the page number
in the top margin of every page. Here it is a band ``band_mm`` tall at the
top of the page, cleared to white and then drawn with three configurable
fields (left, centre, right). Pages from PDFs and fax TIFFs keep their size,
so the band is printed over their top margin, as a fax machine's header is.
The time is an input (``now``): nothing here reads a clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from pyfax.compose._fonts import Style
from pyfax.compose._geometry import MM_PER_INCH, PT_PER_INCH, Frame
from pyfax.compose._layout import Measurer, PlacedLine
from pyfax.compose._textrender import render_items

_SAMPLE = {"date": "", "time": "", "sender_name": "", "sender_number": "", "page": 1,
           "pages": 1}


@dataclass(frozen=True)
class HeaderLine:
    """What the header line says and how it looks.

    The three fields are ``str.format`` templates with the names ``date``,
    ``time``, ``sender_name``, ``sender_number``, ``page`` and ``pages``.

    Attributes:
        sender_name: the sender's name (station name), as the delivery layer knows it.
        sender_number: the sender's fax number (for example in E.164 form).
        left: template at the left margin.
        center: template centred on the page.
        right: template at the right margin.
        date_format: ``strftime`` format of ``{date}``.
        time_format: ``strftime`` format of ``{time}``.
        size_pt: font size in points.
        band_mm: height of the header band in millimetres.
        margin_mm: distance of the left and right fields from the page edges.
    """

    sender_name: str = ""
    sender_number: str = ""
    left: str = "{date} {time}"
    center: str = "{sender_name}  {sender_number}"
    right: str = "page {page}/{pages}"
    date_format: str = "%Y-%m-%d"
    time_format: str = "%H:%M"
    size_pt: float = 8.0
    band_mm: float = 5.0
    margin_mm: float = 8.0

    def __post_init__(self) -> None:
        for template in (self.left, self.center, self.right):
            try:
                template.format(**_SAMPLE)
            except (KeyError, IndexError, ValueError) as exc:
                raise ValueError(f"bad header template {template!r}: {exc}") from None
        if not 2.0 <= self.band_mm <= 20.0 or not 4.0 <= self.size_pt <= 14.0:
            raise ValueError("header band_mm must be 2-20 and size_pt 4-14")

    def texts(self, now: dt.datetime, page: int, pages: int) -> tuple[str, str, str]:
        """The (left, centre, right) strings for page ``page`` of ``pages`` (1-based).

        >>> h = HeaderLine("ACME", "+3222123456")
        >>> h.texts(dt.datetime(2026, 11, 26, 9, 5), 2, 3)
        ('2026-11-26 09:05', 'ACME  +3222123456', 'page 2/3')
        """
        values = {"date": now.strftime(self.date_format), "time": now.strftime(self.time_format),
                  "sender_name": self.sender_name, "sender_number": self.sender_number,
                  "page": page, "pages": pages}
        left, center, right = (t.format(**values).strip()
                               for t in (self.left, self.center, self.right))
        return left, center, right


def _field_item(header: HeaderLine, i: int, text: str, frame: Frame,
                m: Measurer) -> PlacedLine:
    """Field ``i`` (0 left, 1 centre, 2 right) of the header placed on the page."""
    mm = PT_PER_INCH / MM_PER_INCH  # points per millimetre
    baseline = header.band_mm * mm * 0.5 + header.size_pt * 0.35
    margin = header.margin_mm * mm
    runs = tuple(m.runs(text, Style.REGULAR))
    width = sum(m.width_pt(r, header.size_pt) for r in runs)
    x = (margin, (frame.width_pt - width) / 2, frame.width_pt - margin - width)[i]
    return PlacedLine(x, baseline, header.size_pt, runs)


def render_header(header: HeaderLine, texts: tuple[str, str, str], frame: Frame,
                  m: Measurer) -> NDArray[np.bool_]:
    """The header band (``frame.header_rows`` rows) as a bilevel raster."""
    items = tuple(_field_item(header, i, text, frame, m) for i, text in enumerate(texts) if text)
    return render_items(items, frame, m, rows=(0, frame.header_rows))


@dataclass
class HeaderPainter:
    """Header bands for the pages of one render: each field is drawn once per distinct
    text (the date and sender fields are the same on every page) and the band is their
    union, which is what :func:`render_header` draws, since words are OR-ed in."""

    header: HeaderLine
    frame: Frame
    m: Measurer = field(default_factory=Measurer)
    _fields: dict[tuple[int, str], NDArray[np.bool_]] = field(default_factory=dict)

    def stamp(self, page: NDArray[np.bool_], texts: tuple[str, str, str]) -> NDArray[np.bool_]:
        """Clear the top rows of ``page`` and draw the header there (in place); returns it."""
        rows = min(self.frame.header_rows, page.shape[0])
        cols = min(self.frame.width_px, page.shape[1])
        top = page[:rows]
        top.fill(False)
        for i, text in enumerate(texts):
            if text:
                np.bitwise_or(top[:, :cols], self._field(i, text)[:rows, :cols],
                              out=top[:, :cols])
        return page

    def _field(self, i: int, text: str) -> NDArray[np.bool_]:
        hit = self._fields.get((i, text))
        if hit is None:
            item = _field_item(self.header, i, text, self.frame, self.m)
            hit = self._fields[(i, text)] = render_items(
                (item,), self.frame, self.m, rows=(0, self.frame.header_rows))
        return hit

