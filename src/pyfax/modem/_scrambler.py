"""Self-synchronising scramblers of V.29, V.17 and V.27ter.

What it implements:
    * 1 + x^-18 + x^-23, the scrambler of V.29 §4 and V.17 §7 (also V.33).
    * 1 + x^-6 + x^-7 with the guard against repeating patterns, the scrambler
      of V.27ter §3 (Figure 1/V.27ter).

How it works:
    A self-synchronising scrambler divides the data by the generator
    polynomial: ``out[n] = in[n] ^ out[n-a] ^ out[n-b]``; the descrambler
    multiplies it back: ``in[n] = out[n] ^ out[n-a] ^ out[n-b]``. The
    descrambler needs only line bits, so it is one vectorised expression over
    the block and its history. The scrambler has feedback, but since its taps
    are at least ``a`` bits back, ``a`` output bits at a time depend only on
    earlier outputs: it runs on blocks of ``a`` bits (18 for V.29/V.17).

    V.27ter adds a guard: a counter counts the bits whose line value equals
    the line bit 8, 9 or 12 places earlier (patterns with periods 1, 2, 3, 4,
    6, 8, 9 and 12); a bit that differs from all three resets it. When the
    count reaches 33, the next scrambler output is inverted and the counter
    restarts. The descrambler keeps the same counter on the line bits and
    inverts the same bit back. The counter makes this one a bit loop.

The state (the last line bits, the guard counter) lasts between calls, so a
stream may be cut anywhere.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pyfax.modem.base import Bits

__all__ = ["Descrambler", "Scrambler", "ScramblerPoly"]


@dataclass(frozen=True, slots=True)
class _PolySpec:
    taps: tuple[int, int]
    guard: bool


class ScramblerPoly(enum.Enum):
    """The generator polynomials used by the fax modems."""

    V29_V17 = _PolySpec(taps=(18, 23), guard=False)
    """1 + x^-18 + x^-23 (V.29 §4, V.17 §7)."""
    V27TER = _PolySpec(taps=(6, 7), guard=True)
    """1 + x^-6 + x^-7 with the repeating-pattern guard (V.27ter §3)."""


_GUARD_LIMIT = 33
_HISTORY = 23  # enough line bits for every polynomial and the guard


@functools.cache
def _v27ter_nibble_table() -> list[int]:
    """For 12 line bits of history and a data nibble (first bit = bit 3):
    line nibble | new history << 4 | (1 + index of the last reset, or 0) << 16."""
    reg = np.repeat(np.arange(4096, dtype=np.int64), 16)
    nib = np.tile(np.arange(16, dtype=np.int64), 4096)
    out = np.zeros_like(reg)
    last = np.zeros_like(reg)
    for i in range(4):
        v = (((nib >> (3 - i)) & 1) ^ (reg >> 5) ^ (reg >> 6)) & 1
        g = ((reg >> 7) ^ v) & ((reg >> 8) ^ v) & ((reg >> 11) ^ v) & 1
        last = np.where(g == 1, i + 1, last)
        out = (out << 1) | v
        reg = ((reg << 1) | v) & 0xFFF
    table: list[int] = (out | (reg << 4) | (last << 16)).tolist()
    return table


class _Base:
    def __init__(self, poly: ScramblerPoly, register: int = 0) -> None:
        self.poly = poly
        self._a, self._b = poly.value.taps
        # history[-k] is the line bit k places back.
        self._history = np.array(
            [(register >> k) & 1 for k in range(_HISTORY - 1, -1, -1)], dtype=np.uint8
        )
        self._guard_count = 0

    @property
    def register(self) -> int:
        """The last 23 line bits as an int, bit k = the line bit k+1 places back."""
        return int(sum(int(b) << k for k, b in enumerate(self._history[::-1])))


class Scrambler(_Base):
    """A streaming scrambler: data bits in, line bits out.

    Args:
        poly: the generator polynomial.
        register: initial line-bit history, bit k = the bit k+1 places back.

    >>> s = Scrambler(ScramblerPoly.V29_V17)
    >>> s.process(np.ones(20, np.uint8)).tolist()[:20]
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]
    """

    def process(self, bits: Bits) -> Bits:
        """Scramble ``bits`` (0/1 in line order); returns the same number of line bits."""
        bits = np.asarray(bits, dtype=np.uint8)
        if self.poly.value.guard:
            whole = len(bits) - len(bits) % 4
            head = self._guarded_nibbles(bits[:whole]) if whole else bits[:0]
            return np.concatenate([head, self._guarded(bits[whole:])])
        return self._words(bits)

    def _guarded(self, bits: Bits) -> Bits:
        """The V.27ter scrambler bit by bit, with the guard (the tail of a
        block that is not a whole number of nibbles).

        ``reg`` bit ``k`` is the line bit ``k+1`` places back.
        """
        sa, sb = self._a - 1, self._b - 1
        reg = self.register
        count = self._guard_count
        out = bytearray(len(bits))
        for i, bit in enumerate(bits.tolist()):
            value = (bit ^ (reg >> sa) ^ (reg >> sb)) & 1
            if count >= _GUARD_LIMIT:
                value ^= 1
                count = 0
            elif ((reg >> 7) ^ value) & ((reg >> 8) ^ value) & ((reg >> 11) ^ value) & 1:
                count = 0
            else:
                count += 1
            out[i] = value
            reg = ((reg << 1) | value) & 0x7FFFFF
        self._guard_count = count
        self._history = np.array([(reg >> k) & 1 for k in range(_HISTORY - 1, -1, -1)],
                                 dtype=np.uint8)
        return np.frombuffer(bytes(out), dtype=np.uint8).copy()

    def _guarded_nibbles(self, bits: Bits) -> Bits:
        """The V.27ter scrambler four bits at a time, from a table.

        While the guard counter is below 29 it cannot reach 33 inside a
        nibble, so no bit is inverted there and the table (indexed by the
        last 12 line bits and the nibble) gives the four line bits, the new
        history, and where the last counter reset fell. Otherwise the nibble
        goes bit by bit.
        """
        table = _v27ter_nibble_table()
        nibbles = (bits.reshape(-1, 4).astype(np.int64) @ np.array([8, 4, 2, 1])).tolist()
        reg = self.register & 0xFFF
        count = self._guard_count
        out = []
        for nib in nibbles:
            if count < _GUARD_LIMIT - 4:
                e = table[(reg << 4) | nib]
                reg = (e >> 4) & 0xFFF
                last = e >> 16
                count = 4 - last if last else count + 4
                out.append(e & 15)
                continue
            o = 0
            for shift in (3, 2, 1, 0):
                v = (((nib >> shift) & 1) ^ (reg >> 5) ^ (reg >> 6)) & 1
                if count >= _GUARD_LIMIT:
                    v ^= 1
                    count = 0
                elif ((reg >> 7) ^ v) & ((reg >> 8) ^ v) & ((reg >> 11) ^ v) & 1:
                    count = 0
                else:
                    count += 1
                reg = ((reg << 1) | v) & 0xFFF
                o = (o << 1) | v
            out.append(o)
        line: Bits = ((np.array(out, dtype=np.int64)[:, None] >> np.array([3, 2, 1, 0])) & 1
                      ).astype(np.uint8).reshape(-1)
        self._guard_count = count
        self._history = np.concatenate([self._history, line])[-_HISTORY:]
        return line

    def _words(self, bits: Bits) -> Bits:
        """1 + x^-a + x^-b, a bits at a time, each block a Python int.

        With ``H`` holding the last ``b`` line bits (bit ``b-1-k`` = the bit
        ``k+1`` places back, so the oldest is bit 0), the next ``a`` line bits
        are ``in ^ (H >> (b-a)) ^ (H & mask)``: the taps ``a`` and ``b``
        places back of a block's bit ``i`` sit at bits ``i + b - a`` and ``i``.
        """
        a, b = self._a, self._b
        n = len(bits)
        if n == 0:
            return np.zeros(0, np.uint8)
        pad = (-n) % a
        blocks = np.concatenate([bits, np.zeros(pad, np.uint8)]).reshape(-1, a)
        weights = np.left_shift(1, np.arange(a, dtype=np.int64))
        words = (blocks.astype(np.int64) @ weights).tolist()
        hist = int(self._history[-b:].astype(np.int64) @ np.left_shift(
            1, np.arange(b, dtype=np.int64)))
        mask = (1 << a) - 1
        shift = b - a
        out = []
        for w in words:
            o = w ^ (hist >> shift) ^ (hist & mask)
            hist = (hist >> a) | (o << shift)
            out.append(o)
        line = ((np.array(out, dtype=np.int64)[:, None] >> np.arange(a)) & 1).astype(
            np.uint8).reshape(-1)[:n]
        self._history = np.concatenate([self._history, line])[-_HISTORY:]
        return line


class Descrambler(_Base):
    """A streaming descrambler: line bits in, data bits out (self-synchronising).

    Args:
        poly: the generator polynomial.
        register: initial line-bit history, bit k = the bit k+1 places back.
    """

    def process(self, bits: Bits) -> Bits:
        """Descramble ``bits`` (line bits in order); returns the data bits."""
        bits = np.asarray(bits, dtype=np.uint8)
        a, b = self._a, self._b
        h = _HISTORY
        line = np.concatenate([self._history, bits])
        out: Bits = bits ^ line[h - a:len(line) - a] ^ line[h - b:len(line) - b]
        if self.poly.value.guard and len(bits):
            out[self._guard_inversions(line)] ^= 1
        self._history = line[-h:].copy()
        return out

    def _guard_inversions(self, line: Bits) -> NDArray[np.int64]:
        """Positions (in the new bits) that the V.27ter guard inverted.

        At the receiver the guard sees only line bits, so it vectorises: a
        bit that differs from the bits 8, 9 and 12 places back resets the
        counter; after 33 bits without a reset the next bit is inverted,
        which also resets it. Only gaps of 34 bits or more between resets
        hold inversions, and they are few.
        """
        h = _HISTORY
        x = line[h:]
        n = len(x)
        reset = ((line[h - 8:h - 8 + n] ^ x) & (line[h - 9:h - 9 + n] ^ x)
                 & (line[h - 12:h - 12 + n] ^ x)).astype(bool)
        z = np.flatnonzero(reset)
        starts = np.concatenate([[-1 - self._guard_count], z])
        ends = np.concatenate([z, [n]])
        inversions: list[int] = []
        last = int(starts[-1])
        for i in np.flatnonzero(ends - starts >= _GUARD_LIMIT + 1).tolist():
            q, r = int(starts[i]), int(ends[i])
            stop = r + 1 if i < len(z) else r  # a reset bit may itself be inverted
            inversions.extend(range(q + _GUARD_LIMIT + 1, stop, _GUARD_LIMIT + 1))
        if inversions and inversions[-1] > last:
            last = inversions[-1]
        self._guard_count = n - 1 - last
        return np.array(inversions, dtype=np.int64)
