"""Interop with libtiff, both ways: the system libtiff.so.6 through ctypes, and fax2tiff.

Where pyfax's stream differs from libtiff's for the same options (the
streams are otherwise identical, bit for bit; the tests below prove it):

1. RTC. pyfax ends every MH/MR page with RTC (six EOLs, each followed by tag
   bit 1 in MR), as T.4 clause 4.1.4 / 4.2.4 requires of a transmitted page.
   libtiff 4.5, writing a strip through TIFFWriteScanline, writes no RTC at
   all (TIFF Class F leaves it out). Older libtiff wrote RTC with tag bit 0
   when the row count was not a multiple of K; T.4 says tag 1. pyfax's decoder
   accepts RTC with either tag, and a stream without RTC (end_of_page False).
2. K. libtiff derives MR's K from YResolution (4 above 150 dpi, else 2),
   which is what T.4 clause 4.2.1 recommends for standard and fine; pyfax
   takes K as a parameter (any K >= 1, as T.4 allows), and write_tiff picks
   it the same way libtiff does.
3. Byte-aligned EOLs (T4Options bit 2). Identical for every line's EOL;
   libtiff's RTC (when it writes one) is not aligned, pyfax aligns RTC's EOLs
   too, since TIFF 6.0 says every EOL ends on a byte boundary.
4. MMR: identical, EOFB included.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from peers import libtiff, tool

from pyfax import t4

pytestmark = pytest.mark.peer

EOL = "000000000001"
PAGES = ["text_page", "mixed_page", "photo_page"]


def _bits(data: bytes) -> str:
    return "".join(f"{b:08b}" for b in data)


def _without_rtc(data: bytes, scheme: str) -> str:
    """The stream without its RTC (and fill), and without trailing zeros."""
    eol = EOL + ("1" if scheme == "MR" else "")
    stream = _bits(data).rstrip("0")
    for _ in range(6):
        assert stream.endswith(eol)
        stream = stream.removesuffix(eol).rstrip("0")
    return stream


@pytest.mark.parametrize("scheme", ["MH", "MR", "MMR"])
@pytest.mark.parametrize("kind", PAGES)
def test_pages_libtiff_encodes_decode_pixel_for_pixel(
    kind: str, scheme: str, request: pytest.FixtureRequest
) -> None:
    page: NDArray[np.bool_] = request.getfixturevalue(kind)
    data = libtiff.encode(page, scheme)
    report = t4.decode_report(data, page.shape[1], scheme, strict=True)
    assert np.array_equal(report.image, page)
    assert report.end_of_page == (scheme == "MMR")  # libtiff 4.5 writes EOFB but no RTC


@pytest.mark.parametrize("scheme", ["MH", "MR", "MMR"])
@pytest.mark.parametrize("kind", PAGES)
def test_pages_pyfax_encodes_decode_pixel_for_pixel_in_libtiff(
    kind: str, scheme: str, request: pytest.FixtureRequest
) -> None:
    page: NDArray[np.bool_] = request.getfixturevalue(kind)
    data = t4.encode(page, scheme, k=3, byte_align_eol=scheme == "MR")
    assert np.array_equal(libtiff.decode(data, page.shape[1], page.shape[0], scheme), page)


@pytest.mark.parametrize(
    ("scheme", "yres_dpi", "k"), [("MH", 196, 1), ("MR", 196, 4), ("MR", 98, 2)]
)
@pytest.mark.parametrize("align", [False, True])
def test_streams_match_libtiff_bit_for_bit_but_for_rtc(
    mixed_page: NDArray[np.bool_], scheme: str, yres_dpi: float, k: int, align: bool
) -> None:
    page = mixed_page[:61]  # not a multiple of K
    ours = t4.encode(page, scheme, k=k, byte_align_eol=align)
    theirs = libtiff.encode(page, scheme, byte_align=align, yres_dpi=yres_dpi)
    assert _without_rtc(ours, scheme) == _bits(theirs).rstrip("0")


def test_mmr_streams_match_libtiff_exactly(text_page: NDArray[np.bool_]) -> None:
    page = text_page[:77]
    assert t4.encode(page, "MMR") == libtiff.encode(page, "MMR")


@pytest.mark.parametrize("width", [2048, 2432, 2592, 3456, 5200])
@pytest.mark.parametrize("scheme", ["MH", "MR", "MMR"])
def test_wide_pages_both_ways(photo_page: NDArray[np.bool_], width: int, scheme: str) -> None:
    page = np.tile(photo_page[:20], (1, 4))[:, :width]
    page[3] = False
    page[4] = True  # runs longer than 2560: extended make-up codes
    data = libtiff.encode(page, scheme)
    assert np.array_equal(t4.decode(data, width, scheme), page)
    ours = t4.encode(page, scheme, k=4)
    assert np.array_equal(libtiff.decode(ours, width, page.shape[0], scheme), page)


@pytest.mark.parametrize(
    ("scheme", "flags"), [("MH", ["-3", "-1"]), ("MR", ["-3", "-2"]), ("MMR", ["-4"])]
)
@pytest.mark.parametrize("order", ["msb", "lsb"])
def test_fax2tiff_reads_pyfax_streams(
    mixed_page: NDArray[np.bool_], scheme: str, flags: list[str], order: str, tmp_path: Path
) -> None:
    page = mixed_page[:90]
    raw = tmp_path / "page.raw"
    raw.write_bytes(t4.encode(page, scheme, k=4, bit_order=order))
    out = tmp_path / "page.tif"
    order_flag = "-M" if order == "msb" else "-L"
    subprocess.run(
        [tool("fax2tiff"), *flags, order_flag, "-X", "1728", "-o", str(out), str(raw)],
        check=True,
        capture_output=True,
    )
    (read,) = t4.read_tiff(out)
    assert np.array_equal(read.image[: page.shape[0]], page)
    assert not read.image[page.shape[0] :].any()  # fax2tiff may add white rows


def _pass_mode_page() -> NDArray[np.bool_]:
    """Fine stripes over blank lines: long strings of pass modes, and every vertical mode."""
    page = np.zeros((24, 1728), bool)
    page[0::4, 1::2] = True  # 864 one-pixel black runs: hundreds of passes below
    page[1::4, 100:1700:7] = True
    for shift in range(-3, 4):  # edges moved by -3..3 pixels: VL3..VR3
        page[2::4, 200 + 40 * (shift + 3) + shift : 230 + 40 * (shift + 3)] = True
    return page


@pytest.mark.parametrize("scheme", ["MR", "MMR"])
def test_pass_modes_match_libtiff(scheme: str) -> None:
    page = _pass_mode_page()
    ours = t4.encode(page, scheme, k=4)
    theirs = libtiff.encode(page, scheme)
    expected = _bits(theirs).rstrip("0")
    got = _without_rtc(ours, scheme) if scheme == "MR" else _bits(ours).rstrip("0")
    assert got == expected
    assert np.array_equal(t4.decode(theirs, 1728, scheme), page)
