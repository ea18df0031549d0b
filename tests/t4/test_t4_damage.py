"""Corrupt streams: strict decoding names the fault, tolerant decoding conceals it,
and nothing but T4DecodeError ever escapes (seeded fuzz)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from numpy.typing import NDArray

from pyfax import t4
from pyfax.errors import T4DecodeError


def _bits(data: bytes) -> str:
    return "".join(f"{b:08b}" for b in data)


def _bytes(stream: str) -> bytes:
    stream += "0" * (-len(stream) % 8)
    return int(stream, 2).to_bytes(len(stream) // 8, "big") if stream else b""


def _line_starts(stream: str) -> list[int]:
    return [m.start() + 12 for m in re.finditer("(?=000000000001)", stream)]


def _spoil(stream: str, start: int, stop: int) -> str:
    """Overwrite the middle of a coded line with 16 one bits."""
    mid = (start + stop) // 2
    return stream[:mid] + "1" * 16 + stream[mid + 16 :]


def _long_lines(starts: list[int], rows: range) -> list[int]:
    """Rows whose coded data is long enough to spoil without touching an EOL."""
    return [r for r in rows if starts[r + 1] - 12 - starts[r] >= 64]


@pytest.mark.parametrize("pick", [0, 5, -1])
def test_mh_damaged_line_is_concealed_and_reported(text_page: NDArray[np.bool_], pick: int) -> None:
    page = text_page[60:100]
    stream = _bits(t4.encode(page, "MH"))
    starts = _line_starts(stream)
    row = _long_lines(starts, range(1, 40))[pick]
    data = _bytes(_spoil(stream, starts[row], starts[row + 1] - 12))
    report = t4.decode_report(data, 1728, "MH")
    assert report.image.shape == page.shape
    assert report.damaged_lines == (row,)
    assert report.end_of_page
    assert np.array_equal(report.image[row], report.image[row - 1])  # concealed
    keep = np.arange(page.shape[0]) != row
    assert np.array_equal(report.image[keep], page[keep])
    with pytest.raises(T4DecodeError) as info:
        t4.decode(data, 1728, "MH")
    assert info.value.line == row
    assert starts[row] <= info.value.bit_offset <= starts[row + 1]


def test_mr_resyncs_at_the_next_one_d_line(photo_page: NDArray[np.bool_]) -> None:
    page = photo_page[:40]
    stream = _bits(t4.encode(page, "MR", k=4))
    starts = _line_starts(stream)
    row = _long_lines(starts, range(9, 12))[0]  # a 2-D line (tag 0)
    data = _bytes(_spoil(stream, starts[row] + 1, starts[row + 1] - 12))
    report = t4.decode_report(data, 1728, "MR")
    assert report.damaged_lines[0] == row
    assert np.array_equal(report.image[:row], page[:row])
    assert np.array_equal(report.image[12:], page[12:])  # row 12 is 1-D again
    with pytest.raises(T4DecodeError) as info:
        t4.decode(data, 1728, "MR")
    assert info.value.line == row


def test_mmr_damage_stops_decoding_with_the_line_concealed(text_page: NDArray[np.bool_]) -> None:
    page = text_page[60:100]
    data = t4.encode(page, "MMR")
    cut = data[: len(data) // 2]
    report = t4.decode_report(cut, 1728, "MMR")
    n = report.image.shape[0]
    assert report.damaged_lines == (n - 1,)
    assert not report.end_of_page
    assert np.array_equal(report.image[: n - 1], page[: n - 1])
    with pytest.raises(T4DecodeError) as info:
        t4.decode(cut, 1728, "MMR")
    assert info.value.line == n - 1


def test_page_longer_than_max_rows_is_refused() -> None:
    data = b"\xff" * 100  # 800 MMR lines of V0: white under white
    assert t4.decode(data, 64, "MMR", strict=False).shape == (800, 64)
    for strict in (True, False):
        with pytest.raises(T4DecodeError, match="max_rows"):
            t4.decode(data, 64, "MMR", strict=strict, max_rows=100)


def test_garbage_before_the_first_eol() -> None:
    page = np.zeros((3, 64), bool)
    page[1, 5:30] = True
    data = b"\x5a" + t4.encode(page, "MH")
    assert np.array_equal(t4.decode(data, 64, "MH", strict=False), page)
    with pytest.raises(T4DecodeError) as info:
        t4.decode(data, 64, "MH")
    assert info.value.line == 0


def _mutate(data: bytes, rng: np.random.Generator) -> bytes:
    buf = bytearray(data)
    how = rng.integers(6)
    if how == 0 and buf:  # flip a few bits
        for _ in range(rng.integers(1, 6)):
            i = int(rng.integers(len(buf) * 8))
            buf[i // 8] ^= 0x80 >> (i % 8)
    elif how == 1:  # truncate
        del buf[int(rng.integers(len(buf) + 1)) :]
    elif how == 2 and buf:  # overwrite a chunk with random, zero or one bytes
        i = int(rng.integers(len(buf)))
        n = int(rng.integers(1, 12))
        fill = [rng.bytes(n), b"\x00" * n, b"\xff" * n][int(rng.integers(3))]
        buf[i : i + n] = fill
    elif how == 3 and buf:  # delete or insert bytes
        i = int(rng.integers(len(buf)))
        if rng.random() < 0.5:
            del buf[i : i + int(rng.integers(1, 4))]
        else:
            buf[i:i] = rng.bytes(int(rng.integers(1, 4)))
    elif how == 4:  # pure noise
        return rng.bytes(int(rng.integers(0, 200)))
    return bytes(buf)


@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["MH", "MR", "MMR"])
def test_fuzz_only_returns_or_raises_decode_error(
    text_page: NDArray[np.bool_], scheme: str
) -> None:
    rng = np.random.default_rng(20261126)
    width = 256
    bases = []
    for top in (40, 80, 130):
        page = np.ascontiguousarray(text_page[top : top + 24, 60 : 60 + width])
        for align, order in ((False, "msb"), (True, "lsb")):
            bases.append(
                (t4.encode(page, scheme, k=3, byte_align_eol=align, bit_order=order), order)
            )
    outcomes = {"ok": 0, "error": 0, "damaged": 0}
    for case in range(2000):
        base, order = bases[case % len(bases)]
        data = _mutate(base, rng)
        for strict in (True, False):
            try:
                report = t4.decode_report(data, width, scheme, order, strict=strict)
            except T4DecodeError as e:
                assert e.line >= 0 and 0 <= e.bit_offset <= 8 * len(data) + 32
                outcomes["error"] += 1
                continue
            image = report.image
            assert image.dtype == np.bool_ and image.shape[1] == width
            assert image.shape[0] <= 8 * len(data)
            assert 0 <= report.bytes_consumed <= len(data)
            assert all(0 <= d < image.shape[0] for d in report.damaged_lines)
            outcomes["damaged" if report.damaged_lines else "ok"] += 1
    assert min(outcomes.values()) > 50, outcomes  # the mutations reach every path


@pytest.mark.parametrize(("data", "width"), [(b"\x00", 0), (b"\x00", 10**6), ("text", 1728)])
def test_misuse_raises_t4_error(data: object, width: int) -> None:
    from pyfax.errors import T4Error

    with pytest.raises(T4Error):
        t4.decode(data, width, "MH")  # type: ignore[arg-type]
