"""The coded stream itself: EOL, tag bits, fill, RTC, EOFB, code words (T.4, T.6)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from numpy.typing import NDArray

from pyfax import t4
from pyfax.errors import T4EncodeError, T4Error

EOL = "000000000001"
WHITE_1728 = "010011011" + "00110101"  # make-up 1728, terminating 0 (T.4 Tables 1-2)


def bits(data: bytes) -> str:
    return "".join(f"{b:08b}" for b in data)


def eol_ends(stream: str) -> list[int]:
    """Bit offsets just after each EOL (the 1 after 11 or more zeros)."""
    return [m.start() + 12 for m in re.finditer("(?=00000000000" + "1)", stream)]


def test_mh_white_line_is_eol_makeup_terminating_then_rtc() -> None:
    data = t4.encode(np.zeros((1, 1728), bool), "MH")
    expected = EOL + WHITE_1728 + EOL * 6
    assert bits(data) == expected + "0" * (-len(expected) % 8)


def test_mh_codes_runs_of_each_colour() -> None:
    page = np.zeros((1, 16), bool)
    page[0, 2:5] = True  # white 2, black 3, white 11
    assert bits(t4.encode(page, "MH")).startswith(EOL + "0111" + "10" + "01000" + EOL)


def test_extended_makeup_codes_for_wide_lines() -> None:
    page = np.zeros((1, 5200), bool)  # 5200 = 2560 + 2560 + 64 + 16
    expected = EOL + "000000011111" * 2 + "11011" + "101010" + EOL
    assert bits(t4.encode(page, "MH")).startswith(expected)


@pytest.mark.parametrize("k", [1, 2, 4, 7])
def test_mr_tags_every_kth_line_one_d(text_page: NDArray[np.bool_], k: int) -> None:
    page = text_page[:30]
    stream = bits(t4.encode(page, "MR", k=k))
    ends = eol_ends(stream)
    assert len(ends) == page.shape[0] + 6
    tags = [int(stream[e]) for e in ends]
    assert tags[:-6] == [int(r % k == 0) for r in range(page.shape[0])]
    assert tags[-6:] == [1] * 6  # T.4 clause 4.2.4: RTC is six EOL+1


def test_every_line_follows_an_eol(mixed_page: NDArray[np.bool_]) -> None:
    stream = bits(t4.encode(mixed_page, "MH"))
    assert stream.startswith(EOL)
    assert len(eol_ends(stream)) == mixed_page.shape[0] + 6
    assert stream.rstrip("0").endswith((EOL) * 6)


@pytest.mark.parametrize("scheme", ["MH", "MR"])
def test_byte_aligned_eols_end_on_byte_boundaries(
    text_page: NDArray[np.bool_], scheme: str
) -> None:
    stream = bits(t4.encode(text_page[:40], scheme, byte_align_eol=True))
    ends = eol_ends(stream)
    assert len(ends) == 40 + 6
    assert all(e % 8 == 0 for e in ends)


@pytest.mark.parametrize("scheme", ["MH", "MR"])
def test_min_bits_per_line_pads_short_lines(text_page: NDArray[np.bool_], scheme: str) -> None:
    page = text_page[:40]
    plain = eol_ends(bits(t4.encode(page, scheme)))
    padded = eol_ends(bits(t4.encode(page, scheme, min_bits_per_line=700)))
    assert min(np.diff(plain)[:40]) < 700
    assert all(d >= 700 for d in np.diff(padded)[:40])  # data + fill + EOL per line
    assert np.array_equal(
        t4.decode(t4.encode(page, scheme, min_bits_per_line=700), 1728, scheme), page
    )


def test_mmr_has_no_eol_and_ends_with_eofb(text_page: NDArray[np.bool_]) -> None:
    stream = bits(t4.encode(text_page[:60], "MMR"))
    assert stream.rstrip("0").endswith(EOL + EOL)
    assert len(eol_ends(stream)) == 2
    assert len(stream) - len(stream.rstrip("0").removesuffix(EOL + EOL)) < 24 + 8


def test_mmr_codes_modes_against_the_line_above() -> None:
    page = np.zeros((3, 1728), bool)
    page[1, 10:20] = True
    # row 0: V0; row 1: H(white 10, black 10), V0; row 2: pass, V0; then EOFB.
    expected = "1" + "001" + "00111" + "0000100" + "1" + "0001" + "1" + EOL + EOL
    assert bits(t4.encode(page, "MMR")) == expected + "0" * (-len(expected) % 8)


def test_lsb_order_reverses_each_byte(text_page: NDArray[np.bool_]) -> None:
    msb = t4.encode(text_page[:20], "MR")
    lsb = t4.encode(text_page[:20], "MR", bit_order="lsb")
    assert [int(f"{b:08b}"[::-1], 2) for b in msb] == list(lsb)


def test_decode_stops_at_rtc_and_ignores_what_follows(text_page: NDArray[np.bool_]) -> None:
    page = text_page[:25]
    for scheme in ("MH", "MR", "MMR"):
        data = t4.encode(page, scheme)
        report = t4.decode_report(data + b"\xff\x13\x00garbage", 1728, scheme)
        assert np.array_equal(report.image, page)
        assert report.bytes_consumed == len(data)
        assert report.end_of_page and report.damaged_lines == ()


def test_rtc_with_zero_tag_bits_is_accepted() -> None:
    page = np.zeros((2, 1728), bool)
    stream = bits(t4.encode(page, "MR"))
    zero_tag_rtc = stream.rstrip("0").removesuffix((EOL + "1") * 6) + (EOL + "0") * 6
    zero_tag_rtc += "0" * (-len(zero_tag_rtc) % 8)
    data = int(zero_tag_rtc, 2).to_bytes(len(zero_tag_rtc) // 8, "big")
    report = t4.decode_report(data, 1728, "MR", strict=True)
    assert report.end_of_page and np.array_equal(report.image, page)


def test_stream_without_rtc_decodes_and_says_so(text_page: NDArray[np.bool_]) -> None:
    page = text_page[:10]
    stream = bits(t4.encode(page, "MH")).rstrip("0").removesuffix(EOL * 6)
    stream += "0" * (-len(stream) % 8)
    data = int(stream, 2).to_bytes(len(stream) // 8, "big")
    report = t4.decode_report(data, 1728, "MH", strict=True)
    assert np.array_equal(report.image, page) and not report.end_of_page


def test_empty_page_is_just_rtc_or_eofb() -> None:
    empty = np.zeros((0, 1728), bool)
    assert bits(t4.encode(empty, "MH")).rstrip("0") == (EOL * 6).rstrip("0")
    for scheme in ("MH", "MR", "MMR"):
        assert t4.decode(t4.encode(empty, scheme), 1728, scheme).shape == (0, 1728)


@pytest.mark.parametrize(
    "image",
    [np.zeros(8, bool), np.zeros((2, 2, 2), bool), [[True]], np.array([["a"]]), np.zeros((3, 0))],
)
def test_bad_images_raise_encode_error(image: object) -> None:
    with pytest.raises(T4EncodeError):
        t4.encode(image, "MH")  # type: ignore[arg-type]


def test_bad_options_raise_encode_error() -> None:
    page = np.zeros((2, 8), bool)
    with pytest.raises(T4EncodeError):
        t4.encode(page, "MR", k=0)
    with pytest.raises(T4EncodeError):
        t4.encode(page, "MH", min_bits_per_line=-1)
    with pytest.raises(T4EncodeError):
        t4.encode(page, "MR", k=2.5)  # type: ignore[arg-type]
    with pytest.raises(T4Error):
        t4.encode(page, "G5")


@pytest.mark.parametrize("scheme", ["MH", "MR"])
def test_min_bits_pads_the_last_line_before_rtc(scheme: str) -> None:
    page = np.zeros((1, 2432), bool)
    page[0, -3:] = True  # a short line; its fill goes before RTC's first EOL
    data = t4.encode(page, scheme, min_bits_per_line=1000)
    ends = eol_ends(bits(data))
    assert ends[1] - ends[0] >= 1000
    assert np.array_equal(t4.decode(data, 2432, scheme), page)
