"""Round trips through pyfax.t4: random pages (hypothesis), text, graphics, photos."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from pyfax import t4

SCHEMES = ["MH", "MR", "MMR"]


@st.composite
def pages(draw: st.DrawFn) -> NDArray[np.bool_]:
    """Random pages: noise, runs of every length, solid and empty rows."""
    width = draw(st.sampled_from([8, 16, 64, 72, 1728, 2048, 2432, 2592, 3456, 5200, 13]))
    rows = draw(st.integers(0, 12))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    kind = draw(st.sampled_from(["noise", "runs", "solid"]))
    if kind == "noise":
        return rng.random((rows, width)) < draw(st.floats(0.0, 1.0))
    if kind == "solid":
        page = np.zeros((rows, width), bool)
        page[rng.random(rows) < 0.5] = True
        return page
    # Long random runs: exercises make-up and extended make-up codes.
    lengths = rng.geometric(1 / draw(st.sampled_from([3, 40, 700, 3000])), size=rows * width)
    flat = np.repeat(np.arange(lengths.size) % 2 == 1, lengths)[: rows * width]
    flat = np.pad(flat, (0, rows * width - flat.size))
    return flat.reshape(rows, width)


@settings(max_examples=60, deadline=None)
@given(
    page=pages(),
    scheme=st.sampled_from(SCHEMES),
    k=st.integers(1, 5),
    align=st.booleans(),
    min_bits=st.sampled_from([0, 96, 1000]),
    order=st.sampled_from(["msb", "lsb"]),
)
def test_random_pages_round_trip(
    page: NDArray[np.bool_], scheme: str, k: int, align: bool, min_bits: int, order: str
) -> None:
    data = t4.encode(
        page, scheme, k=k, byte_align_eol=align, min_bits_per_line=min_bits, bit_order=order
    )
    back = t4.decode(data, page.shape[1], scheme, bit_order=order)
    assert back.shape == page.shape
    assert np.array_equal(back, page)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("kind", ["text_page", "mixed_page", "photo_page"])
def test_real_pages_round_trip(kind: str, scheme: str, request: pytest.FixtureRequest) -> None:
    page = request.getfixturevalue(kind)
    data = t4.encode(page, scheme, k=4)
    assert np.array_equal(t4.decode(data, page.shape[1], scheme), page)
    report = t4.decode_report(data, page.shape[1], scheme)
    assert report.damaged_lines == ()
    assert report.end_of_page
    assert report.bytes_consumed == len(data)


@settings(max_examples=20, deadline=None)
@given(
    top=st.integers(0, 250),
    rows=st.integers(1, 40),
    kind=st.sampled_from(["text", "photo"]),
    scheme=st.sampled_from(SCHEMES),
    order=st.sampled_from(["msb", "lsb"]),
)
def test_bands_of_text_and_photo_round_trip(
    text_page: NDArray[np.bool_],
    photo_page: NDArray[np.bool_],
    top: int,
    rows: int,
    kind: str,
    scheme: str,
    order: str,
) -> None:
    page = (text_page if kind == "text" else photo_page)[top : top + rows]
    data = t4.encode(page, scheme, k=2, bit_order=order)
    assert np.array_equal(t4.decode(data, page.shape[1], scheme, bit_order=order), page)


def test_scheme_enum_and_strings_are_aliases(text_page: NDArray[np.bool_]) -> None:
    band = text_page[:50]
    assert t4.encode(band, t4.Scheme.MR, k=3) == t4.encode(band, "mr", k=3)
    assert t4.encode(band, t4.Scheme.MMR, bit_order=t4.BitOrder.LSB) == t4.encode(
        band, "MMR", bit_order="lsb"
    )


def test_non_bool_pages_are_accepted_as_non_zero_black() -> None:
    page = np.zeros((3, 64), np.uint8)
    page[1, 3:9] = 255
    assert np.array_equal(t4.decode(t4.encode(page), 64), page != 0)


@settings(max_examples=25, deadline=None)
@given(
    page=pages(),
    scheme=st.sampled_from(SCHEMES),
    align=st.booleans(),
    min_bits=st.sampled_from([0, 200, 1000]),
    band_runs=st.integers(1, 300),
)
def test_coding_in_bands_changes_nothing(
    page: NDArray[np.bool_], scheme: str, align: bool, min_bits: int, band_runs: int
) -> None:
    import pyfax.t4._encode as encoder

    whole = t4.encode(page, scheme, k=3, byte_align_eol=align, min_bits_per_line=min_bits)
    saved = encoder.BAND_RUNS, encoder.WHOLE_PAGE_RUNS
    encoder.BAND_RUNS, encoder.WHOLE_PAGE_RUNS = band_runs, 0  # many small bands
    try:
        banded = t4.encode(page, scheme, k=3, byte_align_eol=align, min_bits_per_line=min_bits)
    finally:
        encoder.BAND_RUNS, encoder.WHOLE_PAGE_RUNS = saved
    assert banded == whole


@pytest.mark.parametrize("width", [1728, 9000])
def test_mh_rows_starting_black_open_with_white_0(width: int) -> None:
    """A row that starts black is white 0 then its black run (T.4 clause 4.1.1),
    also where that black run's code (past 7680 pixels: 61 bits) leaves no
    room for white 0 in the same 64-bit word."""
    page = np.zeros((3, width), bool)
    page[0, : width - 5] = True
    page[1, 0] = True
    page[2, :] = True
    data = t4.encode(page, "MH")
    assert np.array_equal(t4.decode(data, width, "MH"), page)
    first_bits = format(int.from_bytes(data[:3], "big"), "024b")
    assert first_bits[:20] == "000000000001" + "00110101"  # EOL, white 0
