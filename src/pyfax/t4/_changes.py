"""Changing elements of a page (T.4 clause 4.2.1.3.1), found and rendered.

A changing element is a pixel whose colour differs from the pixel to its
left; the pixel left of column 0 is an imaginary white one. A page's changing
elements are held as CSR arrays: ``positions`` (columns, row by row, in
order) and ``offsets`` (``positions[offsets[r]:offsets[r + 1]]`` are row r's).
Even-indexed elements of a row turn the line black, odd-indexed ones white.

How it works: :func:`find_changes` packs the rows into 64-bit words, so one
XOR of a word with itself shifted by a bit (and the last bit of the word
before) marks all 64 pixel changes of that word at once; only the few
non-zero words are then unpacked into columns. :func:`render` builds the
page from its runs with one ``np.repeat`` over the whole page.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pyfax.t4._types import Page

Index = NDArray[np.int64]


@dataclass(frozen=True)
class Changes:
    """The changing elements of every row, as CSR arrays."""

    positions: Index
    offsets: Index
    width_px: int

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return int(self.offsets.size - 1)


Flips = NDArray[np.uint64]


def find_changes(page: Page) -> Changes:
    """The changing elements of every row of ``page``.

    >>> c = find_changes(np.array([[0, 1, 1, 0], [1, 1, 1, 1]], dtype=bool))
    >>> c.positions.tolist(), c.offsets.tolist()
    ([1, 3, 0], [0, 2, 3])
    """
    return changes_of(page_flips(page), page.shape[1])


def changes_of(flips: Flips, width_px: int) -> Changes:
    """The changing elements of the rows whose :func:`page_flips` are given."""
    flat, offsets = flat_changes(flips, width_px)
    row_base = np.repeat(np.arange(offsets.size - 1, dtype=np.int64) * width_px, np.diff(offsets))
    flat -= row_base
    return Changes(flat, offsets, width_px)


def page_flips(page: Page) -> Flips:
    """Each row packed into 64-bit words, with a bit set where a pixel changes.

    Bit 63 - j of word w is column 64 w + j (columns past the width are white).
    """
    n_rows, width = page.shape
    n_words = -(-width // 64)
    if n_words * 64 == width:
        packed = np.packbits(page.reshape(-1)).reshape(n_rows, n_words * 8)
    else:
        packed = np.zeros((n_rows, n_words * 8), np.uint8)
        packed[:, : -(-width // 8)] = np.packbits(page, axis=1)
    words = packed.view(">u8").astype(np.uint64)
    # A pixel changes where it differs from its left neighbour (white left of column 0).
    flips = words >> np.uint64(1)
    flips ^= words
    words <<= np.uint64(63)  # each word's last pixel, where the next word's first bit is
    flips[:, 1:] ^= words[:, :-1]
    return flips


def mark_row_starts(flips: Flips) -> Flips:
    """Set the bit of column 0 in every row of ``flips`` (in place), and return it.

    Then the flat list of changing elements holds every row start too.
    """
    flips[:, 0] |= np.uint64(1 << 63)
    return flips


_POPCOUNT8 = np.array([bin(b).count("1") for b in range(256)], dtype=np.uint8)


def bit_counts(words: Flips) -> NDArray[np.uint8]:
    """The number of set bits in each word (numpy 2's ``bitwise_count`` when present)."""
    if hasattr(np, "bitwise_count"):
        return np.asarray(np.bitwise_count(words), np.uint8)
    counts = _POPCOUNT8[words.view(np.uint8)].reshape(*words.shape, 8)
    return np.asarray(counts.sum(axis=-1, dtype=np.uint8), np.uint8)


def changes_per_row(flips: Flips) -> Index:
    """How many changing elements each row has (counting one past the width)."""
    return np.asarray(bit_counts(flips).sum(axis=1, dtype=np.int64), np.int64)


def flat_changes(flips: Flips, width_px: int) -> tuple[Index, Index]:
    """Flat changing elements (``row * width + column``) and CSR offsets, from flips."""
    n_rows, n_words = flips.shape
    words = flips.reshape(-1)
    hit = np.flatnonzero(words != 0)  # bool nonzero is numpy's fast path
    hit_bytes = words[hit].astype(">u8").view(np.uint8)
    if int(bit_counts(words[hit]).sum(dtype=np.int64)) < 8 * hit.size:
        flat = _set_bits(hit_bytes, hit)
    else:  # dense words: unpack them whole
        flat = np.flatnonzero(np.unpackbits(hit_bytes).view(bool))
        flat += np.take((hit - np.arange(hit.size)) << 6, flat >> 6)  # take: faster than []
    if n_words * 64 != width_px:
        row, col = np.divmod(flat, n_words * 64)
        keep = col < width_px
        flat = row[keep] * width_px + col[keep]
    offsets = np.searchsorted(flat, np.arange(n_rows + 1, dtype=np.int64) * width_px)
    return flat, offsets.astype(np.int64)


def _set_bits(hit_bytes: NDArray[np.uint8], hit: Index) -> Index:
    """Page bit index of every set bit of the hit words' bytes (MSB first).

    ``hit`` says which words of the page the bytes (8 apiece) come from. Only
    the non-zero bytes are unpacked: a sparse page's hit words have few
    changes, mostly in a byte or two.
    """
    nonzero = np.flatnonzero(hit_bytes != 0)
    flat = np.flatnonzero(np.unpackbits(hit_bytes[nonzero]).view(bool))
    page_byte = np.take(hit, nonzero >> 3) << 3
    page_byte += nonzero & 7
    page_byte -= np.arange(nonzero.size)  # minus the unpacked bytes before it
    page_byte <<= 3
    flat += np.take(page_byte, flat >> 3)
    return flat


def row_of_each(offsets: Index) -> Index:
    """The row index of every CSR element.

    >>> row_of_each(np.array([0, 2, 2, 3])).tolist()
    [0, 0, 2]
    """
    return np.repeat(np.arange(offsets.size - 1, dtype=np.int64), np.diff(offsets))


def render(changes: Changes) -> Page:
    """The page whose rows have the given changing elements.

    Each change toggles the colour from its column to the end of its row:
    the toggles are set as bits of 64-bit words, a prefix XOR within each
    word (six shifts) and a running XOR of the words of a row colour every
    pixel, and ``np.unpackbits`` spreads the words into the page.

    >>> render(Changes(np.array([1, 3, 0]), np.array([0, 2, 3]), 4)).astype(int).tolist()
    [[0, 1, 1, 0], [1, 1, 1, 1]]
    """
    n_rows, width = changes.n_rows, changes.width_px
    if n_rows == 0:
        return np.zeros((0, width), dtype=bool)
    n_words = -(-width // 64)
    flat = row_of_each(changes.offsets) * (n_words * 64)
    flat += changes.positions
    toggles = np.zeros((n_rows, n_words), np.uint64)
    bit = np.right_shift(np.uint64(1 << 63), (flat & 63).astype(np.uint64))
    if flat.size < 2 or bool((flat[1:] > flat[:-1]).all()):
        np.add.at(toggles.reshape(-1), flat >> 6, bit)  # no two toggles share a bit
    else:  # a repeated change toggles back
        np.bitwise_xor.at(toggles.reshape(-1), flat >> 6, bit)
    for shift in (1, 2, 4, 8, 16, 32):
        toggles ^= toggles >> np.uint64(shift)
    # Bit 0 of a word now says whether its row ends it black; carry that on.
    carry = np.bitwise_xor.accumulate(toggles & np.uint64(1), axis=1)
    toggles[:, 1:] ^= np.negative(carry[:, :-1])  # 1 -> all ones
    packed = toggles.astype(">u8").view(np.uint8)
    return np.unpackbits(packed, axis=1, count=width).view(bool)
