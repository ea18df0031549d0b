"""Encoders for T.4 MH (clause 4.1), MR (clause 4.2) and T.6 MMR pages.

How it works, for a whole page at once: find the changing elements of every
row (:mod:`._changes`); turn rows coded one-dimensionally into alternating
white/black runs and rows coded two-dimensionally into mode symbols
(:mod:`._mr2d`); expand all symbols into code words by table indexing
(:mod:`._symbols`); lay out the stream (EOL, tag bit, fill, RTC or EOFB) with
cumulative sums; and pack every code word into bytes at once (:mod:`._bits`).

Stream layout (T.4 clause 4.1.2-4.1.4, 4.2.2; T.6 clause 2.2.2-2.2.4):
MH: ``[fill] EOL line [fill] EOL line ... [fill] EOL x6`` (RTC).
MR: as MH, with a tag bit after each EOL (1: the next line is 1-D, 0: 2-D),
and RTC = (EOL 1) x6. MMR: lines back to back, then EOFB (EOL EOL), then zero
bits to a byte boundary. Fill (zero bits) goes before an EOL only: enough
for every line (data + fill + EOL) to reach ``min_bits_per_line``, then, with
``byte_align_eol``, enough for the EOL to end on a byte boundary; with
alignment, RTC's EOLs are aligned too.
"""

from __future__ import annotations

import numpy as np

from pyfax.errors import T4EncodeError
from pyfax.t4._bits import pack_codes, reverse_bits, words_to_bytes
from pyfax.t4._changes import Changes, find_changes, row_of_each
from pyfax.t4._mr2d import mode_symbols
from pyfax.t4._symbols import CodeWords, Ints, Symbols, expand
from pyfax.t4._tables import EOL_BITS, EOL_CODE, RTC_EOLS
from pyfax.t4._types import BitOrder, Page, Scheme


def check_page(image: object) -> Page:
    """``image`` as a 2-D bool page, or :class:`T4EncodeError`."""
    if not isinstance(image, np.ndarray):
        raise T4EncodeError(f"a page must be a 2-D numpy array, not {type(image).__name__}")
    if image.ndim != 2 or image.shape[1] < 1:
        raise T4EncodeError(f"a page must be 2-D with at least one column, not {image.shape}")
    if image.dtype != np.bool_:
        if not np.issubdtype(image.dtype, np.number):
            raise T4EncodeError(f"a page must hold bools (True = black), not {image.dtype}")
        image = image != 0
    return np.ascontiguousarray(image)


def one_d_symbols(changes: Changes, rows: Ints) -> Symbols:
    """The alternating white/black runs of ``rows`` (T.4 clause 4.1.1)."""
    width = changes.width_px
    counts = np.diff(changes.offsets)[rows] + 1
    offsets = np.zeros(rows.size + 1, np.int64)
    np.cumsum(counts, out=offsets[1:])
    row_end = offsets[1:] - 1
    ends = np.full(int(offsets[-1]), width, np.int64)
    inner = np.ones(ends.size, bool)
    inner[row_end] = False
    src = changes.offsets[rows]
    sel = np.repeat(src - offsets[:-1], counts - 1)  # shift from output to input index
    ends[inner] = changes.positions[np.flatnonzero(inner) + sel]
    starts = np.empty_like(ends)
    starts[1:] = ends[:-1]
    starts[offsets[:-1]] = 0
    index_in_row = np.arange(ends.size) - np.repeat(offsets[:-1], counts)
    return Symbols.runs(np.repeat(rows, counts), ends - starts, index_in_row & 1)


def _stream_order(parts: list[Symbols]) -> Symbols:
    """Concatenate symbol chunks and sort them stably by row."""
    allsym = Symbols.concat(parts)
    key = allsym.row
    if key.size and key.max() < 65536:
        key = key.astype(np.uint16)  # numpy sorts 16-bit keys with a radix sort
    return allsym.take(np.argsort(key, kind="stable"))


def _fills(data_bits: Ints, tag_bits: int, byte_align: bool, min_bits: int) -> Ints:
    """Fill before each EOL: one per line, then one per RTC EOL."""
    since_eol = np.concatenate([[0], data_bits + tag_bits, np.full(RTC_EOLS - 1, tag_bits)])
    fill = np.zeros(since_eol.size, np.int64)
    lines = slice(1, data_bits.size + 1)
    fill[lines] = np.maximum(0, min_bits - since_eol[lines] - EOL_BITS)
    if byte_align:
        fill += -(since_eol + fill + EOL_BITS) % 8
    return fill


def _layout_eol(
    words: CodeWords, tags: Ints | None, n_rows: int, byte_align: bool, min_bits: int
) -> tuple[np.ndarray, int]:
    tag_bits = 0 if tags is None else 1
    data_bits = np.bincount(words.row, weights=words.n_bits, minlength=n_rows).astype(np.int64)
    fill = _fills(data_bits, tag_bits, byte_align, min_bits)
    head_bits = EOL_BITS + tag_bits
    line_bits = fill + head_bits + np.append(data_bits, np.zeros(RTC_EOLS, np.int64))
    head_start = np.cumsum(line_bits) - line_bits + fill
    total = int(head_start[-1] + head_bits)
    head_value = np.full(head_start.size, EOL_CODE << tag_bits, np.uint64)
    if tags is not None:
        head_value |= np.append(tags, np.ones(RTC_EOLS, np.int64)).astype(np.uint64)
    buffer = np.zeros(total // 64 + 2, np.uint64)
    pack_codes(buffer, head_value, np.full(head_start.size, head_bits, np.int64), head_start)
    code_start = np.cumsum(words.n_bits) - words.n_bits
    row_base = np.cumsum(data_bits) - data_bits
    shift = head_start[:n_rows] + head_bits - row_base
    pack_codes(buffer, words.value, words.n_bits, code_start + shift[words.row])
    return buffer, total


def _layout_mmr(words: CodeWords) -> tuple[np.ndarray, int]:
    data = int(words.n_bits.sum())
    total = data + 2 * EOL_BITS
    buffer = np.zeros(total // 64 + 2, np.uint64)
    pack_codes(buffer, words.value, words.n_bits, np.cumsum(words.n_bits) - words.n_bits)
    eofb = np.array([EOL_CODE << EOL_BITS | EOL_CODE], np.uint64)
    pack_codes(buffer, eofb, np.array([2 * EOL_BITS]), np.array([data]))
    return buffer, total


def encode_page(
    image: object,
    scheme: Scheme,
    k: int,
    byte_align_eol: bool,
    min_bits_per_line: int,
    bit_order: BitOrder,
) -> bytes:
    """Code a page; see :func:`pyfax.t4.encode`."""
    page = check_page(image)
    if k < 1:
        raise T4EncodeError(f"K must be at least 1, not {k}")
    if min_bits_per_line < 0:
        raise T4EncodeError(f"min_bits_per_line must not be negative, not {min_bits_per_line}")
    changes = find_changes(page)
    n_rows = page.shape[0]
    all_rows = np.arange(n_rows, dtype=np.int64)
    if scheme is Scheme.MH:
        parts, tags = [one_d_symbols(changes, all_rows)], None
    elif scheme is Scheme.MR:
        one_d = all_rows % k == 0
        tags = one_d.astype(np.int64)
        parts = [one_d_symbols(changes, all_rows[one_d])]
        parts += mode_symbols(changes, all_rows[~one_d], all_rows[~one_d] - 1)
    else:
        parts, tags = mode_symbols(changes, all_rows, all_rows - 1), None
    words = expand(_stream_order(parts))
    if scheme is Scheme.MMR:
        buffer, total = _layout_mmr(words)
    else:
        buffer, total = _layout_eol(words, tags, n_rows, byte_align_eol, min_bits_per_line)
    data = words_to_bytes(buffer, total)
    return reverse_bits(data) if bit_order is BitOrder.LSB else data


__all__ = ["encode_page", "row_of_each"]
