"""Encoders for T.4 MH (clause 4.1), MR (clause 4.2) and T.6 MMR pages.

How it works, for a whole band of rows at once: find the changing elements of
every row (:mod:`._changes`); code rows one-dimensionally as alternating
white and black runs, each run one precomputed code word (:mod:`._runcodes`),
and rows two-dimensionally with :mod:`._mr2d`; then lay the words out behind
their EOLs and pack them (:mod:`._layout`). Pages are cut into bands of about
:data:`BAND_RUNS` runs, so that a dense page (a dithered photo has millions
of runs) works on arrays that stay in cache instead of in fresh memory.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from pyfax.errors import T4EncodeError
from pyfax.t4._bits import reverse_bits
from pyfax.t4._changes import (
    Changes,
    Flips,
    bit_counts,
    changes_of,
    changes_per_row,
    flat_changes,
    mark_row_starts,
    page_flips,
)
from pyfax.t4._layout import BitWriter, EolFormat, put_eofb, put_eol_rows, put_rtc
from pyfax.t4._mr2d import mode_words
from pyfax.t4._runcodes import MAX_WIDTH_PX, code_runs, max_run_bits, run_code_words
from pyfax.t4._types import BitOrder, Page, Scheme
from pyfax.t4._words import Bits, Codes, Ints, RowWords, segment_index

BAND_RUNS = 1 << 17
"""About how many runs a band of rows holds."""
WHOLE_PAGE_RUNS = 1 << 19
"""Pages with up to this many runs are coded in one piece (text pages have ~200K)."""


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


def page_run_words(page: Page, marked: Flips) -> RowWords:
    """The 1-D words of every row of ``page``, from its :func:`page_flips`
    with :func:`mark_row_starts`.

    Every row start is marked as a change (column 0 always "changes"), so the
    flat list of changing elements holds the row boundaries too: every run
    is the difference of neighbours (the last one ends at the page's end),
    and its colour is the colour of its first pixel. A row that starts black
    thus opens with its black run; the white run of length 0 that T.4 wants
    before it (clause 4.1.1) is joined to that first word.
    """
    n_rows, width = page.shape
    flat, offsets = flat_changes(marked, width)
    colour = np.take(page.reshape(-1).view(np.uint8), flat)
    index = np.multiply(colour, width + 1, dtype=np.intp)
    index[:-1] += flat[1:]
    index[:-1] -= flat[:-1]
    index[-1] += n_rows * width - flat[-1]
    value, n_bits = run_code_words(width, index)
    black_first = offsets[:-1][page[:, 0]]
    white_0 = run_code_words(width, np.zeros(1, np.intp))
    value[black_first] |= white_0[0] << n_bits[black_first].astype(np.uint64)
    n_bits[black_first] += white_0[1]
    return RowWords(np.arange(n_rows, dtype=np.int64), np.diff(offsets), value, n_bits)


def _row_words(n_rows: int, parts: list[RowWords]) -> tuple[Codes, Bits, Ints]:
    """All rows' words in row order: (values, bit lengths, each row's first word)."""
    if len(parts) == 1 and parts[0].rows.size == n_rows:
        part = parts[0]
        return part.value, part.n_bits, np.cumsum(part.counts) - part.counts
    per_row = np.zeros(n_rows, np.int64)
    for part in parts:
        per_row[part.rows] += part.counts
    row_start = np.cumsum(per_row) - per_row
    value = np.zeros(int(per_row.sum()), np.uint64)
    n_bits = np.zeros(value.size, np.uint8)
    for part in parts:
        slot, _ = segment_index(row_start[part.rows], part.counts)
        value[slot], n_bits[slot] = part.value, part.n_bits
    return value, n_bits, row_start


def _bands(flips: Flips) -> list[tuple[int, int]]:
    """Consecutive row ranges of about :data:`BAND_RUNS` runs each (or the whole page)."""
    n_rows = flips.shape[0]
    if int(bit_counts(flips).sum(dtype=np.int64)) + n_rows <= max(WHOLE_PAGE_RUNS, BAND_RUNS):
        return [(0, n_rows)] if n_rows else []
    runs = np.cumsum(changes_per_row(flips) + 1)
    cuts = np.searchsorted(runs, np.arange(BAND_RUNS, int(runs[-1]), BAND_RUNS))
    edges = np.unique(np.concatenate(([0], cuts, [n_rows])))
    return list(zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True))


def _band_words(
    flips: Flips, r0: int, r1: int, width_px: int, k: int | None
) -> tuple[Codes, Bits, Ints]:
    """Words of rows r0..r1 of an MR page (every K-th row 1-D), or MMR (``k=None``)."""
    above = max(r0 - 1, 0)  # the reference line of the band's first row
    changes = changes_of(flips[above:r1], width_px)
    rows = np.arange(r0 - above, r1 - above, dtype=np.int64)
    if k is None:
        parts = [mode_words(changes, rows, rows - 1)]
    else:
        one_d = (rows + above) % k == 0
        parts = [run_words(changes, rows[one_d])]
        if not one_d.all():
            parts.append(mode_words(changes, rows[~one_d], rows[~one_d] - 1))
    shift = r0 - above
    parts = [dataclasses.replace(p, rows=p.rows - shift) for p in parts]
    return _row_words(r1 - r0, parts)


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
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise T4EncodeError(f"K must be an integer of at least 1, not {k!r}")
    if not isinstance(min_bits_per_line, int) or min_bits_per_line < 0:
        raise T4EncodeError(f"min_bits_per_line must be an integer >= 0, not {min_bits_per_line!r}")
    flips = page_flips(page)
    width = page.shape[1]
    # A row that starts black takes white 0 (8 bits) in its first word.
    whole_rows = scheme is Scheme.MH and max_run_bits(width) <= 64 - 8
    if whole_rows:
        mark_row_starts(flips)
    writer = BitWriter()
    fmt = EolFormat(scheme is Scheme.MR, byte_align_eol, min_bits_per_line)
    since: int | None = None
    for r0, r1 in _bands(flips):
        if whole_rows:
            words = _row_words(r1 - r0, [page_run_words(page[r0:r1], flips[r0:r1])])
        else:  # MH as MR with every line 1-D
            one_d_every = 1 if scheme is Scheme.MH else k
            words = _band_words(flips, r0, r1, width, None if scheme is Scheme.MMR else one_d_every)
        if scheme is Scheme.MMR:
            writer.put(words[0], words[1])
        else:
            tags = (np.arange(r0, r1) % k == 0).astype(np.int64)
            since = put_eol_rows(writer, words, tags, fmt, since)
    if scheme is Scheme.MMR:
        put_eofb(writer)
    else:
        put_rtc(writer, fmt, since)
    data = writer.to_bytes()
    return reverse_bits(data) if bit_order is BitOrder.LSB else data
