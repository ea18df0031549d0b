"""pyfax.t4.geometry: the T.4 §2 resolutions and scan-line widths, shared by compose and t30."""

from __future__ import annotations

import doctest

import pytest

import pyfax.compose
import pyfax.t30
import pyfax.t30.params
from pyfax.t4 import geometry
from pyfax.t4.geometry import PaperWidth, Resolution

# T.4 §2.2 scan-line lengths in picture elements, written out as the Recommendation gives them.
WIDTHS_PX = {
    (PaperWidth.A4, 204): 1728, (PaperWidth.B4, 204): 2048, (PaperWidth.A3, 204): 2432,
    (PaperWidth.A4, 300): 2592, (PaperWidth.B4, 300): 3072, (PaperWidth.A3, 300): 3648,
    (PaperWidth.A4, 400): 3456, (PaperWidth.B4, 400): 4096, (PaperWidth.A3, 400): 4864,
}


def test_one_type_everywhere() -> None:
    assert pyfax.compose.Resolution is pyfax.t30.Resolution is Resolution
    assert pyfax.t30.params.Resolution is Resolution
    assert pyfax.t30.PaperWidth is PaperWidth


def test_resolution_values() -> None:
    assert [(r.name, r.x_dpi, r.y_dpi) for r in Resolution] == [
        ("STANDARD", 204, 98), ("FINE", 204, 196), ("SUPERFINE", 204, 391),
        ("R300", 300, 300), ("R400", 400, 400)]
    assert [r.a4_width_px for r in Resolution] == [1728, 1728, 1728, 2592, 3456]


@pytest.mark.parametrize(("text", "expected"), [
    ("fine", Resolution.FINE), (" Standard ", Resolution.STANDARD), ("normal", Resolution.STANDARD),
    ("superfine", Resolution.SUPERFINE), ("ultra-fine", Resolution.SUPERFINE),
    ("r300", Resolution.R300), ("300x300", Resolution.R300), ("300", Resolution.R300),
    ("R400", Resolution.R400), ("400X400", Resolution.R400),
    (Resolution.FINE, Resolution.FINE),
])
def test_parse(text: Resolution | str, expected: Resolution) -> None:
    assert Resolution.parse(text) is expected


@pytest.mark.parametrize("text", ["ultra", "", "200x100", "fine!"])
def test_parse_rejects_unknown_names(text: str) -> None:
    names = r"\(use one of standard, fine, superfine, r300, r400\)"
    with pytest.raises(ValueError, match=r"unknown resolution .* " + names):
        Resolution.parse(text)


@pytest.mark.parametrize(("width", "x_dpi"), list(WIDTHS_PX))
def test_widths_and_back(width: PaperWidth, x_dpi: int) -> None:
    width_px = WIDTHS_PX[(width, x_dpi)]
    assert width.width_px(x_dpi) == width_px
    assert PaperWidth.from_px(width_px, x_dpi) is width


def test_physical_widths_agree_with_the_pixel_counts() -> None:
    assert [w.width_mm for w in PaperWidth] == [215.0, 255.0, 303.0]
    for (width, x_dpi), width_px in WIDTHS_PX.items():
        # The pixel counts are nominal: within 2.5 % of width_mm at x_dpi.
        assert abs(width_px - width.width_mm / 25.4 * x_dpi) / width_px < 0.025


def test_bad_widths_and_dpi_are_value_errors() -> None:
    with pytest.raises(ValueError, match=r"1727 pixels is no T\.4 width at 204 dpi"):
        PaperWidth.from_px(1727, 204)
    with pytest.raises(ValueError, match=r"200 dpi is no T\.4 horizontal resolution"):
        PaperWidth.A4.width_px(200)
    with pytest.raises(ValueError, match=r"no T\.4 horizontal resolution"):
        PaperWidth.from_px(1728, 203)


def test_compose_and_t30_widths_come_from_here() -> None:
    for paper in pyfax.compose.Paper:
        for res in Resolution:
            assert pyfax.compose.page_width_px(paper, res) == paper.scan_width.width_px(res.x_dpi)
    assert pyfax.compose.Paper.LETTER.scan_width is PaperWidth.A4


def test_docstring_examples() -> None:
    result = doctest.testmod(geometry, verbose=False)
    assert result.attempted >= 6 and result.failed == 0
