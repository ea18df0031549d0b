"""Bit-level helpers: packing variable-length codes, bit order, windows.

How it works: a coded page is a list of code words (value, length in bits)
with known start offsets. :func:`pack_codes` ORs every code into 64-bit
big-endian words at once: each code lands in the word ``start // 64`` and may
spill into the next one; codes never overlap, so the contributions to one
word are summed with ``np.add.at``. :func:`windows` gives, for
every bit offset of a stream, the value of the next 13 bits, which the
decoders use as an index into their lookup tables.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from pyfax.t4._tables import WINDOW_BITS

Codes = NDArray[np.uint64]

_REVERSED = np.array([int(f"{b:08b}"[::-1], 2) for b in range(256)], dtype=np.uint8)


def reverse_bits(data: bytes) -> bytes:
    """Swap the bit order within every byte (MSB first <-> LSB first).

    >>> reverse_bits(bytes([0x01, 0x80, 0x0F]))
    b'\\x80\\x01\\xf0'
    """
    return _REVERSED[np.frombuffer(data, dtype=np.uint8)].tobytes()


def pack_codes(
    words: NDArray[np.uint64], values: Codes, n_bits: NDArray[np.uint8], starts: Codes
) -> None:
    """OR code words into a big-endian bit buffer of 64-bit words, in place.

    To spare memory (fresh pages are a large part of the cost on big pages)
    this works in ``values`` and ``starts``, which it leaves clobbered.

    Args:
        words: the buffer; bit ``s`` is bit ``63 - s % 64`` of ``words[s // 64]``.
        values: code values, right-aligned, each at most 64 bits long.
        n_bits: the length of each code in bits (1..64).
        starts: the bit offset of each code's first bit, strictly increasing.
    """
    if values.size == 0:
        return
    word = (starts >> np.uint64(6)).astype(np.intp)
    offset = np.bitwise_and(starts, np.uint64(63), out=starts)
    shift = np.subtract(np.uint8(64), n_bits, dtype=np.uint8)
    np.left_shift(values, shift, out=values, casting="unsafe")  # left-aligned
    spill = np.flatnonzero(offset.astype(np.uint8) > shift)  # the code runs into the next word
    tail = np.take(values, spill) << (np.uint64(64) - np.take(offset, spill))
    head = np.right_shift(values, offset, out=offset)
    # Codes never share a bit, so adding them is OR-ing them, and numpy's
    # add.at (unlike bitwise_or.at) has a fast path.
    np.add.at(words, word, head)
    words[np.take(word, spill) + 1] |= tail


def words_to_bytes(words: NDArray[np.uint64], n_bits: int) -> bytes:
    """The first ``ceil(n_bits / 8)`` bytes of a big-endian word buffer."""
    return words.astype(">u8").tobytes()[: (n_bits + 7) // 8]


_CHUNK_BYTES = 1 << 16


def windows(data: bytes, pad_bits: int = 0) -> NDArray[np.uint16]:
    """For each bit offset p of ``data`` (MSB first), the 13 bits from p on.

    Bits past the end read as zero. The result has ``8 * len(data) + pad_bits``
    entries (the padding all zero). Computed in chunks, so that the only large
    allocation is the result (2 bytes per bit).

    >>> windows(bytes([0b10000000, 0]))[:2].tolist()
    [4096, 0]
    """
    raw = np.frombuffer(data, dtype=np.uint8)
    out = np.zeros(8 * raw.size + pad_bits, np.uint16)
    padded = np.zeros(raw.size + 3, dtype=np.uint32)
    padded[: raw.size] = raw
    shifts = np.arange(24 - WINDOW_BITS, 24 - WINDOW_BITS - 8, -1, dtype=np.uint32)
    mask = np.uint32((1 << WINDOW_BITS) - 1)
    for first in range(0, raw.size, _CHUNK_BYTES):
        last = min(first + _CHUNK_BYTES, raw.size)
        w24 = padded[first:last] << 16
        w24 |= padded[first + 1 : last + 1] << 8
        w24 |= padded[first + 2 : last + 2]
        win = (w24[:, None] >> shifts[None, :]) & mask
        out[8 * first : 8 * last] = win.reshape(-1)
    return out
