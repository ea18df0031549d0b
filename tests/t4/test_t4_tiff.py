"""TIFF Class F writing and any-TIFF reading (pyfax.t4.write_tiff / read_tiff)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from peers import libtiff, missing
from PIL import Image

from pyfax import t4
from pyfax.errors import TiffError


@pytest.fixture(scope="module")
def three_pages(
    text_page: NDArray[np.bool_], mixed_page: NDArray[np.bool_], photo_page: NDArray[np.bool_]
) -> list[NDArray[np.bool_]]:
    return [text_page, mixed_page, photo_page]


@pytest.mark.peer
@pytest.mark.parametrize(
    ("scheme", "compression", "options"), [("MH", 3, 0), ("MR", 3, 1), ("MMR", 4, None)]
)
def test_libtiff_reads_every_page_and_tag(
    three_pages: list[NDArray[np.bool_]],
    tmp_path: Path,
    scheme: str,
    compression: int,
    options: int | None,
) -> None:
    path = tmp_path / "fax.tif"
    t4.write_tiff(path, three_pages, scheme=scheme, xres_dpi=204, yres_dpi=98)
    pages = libtiff.read_file(str(path))
    assert len(pages) == 3
    for page, want in zip(pages, three_pages, strict=True):
        assert np.array_equal(page["image"], want)
        assert page["compression"] == compression
        assert page["photometric"] == 0 and page["fillorder"] == 1 and page["resunit"] == 2
        assert (page["xres"], page["yres"]) == (204, 98)
        assert page.get("t4options") == options


def test_pillow_sees_class_f_tags(three_pages: list[NDArray[np.bool_]]) -> None:
    buf = io.BytesIO()
    pages = [t4.TiffPage(p, 204.0, 196.0) for p in three_pages[:2]]
    t4.write_tiff(buf, pages, scheme="MR")
    with Image.open(io.BytesIO(buf.getvalue())) as im:
        assert im.n_frames == 2
        for n in range(2):
            im.seek(n)
            tags = im.tag_v2
            assert tags[254] == 2  # NewSubfileType: page
            assert tags[297] == (n, 2)  # PageNumber
            assert tags[259] == 3 and tags[292] == 1 and tags[266] == 1 and tags[262] == 0
            assert im.info["dpi"] == (204.0, 196.0)


@pytest.mark.parametrize("scheme", ["MH", "MR", "MMR"])
def test_write_then_read_round_trips_pages_and_resolution(
    three_pages: list[NDArray[np.bool_]], tmp_path: Path, scheme: str
) -> None:
    path = tmp_path / "fax.tif"
    pages = [
        t4.TiffPage(p, 204.0, r) for p, r in zip(three_pages, (98.0, 196.0, 391.0), strict=True)
    ]
    t4.write_tiff(path, pages, scheme=scheme)
    back = t4.read_tiff(path)
    assert [(p.xres_dpi, p.yres_dpi) for p in back] == [
        (204.0, 98.0),
        (204.0, 196.0),
        (204.0, 391.0),
    ]
    for got, want in zip(back, three_pages, strict=True):
        assert np.array_equal(got.image, want)
    assert [p.image.shape for p in t4.read_tiff(path.read_bytes())] == [
        p.shape for p in three_pages
    ]


@pytest.mark.peer
def test_tiffinfo_accepts_the_file(three_pages: list[NDArray[np.bool_]], tmp_path: Path) -> None:
    path = tmp_path / "fax.tif"
    t4.write_tiff(path, three_pages[0], scheme="MMR")
    tiffinfo = shutil.which("tiffinfo")
    if tiffinfo is None:
        missing("tiffinfo not found (apt-get install libtiff-tools)")
    out = subprocess.run(
        [str(tiffinfo), "-D", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "CCITT Group 4" in out.stdout
    assert "Error" not in out.stderr and "Warning" not in out.stderr


def test_read_any_tiff_greyscale_lzw_and_cm_resolution(tmp_path: Path) -> None:
    grey = np.tile(np.linspace(0, 255, 200, dtype=np.uint8), (50, 1))
    path = tmp_path / "grey.tif"
    Image.fromarray(grey).save(path, compression="tiff_lzw", dpi=(300, 300))
    (page,) = t4.read_tiff(path)
    assert page.image.shape == (50, 200) and page.image.dtype == np.bool_
    assert page.image[:, :20].mean() > 0.8 and page.image[:, -20:].mean() < 0.2  # dithered
    assert (round(page.xres_dpi), round(page.yres_dpi)) == (300, 300)


def test_read_without_resolution_assumes_fax_fine(tmp_path: Path) -> None:
    path = tmp_path / "nores.tif"
    Image.new("1", (64, 10), 1).save(path)
    (page,) = t4.read_tiff(path)
    assert not page.image.any()
    assert (page.xres_dpi, page.yres_dpi) == (204.0, 196.0)


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("blob", [b"", b"not a tiff at all", b"II*\x00\xff\xff\xff\xff"])
def test_unreadable_files_raise_tiff_error(blob: bytes) -> None:
    with pytest.raises(TiffError):
        t4.read_tiff(blob)


def test_bad_pages_raise_tiff_error(tmp_path: Path) -> None:
    with pytest.raises(TiffError):
        t4.write_tiff(tmp_path / "a.tif", [])
    with pytest.raises(TiffError):
        t4.write_tiff(tmp_path / "b.tif", [np.zeros((0, 1728), bool)])
    with pytest.raises(TiffError):
        t4.write_tiff(tmp_path / "c.tif", [np.zeros((2, 8), bool)], xres_dpi=0)
