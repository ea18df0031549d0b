"""Encoders for T.4 MH (clause 4.1), MR (clause 4.2) and T.6 MMR pages.

How it works, for a whole page at once: find the changing elements of every
row (:mod:`._changes`); code rows one-dimensionally as alternating white and
black runs, each run one precomputed code word (:mod:`._runcodes`), and rows
two-dimensionally with :mod:`._mr2d`; put each row's words after its EOL
(and tag bit); lay the stream out with one cumulative sum (fill is a gap
before an EOL); and pack every word into bytes at once (:mod:`._bits`).

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
from pyfax.t4._changes import Changes, find_changes, find_flat_changes
from pyfax.t4._mr2d import mode_words
from pyfax.t4._runcodes import MAX_WIDTH_PX, code_runs
from pyfax.t4._tables import EOL_BITS, EOL_CODE, RTC_EOLS
from pyfax.t4._types import BitOrder, Page, Scheme
from pyfax.t4._words import Bits, Codes, Ints, RowWords, segment_index


def check_page(image: object) -> Page:
    """``image`` as a C-contiguous 2-D bool page, or :class:`T4EncodeError`."""
    if not isinstance(image, np.ndarray):
        raise T4EncodeError(f"a page must be a 2-D numpy array, not {type(image).__name__}")
    if image.ndim != 2 or image.shape[1] < 1:
        raise T4EncodeError(f"a page must be 2-D with at least one column, not {image.shape}")
    if image.shape[1] > MAX_WIDTH_PX:
        raise T4EncodeError(f"pages wider than {MAX_WIDTH_PX} pixels are not supported")
    if image.dtype != np.bool_:
        if not np.issubdtype(image.dtype, np.number):
            raise T4EncodeError(f"a page must hold bools (True = black), not {image.dtype}")
        image = image != 0
    return np.ascontiguousarray(image)


def run_words(changes: Changes, rows: Ints) -> RowWords:
    """The 1-D words of ``rows``: alternating white/black runs (T.4 clause 4.1.1)."""
    real = np.diff(changes.offsets)[rows]
    counts = real + 1
    ends = np.full(int(counts.sum()), changes.width_px, np.int64)
    start = np.cumsum(counts) - counts
    _, rank = segment_index(start, counts)
    inner = rank < np.repeat(real, counts)
    ends[inner] = changes.positions[segment_index(changes.offsets[rows], real)[0]]
    begins = np.empty_like(ends)
    begins[1:] = ends[:-1]
    begins[start] = 0
    value, n_bits = code_runs(changes.width_px, rank & 1, ends - begins)
    return RowWords(rows, counts, value, n_bits)


def page_run_words(page: Page) -> RowWords:
    """The 1-D words of every row of ``page``, found straight from the pixels.

    Row boundaries are merged into the flat list of changing elements, so
    every run is a difference of neighbours, and its colour is the colour of
    its first pixel (white for the empty run that opens a row starting black).
    """
    n_rows, width = page.shape
    flat, offsets = find_flat_changes(page)
    bounds = offsets + np.arange(n_rows + 1)  # where each row boundary goes
    merged = np.empty(flat.size + n_rows + 1, np.int64)
    merged[bounds] = np.arange(n_rows + 1, dtype=np.int64) * width
    is_change = np.ones(merged.size, bool)
    is_change[bounds] = False
    merged[is_change] = flat
    del flat
    colour = page.reshape(-1)[merged[:-1]].view(np.uint8)
    run = np.subtract(merged[1:], merged[:-1], out=merged[:-1])
    colour &= run > 0
    value, n_bits = code_runs(width, colour, run)
    return RowWords(np.arange(n_rows, dtype=np.int64), np.diff(bounds), value, n_bits)


def _merge(n_rows: int, parts: list[RowWords], header: bool) -> tuple[Codes, Bits, Ints]:
    """All rows' words in row order, a header slot first in each row if asked.

    Returns (values, bit lengths, index of each row's first slot).
    """
    per_row = np.full(n_rows, int(header), np.int64)
    for part in parts:
        per_row[part.rows] += part.counts
    row_start = np.cumsum(per_row) - per_row
    total = int(per_row.sum())
    value = np.zeros(total, np.uint64)
    n_bits = np.zeros(total, np.uint8)
    for part in parts:
        slot, _ = segment_index(row_start[part.rows] + int(header), part.counts)
        value[slot], n_bits[slot] = part.value, part.n_bits
    return value, n_bits, row_start


def _fills(data_bits: Ints, tag_bits: int, byte_align: bool, min_bits: int) -> Ints:
    """Fill before each EOL: one per line, then one per RTC EOL."""
    since_eol = np.concatenate([[0], data_bits + tag_bits, np.full(RTC_EOLS - 1, tag_bits)])
    fill = np.zeros(since_eol.size, np.int64)
    lines = slice(1, data_bits.size + 1)
    fill[lines] = np.maximum(0, min_bits - since_eol[lines] - EOL_BITS)
    if byte_align:
        fill += -(since_eol + fill + EOL_BITS) % 8
    return fill


def _row_words(n_rows: int, parts: list[RowWords]) -> tuple[Codes, Bits, Ints]:
    """All rows' words in row order: (values, bit lengths, each row's first word)."""
    if len(parts) == 1 and parts[0].rows.size == n_rows:
        part = parts[0]
        return part.value, part.n_bits, np.cumsum(part.counts) - part.counts
    return _merge(n_rows, parts, header=False)


def _pack_eol_page(
    parts: list[RowWords], tags: Ints | None, n_rows: int, byte_align: bool, min_bits: int
) -> bytes:
    tag_bits = 0 if tags is None else 1
    head_bits = EOL_BITS + tag_bits
    value, n_bits, row_start = _row_words(n_rows, parts)
    ends = np.cumsum(n_bits, dtype=np.int64)
    first_bits = n_bits[row_start].astype(np.int64)
    data_bits = np.diff(ends[row_start] - first_bits, append=ends[-1] if ends.size else 0)
    fill = _fills(data_bits, tag_bits, byte_align, min_bits)
    head_value = np.full(n_rows + RTC_EOLS, EOL_CODE << tag_bits, np.uint64)
    if tags is not None:
        head_value |= np.append(tags, np.ones(RTC_EOLS, np.int64)).astype(np.uint64)
    head_bits_all = fill + head_bits
    longest = int((first_bits + head_bits_all[:n_rows]).max(initial=0))
    if max(longest, int(head_bits_all[n_rows:].max())) > 64:
        return _pack_eol_page_loose(parts, head_value, head_bits, fill, n_rows)
    # Fast path: each row's EOL (with tag bit and fill) joins its first word.
    value = np.concatenate((value, head_value[n_rows:]))
    n_bits = np.concatenate((n_bits, head_bits_all[n_rows:].astype(np.uint8)))
    value[row_start] |= head_value[:n_rows] << first_bits.astype(np.uint64)
    n_bits[row_start] = first_bits + head_bits_all[:n_rows]
    return _pack(value, n_bits)


def _pack(value: Codes, n_bits: Bits, gap: Ints | None = None) -> bytes:
    """Pack words back to back (after ``gap`` zero bits each, if given)."""
    starts = np.cumsum(n_bits, dtype=np.uint64)
    if gap is not None:
        starts += np.cumsum(gap).astype(np.uint64)
    total = int(starts[-1])
    starts -= n_bits
    buffer = np.zeros(total // 64 + 2, np.uint64)
    pack_codes(buffer, value, n_bits, starts)
    return words_to_bytes(buffer, total)


def _pack_eol_page_loose(
    parts: list[RowWords], head_value: Codes, head_bits: int, fill: Ints, n_rows: int
) -> bytes:
    """The general layout: EOLs as words of their own, fill as gaps before them."""
    value, n_bits, row_start = _merge(n_rows, parts, header=True)
    head = np.append(row_start, value.size + np.arange(RTC_EOLS))
    value = np.append(value, np.zeros(RTC_EOLS, np.uint64))
    n_bits = np.append(n_bits, np.zeros(RTC_EOLS, np.uint8))
    value[head], n_bits[head] = head_value, head_bits
    gap = np.zeros(value.size, np.int64)
    gap[head] = fill
    return _pack(value, n_bits, gap)


def _pack_mmr_page(parts: list[RowWords], n_rows: int) -> bytes:
    value, n_bits, _ = _row_words(n_rows, parts)
    eofb = EOL_CODE << EOL_BITS | EOL_CODE
    value = np.append(value, np.uint64(eofb))
    n_bits = np.append(n_bits, np.uint8(2 * EOL_BITS))
    return _pack(value, n_bits)


def _two_d_rows(page: Page, k: int | None) -> list[RowWords]:
    """Words of an MR page (every K-th row 1-D) or, with ``k=None``, an MMR page."""
    changes = find_changes(page)
    rows = np.arange(page.shape[0], dtype=np.int64)
    if k is None:
        return [mode_words(changes, rows, rows - 1)]
    one_d = rows % k == 0
    parts = [run_words(changes, rows[one_d])]
    if not one_d.all():
        parts.append(mode_words(changes, rows[~one_d], rows[~one_d] - 1))
    return parts


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
    n_rows = page.shape[0]
    if scheme is Scheme.MMR:
        data = _pack_mmr_page(_two_d_rows(page, k=None), n_rows)
    elif scheme is Scheme.MH:
        data = _pack_eol_page(
            [page_run_words(page)], None, n_rows, byte_align_eol, min_bits_per_line
        )
    else:
        tags = (np.arange(n_rows) % k == 0).astype(np.int64)
        parts = _two_d_rows(page, k)
        data = _pack_eol_page(parts, tags, n_rows, byte_align_eol, min_bits_per_line)
    return reverse_bits(data) if bit_order is BitOrder.LSB else data
