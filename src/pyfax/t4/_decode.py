"""Page decoders for T.4 MH/MR (EOL-framed lines) and T.6 MMR.

MH and MR (T.4 clause 4.1.2-4.1.4, 4.2.2): every line follows an EOL
(11 zeros and a one, after any fill zeros); MR puts a tag bit after each EOL
(1: 1-D line, 0: 2-D line). No valid line contains 11 zeros in a row, so all
EOLs are found up front with one vectorised search, and they cut the stream
into lines; all 1-D lines are then decoded side by side
(:mod:`._lines1d`), 2-D lines one after another (:mod:`._lines`). The page
ends at RTC, recognised as an EOL followed directly by another (its tag bits
may be 1 or 0: libtiff has written 0 when the row count is not a multiple of
K). A line is damaged when it does not decode, does not fill the width
exactly, or is followed by anything but zero fill before the next EOL. The
strict decoder raises on the first damaged line; the tolerant one (a non-ECM
receiver) conceals it by repeating the line above and resumes at the next
EOL.

A stream that simply ends after a whole line (only zero bits follow) has
lost no line: it decodes, with ``end_of_page`` False. TIFF Class F strips
end that way (libtiff 4.5 writes no RTC), and so does a page cut short at a
line boundary; a caller that needs RTC or EOFB checks ``end_of_page``.

MMR (T.6): lines follow each other with no EOL, each coded against the line
above (white above the first), until EOFB (EOL EOL). A damaged line cannot be
resynchronised, so the tolerant decoder conceals it and stops there.

Memory is bounded by the input: every line costs at least one bit (MMR) or
an EOL (MH/MR), and ``max_rows`` caps the page length on top of that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain

import numpy as np

from pyfax.errors import T4DecodeError
from pyfax.t4._bits import reverse_bits
from pyfax.t4._changes import Changes, render
from pyfax.t4._lines import LineError, decode_1d, decode_2d, with_sentinels
from pyfax.t4._lines1d import DecodedLines, decode_1d_lines
from pyfax.t4._stream import Stream
from pyfax.t4._tables import EOL_BITS, RTC_EOLS
from pyfax.t4._types import BitOrder, DecodeReport, Scheme
from pyfax.t4._words import Ints


@dataclass
class _Page:
    """Rows decoded so far and what went wrong, for one decode."""

    width_px: int
    strict: bool
    max_rows: int
    rows: list[list[int] | Ints] = field(default_factory=list)
    damaged: list[int] = field(default_factory=list)
    whole: Changes | None = None  # the page in one piece, when decoded that way

    def check_length(self, n_rows: int, bit_offset: int) -> None:
        if n_rows > self.max_rows:
            raise T4DecodeError(
                f"page longer than max_rows={self.max_rows}",
                line=self.max_rows,
                bit_offset=bit_offset,
            )

    def add(self, changes: list[int] | Ints, bit_offset: int) -> None:
        self.check_length(len(self.rows) + 1, bit_offset)
        self.rows.append(changes)

    def damage(self, reason: str, bit_offset: int) -> None:
        line = len(self.rows)
        if self.strict:
            raise T4DecodeError(reason, line=line, bit_offset=bit_offset)
        self.damaged.append(line)
        self.add(self.rows[-1] if self.rows else [], bit_offset)

    def reference(self) -> list[int]:
        above = self.rows[-1] if self.rows else []
        return with_sentinels(above if isinstance(above, list) else above.tolist(), self.width_px)

    def changes(self) -> Changes:
        if self.whole is not None:
            return self.whole
        counts = np.fromiter(map(len, self.rows), np.int64, count=len(self.rows))
        offsets = np.zeros(counts.size + 1, np.int64)
        np.cumsum(counts, out=offsets[1:])
        rows = (r if isinstance(r, list) else r.tolist() for r in self.rows)
        flat = np.fromiter(chain.from_iterable(rows), np.int64, count=int(offsets[-1]))
        return Changes(flat, offsets, self.width_px)


@dataclass(frozen=True)
class _Lines:
    """Where the coded lines of an MH/MR page are."""

    starts: Ints  # first data bit of each line (after EOL and tag bit)
    stops: Ints  # where the next EOL starts (or the end of the data)
    one_d: np.ndarray  # tag bit (MH: all True)
    end_of_page: bool
    used_bits: int


def _find_lines(s: Stream, two_d: bool) -> _Lines:
    head = EOL_BITS + int(two_d)
    eol = s.eol_at
    if eol.size == 0:
        none = np.zeros(0, np.int64)
        return _Lines(none, none, np.zeros(0, bool), False, s.n_bits)
    starts = eol + head
    stops = np.append(eol[1:], s.n_bits)
    one_d = (s.win[eol + EOL_BITS] >> 12).astype(bool) if two_d else np.ones(eol.size, bool)
    empty = s.zeros_between(starts, stops)
    first_empty = np.flatnonzero(empty)
    if first_empty.size == 0:
        return _Lines(starts, stops, one_d, False, s.n_bits)
    n = int(first_empty[0])
    if n + 1 >= eol.size:  # an EOL and nothing after it
        return _Lines(starts[:n], stops[:n], one_d[:n], False, s.n_bits)
    last = n + 1  # RTC: EOL n and up to five more, with nothing between them
    while last < min(n + RTC_EOLS - 1, eol.size - 1) and empty[last]:
        last += 1
    return _Lines(starts[:n], stops[:n], one_d[:n], True, int(min(starts[last], s.n_bits)))


def _good_1d(s: Stream, lines: _Lines, page: _Page) -> tuple[DecodedLines, np.ndarray]:
    """Decode every 1-D line at once; returns the result and which lines are sound."""
    starts, stops = lines.starts[lines.one_d], lines.stops[lines.one_d]
    result = decode_1d_lines(s.win, starts, page.width_px)
    fits = result.ok & (result.end <= stops)
    good = fits & s.zeros_between(np.minimum(result.end, stops), stops)
    return result, good


def _decode_eol_page(s: Stream, page: _Page, two_d: bool) -> tuple[bool, int]:
    """Decode an MH/MR page into ``page``; returns (RTC found, bits used)."""
    if page.strict and (s.eol_at.size == 0 or not s.zeros_between(0, s.eol_at[0])):
        raise T4DecodeError("no EOL before the first line", line=0, bit_offset=0)
    lines = _find_lines(s, two_d)
    page.check_length(lines.starts.size, int(lines.used_bits))
    result, good = _good_1d(s, lines, page)
    if not two_d and good.all():
        page.whole = Changes(result.positions, result.offsets, page.width_px)
        return lines.end_of_page, lines.used_bits
    one_d_index = np.cumsum(lines.one_d) - 1
    for n, (start, stop) in enumerate(
        zip(lines.starts.tolist(), lines.stops.tolist(), strict=True)
    ):
        if lines.one_d[n] and good[one_d_index[n]]:
            k = int(one_d_index[n])
            page.add(result.positions[result.offsets[k] : result.offsets[k + 1]], start)
            continue
        _decode_one_line(s, page, start, stop, bool(lines.one_d[n]))
    return lines.end_of_page, lines.used_bits


def _decode_one_line(s: Stream, page: _Page, start: int, stop: int, one_d: bool) -> None:
    """Decode one line in Python (2-D lines, and 1-D lines the fast path refused)."""
    try:
        if one_d:
            line, end = decode_1d(s.win_list, start, page.width_px)
        else:
            line, end = decode_2d(s.win_list, start, page.width_px, page.reference())
    except LineError as e:
        page.damage(e.reason, e.bit_offset)
        return
    if end > stop or not s.zeros_span(end, stop):
        page.damage("line does not end where the next EOL starts", end)
        return
    page.add(line, start)


def _decode_mmr(s: Stream, page: _Page) -> tuple[bool, int]:
    """Decode MMR lines into ``page``; returns (EOFB found, bits used)."""
    p = 0
    win = s.win_list
    while True:
        if (win[p] >> 1) == 1:
            if (win[p + EOL_BITS] >> 1) == 1:
                return True, p + 2 * EOL_BITS
            page.damage("EOL inside an MMR page that is not EOFB", p)
            return False, s.n_bits
        if win[p] == 0 and s.zeros_between(p, s.n_bits + 1):
            return False, s.n_bits
        try:
            line, p = decode_2d(win, p, page.width_px, page.reference())
        except LineError as e:
            page.damage(f"{e.reason} (or no EOFB)", e.bit_offset)
            return False, s.n_bits
        page.add(line, p)


def decode_stream(
    data: bytes,
    width_px: int,
    scheme: Scheme,
    strict: bool,
    bit_order: BitOrder,
    max_rows: int,
) -> DecodeReport:
    """Decode a page; see :func:`pyfax.t4.decode` and :func:`pyfax.t4.decode_report`."""
    if bit_order is BitOrder.LSB:
        data = reverse_bits(data)
    s = Stream.of(bytes(data))
    page = _Page(width_px, strict, max_rows)
    if scheme is Scheme.MMR:
        found, used = _decode_mmr(s, page)
    else:
        found, used = _decode_eol_page(s, page, scheme is Scheme.MR)
    return DecodeReport(
        image=render(page.changes()),
        damaged_lines=tuple(page.damaged),
        bytes_consumed=min(len(data), (used + 7) // 8),
        end_of_page=found,
    )
