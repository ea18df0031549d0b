"""Scramblers of V.29/V.17 (1 + x^-18 + x^-23) and V.27ter (1 + x^-6 + x^-7, guarded)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from pyfax.modem._scrambler import Descrambler, Scrambler, ScramblerPoly


def _reference_scramble(bits: list[int], poly: ScramblerPoly, reg: int = 0) -> list[int]:
    """Bit-by-bit, straight from the Recommendations' figures (register bit 0 = newest)."""
    a, b = poly.value.taps
    count = 0
    out = []
    for bit in bits:
        o = (bit ^ (reg >> (a - 1)) ^ (reg >> (b - 1))) & 1
        if poly.value.guard:
            if count >= 33:
                o ^= 1
                count = 0
            elif ((reg >> 7) ^ o) & ((reg >> 8) ^ o) & ((reg >> 11) ^ o) & 1:
                count = 0
            else:
                count += 1
        reg = ((reg << 1) | o) & 0xFFFFFF
        out.append(o)
    return out


@pytest.mark.parametrize("poly", list(ScramblerPoly))
def test_scrambler_matches_bitwise_reference(poly: ScramblerPoly) -> None:
    rng = np.random.default_rng(1)
    bits = rng.integers(0, 2, 3000, dtype=np.uint8)
    bits[1000:1400] = 0  # long runs exercise the V.27ter guard
    bits[2000:2400] = 1
    got = Scrambler(poly, register=0x3C).process(bits)
    assert got.tolist() == _reference_scramble(bits.tolist(), poly, reg=0x3C)


def _reference_descramble(line: list[int], poly: ScramblerPoly, reg: int = 0) -> list[int]:
    a, b = poly.value.taps
    count = 0
    out = []
    for bit in line:
        o = (bit ^ (reg >> (a - 1)) ^ (reg >> (b - 1))) & 1
        if poly.value.guard:
            if count >= 33:
                o ^= 1
                count = 0
            elif ((reg >> 7) ^ bit) & ((reg >> 8) ^ bit) & ((reg >> 11) ^ bit) & 1:
                count = 0
            else:
                count += 1
        reg = ((reg << 1) | bit) & 0xFFFFFF
        out.append(o)
    return out


def _patterned(rng: np.random.Generator) -> np.ndarray:
    parts = []
    for _ in range(20):  # random bits mixed with periodic patterns that trip the guard
        kind = rng.integers(0, 3)
        n = int(rng.integers(1, 300))
        if kind == 0:
            parts.append(rng.integers(0, 2, n, dtype=np.uint8))
        else:
            period = rng.integers(1, 13, endpoint=True)
            parts.append(np.resize(rng.integers(0, 2, period, dtype=np.uint8), n))
    return np.concatenate(parts)


@pytest.mark.parametrize("poly", list(ScramblerPoly))
@pytest.mark.parametrize("seed", range(5))
def test_scrambler_matches_reference_on_patterns(poly: ScramblerPoly, seed: int) -> None:
    rng = np.random.default_rng(50 + seed)
    bits = _patterned(rng)
    expected = _reference_scramble(bits.tolist(), poly, reg=0x1F3)
    s = Scrambler(poly, register=0x1F3)
    cuts = np.sort(rng.integers(0, len(bits), 6))
    got = np.concatenate([s.process(p) for p in np.split(bits, cuts)])
    assert got.tolist() == expected


@pytest.mark.parametrize("poly", list(ScramblerPoly))
@pytest.mark.parametrize("seed", range(5))
def test_descrambler_matches_bitwise_reference(poly: ScramblerPoly, seed: int) -> None:
    rng = np.random.default_rng(seed)
    line = _patterned(rng)
    expected = _reference_descramble(line.tolist(), poly, reg=0x2A5)
    d = Descrambler(poly, register=0x2A5)
    cuts = np.sort(rng.integers(0, len(line), 6))
    got = np.concatenate([d.process(p) for p in np.split(line, cuts)])
    assert got.tolist() == expected


@pytest.mark.parametrize("poly", list(ScramblerPoly))
def test_round_trip_any_cut(poly: ScramblerPoly) -> None:
    rng = np.random.default_rng(2)
    bits = rng.integers(0, 2, 5000, dtype=np.uint8)
    bits[100:600] = 1
    line = Scrambler(poly).process(bits)
    d = Descrambler(poly)
    cuts = [0, 1, 2, 19, 37, 500, 1234, 4000, 5000]
    out = np.concatenate([d.process(line[i:j]) for i, j in itertools.pairwise(cuts)])
    assert np.array_equal(out, bits)


@pytest.mark.parametrize("poly", list(ScramblerPoly))
def test_scrambler_block_size_independent(poly: ScramblerPoly) -> None:
    rng = np.random.default_rng(3)
    bits = rng.integers(0, 2, 2000, dtype=np.uint8)
    whole = Scrambler(poly).process(bits)
    s = Scrambler(poly)
    pieces = np.concatenate([s.process(bits[i:i + 7]) for i in range(0, 2000, 7)])
    assert np.array_equal(whole, pieces)


def test_descrambler_self_synchronises() -> None:
    rng = np.random.default_rng(4)
    bits = rng.integers(0, 2, 500, dtype=np.uint8)
    line = Scrambler(ScramblerPoly.V29_V17, register=0x5A5A5).process(bits)
    out = Descrambler(ScramblerPoly.V29_V17).process(line)
    assert not np.array_equal(out[:23], bits[:23])
    assert np.array_equal(out[23:], bits[23:])


def test_v29_scrambled_ones_follow_the_polynomial() -> None:
    # From an all-zero register, ones in: the first 18 line bits are ones, then
    # out[18] = 1 ^ out[0] = 0 (V.29 §4: 1 + x^-18 + x^-23).
    line = Scrambler(ScramblerPoly.V29_V17).process(np.ones(23, np.uint8))
    assert line.tolist() == [1] * 18 + [0] * 5


def test_v27ter_guard_breaks_an_all_zero_line() -> None:
    # Without the guard, zeros into an all-zero register stay zero forever;
    # V.27ter §3 inverts the output after 33 bits of a repeating pattern.
    line = Scrambler(ScramblerPoly.V27TER).process(np.zeros(200, np.uint8))
    assert line[:33].tolist() == [0] * 33
    assert line[33] == 1
    back = Descrambler(ScramblerPoly.V27TER).process(line)
    assert not back.any()


def test_register_property_reports_history() -> None:
    s = Scrambler(ScramblerPoly.V29_V17)
    s.process(np.array([1, 0, 1], np.uint8))
    assert s.register == 0b101
