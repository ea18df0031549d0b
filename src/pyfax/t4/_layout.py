"""Stream layout of T.4 clause 4.1.2-4.1.4 / 4.2.2 and T.6 clause 2.2: EOL, tag
bit, fill, RTC and EOFB around the code words of each line, band by band.

MH: ``[fill] EOL line [fill] EOL line ... [fill] EOL x6`` (RTC). MR: the same,
with a tag bit after each EOL (1: the next line is 1-D, 0: 2-D) and RTC =
(EOL 1) x6. MMR: lines back to back, then EOFB (EOL EOL), then zero bits to a
byte boundary. Fill (zero bits) goes before an EOL only: enough for every
line (data + fill + EOL) to reach ``min_bits_per_line``, then, with
``byte_align``, enough for the EOL to end on a byte boundary; with
alignment, RTC's EOLs are aligned too.

How it works: a page is coded in bands of rows; each band's words are laid
out with cumulative sums (a row's EOL, tag bit and fill join its first word
when they fit in 64 bits, else they become words of their own, with the fill
as a gap) and packed at the band's bit offset by :class:`BitWriter`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pyfax.t4._bits import pack_codes, words_to_bytes
from pyfax.t4._tables import EOL_BITS, EOL_CODE, RTC_EOLS
from pyfax.t4._words import Bits, Codes, Ints


@dataclass
class BitWriter:
    """Collects packed pieces of a stream at increasing bit offsets."""

    n_bits: int = 0
    _pieces: list[tuple[int, np.ndarray]] = field(default_factory=list)

    def put(self, value: Codes, n_bits: Bits, gap: Ints | None = None) -> None:
        """Append words back to back, each after ``gap`` zero bits if given.

        ``value`` is clobbered (see :func:`pack_codes`).
        """
        if value.size == 0:
            return
        if gap is None:
            value, n_bits = pair_words(value, n_bits)
        # starts[i] is where word i begins, starts[-1] where the last one ends.
        starts = np.empty(value.size + 1, np.uint64)
        starts[0] = 0
        np.cumsum(n_bits, dtype=np.uint64, out=starts[1:])
        if gap is not None:
            starts[:-1] += np.cumsum(gap, dtype=np.int64).astype(np.uint64)
            starts[-1] = starts[-2] + np.uint64(n_bits[-1])
        span = int(starts[-1])
        offset = self.n_bits % 64
        if offset:
            starts += np.uint64(offset)
        piece = np.zeros((offset + span) // 64 + 2, np.uint64)
        pack_codes(piece, value, n_bits, starts[:-1])
        self._pieces.append((self.n_bits // 64, piece))
        self.n_bits += span

    def to_bytes(self) -> bytes:
        """The stream, zero-padded to a whole byte."""
        if len(self._pieces) == 1 and self._pieces[0][0] == 0:
            return words_to_bytes(self._pieces[0][1], self.n_bits)
        buffer = np.zeros(self.n_bits // 64 + 2, np.uint64)
        for first, piece in self._pieces:
            n = min(piece.size, buffer.size - first)
            buffer[first : first + n] |= piece[:n]
        return words_to_bytes(buffer, self.n_bits)


def pair_words(value: Codes, n_bits: Bits) -> tuple[Codes, Bits]:
    """Join neighbouring words two by two when every pair fits in 64 bits.

    Packing costs a dozen whole-array passes per word, joining costs three
    passes over half the words, so for the short codes of a typical page
    this halves the packing work. ``value`` may be clobbered.

    >>> v, n = pair_words(np.array([1, 2, 3], np.uint64), np.array([1, 2, 2], np.uint8))
    >>> v.tolist(), n.tolist()  # 1|10, then 11 alone
    ([6, 3], [3, 2])
    """
    even = value.size & ~1
    joined = np.add(n_bits[0:even:2], n_bits[1:even:2], dtype=np.uint8)
    if joined.size == 0 or int(joined.max()) > 64:
        return value, n_bits
    half = joined.size
    pair_value = np.empty(half + (value.size & 1), np.uint64)
    pair_bits = np.empty(pair_value.size, np.uint8)
    np.left_shift(value[0:even:2], n_bits[1:even:2], out=pair_value[:half], casting="unsafe")
    pair_value[:half] |= value[1:even:2]
    pair_bits[:half] = joined
    if value.size & 1:
        pair_value[-1], pair_bits[-1] = value[-1], n_bits[-1]
    return pair_value, pair_bits


@dataclass(frozen=True)
class EolFormat:
    """How EOLs are written: tag bits (MR), byte alignment, minimum line length."""

    tagged: bool
    byte_align: bool
    min_bits: int

    @property
    def head_bits(self) -> int:
        """Bits of an EOL with its tag bit."""
        return EOL_BITS + int(self.tagged)

    @property
    def has_fill(self) -> bool:
        """Whether any line can need fill (with no alignment nor a minimum above
        an EOL's length, none ever does)."""
        return self.byte_align or self.min_bits > EOL_BITS

    def fills(self, since_eol: Ints, minimum: bool) -> Ints:
        """Fill before EOLs that follow ``since_eol`` bits after the previous EOL."""
        if minimum:
            fill = np.maximum(0, self.min_bits - since_eol - EOL_BITS)
        else:
            fill = np.zeros(since_eol.size, np.int64)
        if self.byte_align:
            fill += -(since_eol + fill + EOL_BITS) % 8
        return fill

    def heads(self, tags: Ints) -> Codes:
        """EOL words (with the tag bit when tagged)."""
        if not self.tagged:
            return np.full(tags.size, EOL_CODE, np.uint64)
        return tags.astype(np.uint64) | np.uint64(EOL_CODE << 1)


def put_eol_rows(
    writer: BitWriter,
    words: tuple[Codes, Bits, Ints],
    tags: Ints,
    fmt: EolFormat,
    since_first: int | None,
) -> int:
    """Lay out rows (their words, each row's first word index) after their EOLs.

    Args:
        writer: where the bits go.
        words: (values, bit lengths, index of each row's first word), rows in order.
        tags: each row's tag bit (MR), else ignored.
        fmt: the EOL format.
        since_first: bits since the EOL before the first row's EOL (None at
            the start of the page).

    Returns:
        Bits after the last row's EOL (data and tag bit), for the next call.
    """
    value, n_bits, row_start = words
    first_bits = n_bits[row_start].astype(np.int64)
    tag_bits = int(fmt.tagged)
    if fmt.has_fill:
        data_bits = np.add.reduceat(n_bits, row_start, dtype=np.int64)  # rows have >= 1 word
        since = np.concatenate(([since_first or 0], data_bits[:-1] + tag_bits))
        fill = fmt.fills(since, minimum=True)
        if since_first is None:
            fill[0] = fmt.fills(np.zeros(1, np.int64), minimum=False)[0]
        last_bits = int(data_bits[-1])
    else:
        fill = np.zeros(row_start.size, np.int64)
        last_bits = int(n_bits[row_start[-1] :].sum(dtype=np.int64))
    head_bits = fill + fmt.head_bits
    heads = fmt.heads(tags)
    if int((first_bits + head_bits).max()) <= 64:  # EOL, tag and fill join the first word
        value[row_start] |= heads << first_bits.astype(np.uint64)
        n_bits[row_start] = first_bits + head_bits
        writer.put(value, n_bits)
    else:
        _put_loose(writer, value, n_bits, row_start, heads, fill, fmt.head_bits)
    return last_bits + tag_bits


def _put_loose(
    writer: BitWriter,
    value: Codes,
    n_bits: Bits,
    row_start: Ints,
    heads: Codes,
    fill: Ints,
    head_bits: int,
) -> None:
    """EOLs as words of their own, their fill as gaps before them."""
    at = row_start + np.arange(row_start.size)
    total = value.size + row_start.size
    is_head = np.zeros(total, bool)
    is_head[at] = True
    all_value = np.empty(total, np.uint64)
    all_bits = np.empty(total, np.uint8)
    all_value[at], all_bits[at] = heads, head_bits
    all_value[~is_head], all_bits[~is_head] = value, n_bits
    gap = np.zeros(total, np.int64)
    gap[at] = fill
    writer.put(all_value, all_bits, gap)


def put_rtc(writer: BitWriter, fmt: EolFormat, since_last: int | None) -> None:
    """RTC: six EOLs (tag 1), after the last line (None: a page with no lines)."""
    tag_bits = int(fmt.tagged)
    since = np.full(RTC_EOLS, tag_bits, np.int64)
    since[0] = since_last or 0
    fill = fmt.fills(since, minimum=False)
    if since_last is not None:
        fill[0] = fmt.fills(since[:1], minimum=True)[0]
    heads = fmt.heads(np.ones(RTC_EOLS, np.int64))
    writer.put(heads, np.full(RTC_EOLS, fmt.head_bits, np.uint8), fill)


def put_eofb(writer: BitWriter) -> None:
    """T.6 EOFB: two EOLs."""
    writer.put(
        np.array([EOL_CODE << EOL_BITS | EOL_CODE], np.uint64), np.array([2 * EOL_BITS], np.uint8)
    )
