"""Page decoders for T.4 MH/MR (EOL-framed lines) and T.6 MMR.

MH and MR (T.4 clause 4.1.2-4.1.4, 4.2.2): every line follows an EOL
(11 zeros and a one, after any fill zeros); MR puts a tag bit after each EOL
(1: 1-D line, 0: 2-D line). No valid line contains 11 zeros in a row, so all
EOLs are found up front with one vectorised search, and they cut the stream
into lines. The page ends at RTC, recognised as an EOL followed directly by
another (its tag bits may be 1 or 0: libtiff writes 0 when the row count is
not a multiple of K). A line is damaged when it does not decode, does not
fill the width exactly, or is followed by anything but zero fill before the
next EOL. The strict decoder raises on the first damaged line; the tolerant
one (a non-ECM receiver) conceals it by repeating the line above and resumes
at the next EOL.

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

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pyfax.errors import T4DecodeError
from pyfax.t4._bits import reverse_bits, windows
from pyfax.t4._changes import Changes, render
from pyfax.t4._lines import LineError, decode_1d, decode_2d, with_sentinels
from pyfax.t4._tables import EOL_BITS, RTC_EOLS
from pyfax.t4._types import BitOrder, DecodeReport, Scheme

_PAD = 16


@dataclass(frozen=True)
class _Stream:
    """A coded stream prepared for decoding (first bit first)."""

    win: list[int]
    n_bits: int
    ones_before: NDArray[np.int64]  # ones_before[p]: one bits in [0, p)
    eol_at: NDArray[np.int64]  # offsets where an EOL's 12 bits start

    @staticmethod
    def of(data: bytes) -> _Stream:
        win = windows(data)
        bits = (win >> 12) & 1
        ones_before = np.zeros(bits.size + _PAD + 1, np.int64)
        np.cumsum(bits, out=ones_before[1 : bits.size + 1])
        ones_before[bits.size + 1 :] = ones_before[bits.size]
        eol_at = np.flatnonzero((win >> 1) == 1)
        return _Stream(win.tolist() + [0] * _PAD, bits.size, ones_before, eol_at)

    def zeros(self, start: int, stop: int) -> bool:
        """Whether bits [start, stop) are all zero."""
        return bool(self.ones_before[stop] == self.ones_before[start])


@dataclass
class _Page:
    """Rows decoded so far and what went wrong, for one decode."""

    width_px: int
    strict: bool
    max_rows: int
    rows: list[list[int]]
    damaged: list[int]

    def add(self, changes: list[int], bit_offset: int) -> None:
        if len(self.rows) >= self.max_rows:
            raise T4DecodeError(
                f"page longer than max_rows={self.max_rows}",
                line=len(self.rows),
                bit_offset=bit_offset,
            )
        self.rows.append(changes)

    def damage(self, reason: str, bit_offset: int) -> None:
        line = len(self.rows)
        if self.strict:
            raise T4DecodeError(reason, line=line, bit_offset=bit_offset)
        self.damaged.append(line)
        self.add(self.rows[-1] if self.rows else [], bit_offset)

    def reference(self) -> list[int]:
        return with_sentinels(self.rows[-1] if self.rows else [], self.width_px)

    def changes(self) -> Changes:
        counts = [len(r) for r in self.rows]
        offsets = np.zeros(len(counts) + 1, np.int64)
        np.cumsum(counts, out=offsets[1:])
        flat = [x for r in self.rows for x in r]
        return Changes(np.array(flat, np.int64), offsets, self.width_px)


def _decode_eol_lines(s: _Stream, page: _Page, two_d: bool) -> tuple[bool, int]:
    """Decode MH/MR lines into ``page``; returns (end of page found, bits used)."""
    eols = [*s.eol_at.tolist(), s.n_bits]
    if page.strict and (len(eols) == 1 or not s.zeros(0, eols[0])):
        raise T4DecodeError("no EOL before the first line", line=0, bit_offset=0)
    for n, eol in enumerate(eols[:-1]):
        start = eol + EOL_BITS
        tag = 1
        if two_d:
            tag = (s.win[start] >> 12) & 1
            start += 1
        stop = eols[n + 1]
        if s.zeros(start, stop):
            return _rtc_end(s, eols, n, two_d, page)
        try:
            if tag:
                line, end = decode_1d(s.win, start, page.width_px)
            else:
                line, end = decode_2d(s.win, start, page.width_px, page.reference())
        except LineError as e:
            page.damage(e.reason, e.bit_offset)
            continue
        if end > stop or not s.zeros(end, stop):
            page.damage("line does not end where the next EOL starts", end)
            continue
        page.add(line, start)
    return False, s.n_bits


def _rtc_end(s: _Stream, eols: list[int], n: int, two_d: bool, page: _Page) -> tuple[bool, int]:
    """At an empty line (EOL EOL): the page ends; consume up to six EOLs."""
    head = EOL_BITS + (1 if two_d else 0)
    used = eols[n] + head
    for m in range(n + 1, min(n + RTC_EOLS, len(eols) - 1)):
        if not s.zeros(used, eols[m]):
            break
        used = eols[m] + head
    return True, min(used, s.n_bits)


def _decode_mmr(s: _Stream, page: _Page) -> tuple[bool, int]:
    """Decode MMR lines into ``page``; returns (EOFB found, bits used)."""
    p = 0
    win = s.win
    while True:
        if (win[p] >> 1) == 1:
            if (win[p + EOL_BITS] >> 1) == 1:
                return True, p + 2 * EOL_BITS
            page.damage("EOL inside an MMR page that is not EOFB", p)
            return False, s.n_bits
        if s.zeros(p, s.n_bits + 1):
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
    s = _Stream.of(bytes(data))
    page = _Page(width_px, strict, max_rows, [], [])
    if scheme is Scheme.MMR:
        found, used = _decode_mmr(s, page)
    else:
        found, used = _decode_eol_lines(s, page, scheme is Scheme.MR)
    return DecodeReport(
        image=render(page.changes()),
        damaged_lines=tuple(page.damaged),
        bytes_consumed=min(len(data), (used + 7) // 8),
        end_of_page=found,
    )
