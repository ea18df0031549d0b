"""Page dimensions per resolution and paper (T.4 §2.2), and the locale's default paper."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pyfax.compose import (
    Paper,
    Resolution,
    compose,
    page_height_px,
    page_width_px,
    paper_for_locale,
)

# T.4 §2.2 scan-line lengths.
WIDTHS = {
    (204, "a4"): 1728, (204, "b4"): 2048, (204, "a3"): 2432,
    (300, "a4"): 2592, (300, "b4"): 3072, (300, "a3"): 3648,
    (400, "a4"): 3456, (400, "b4"): 4096, (400, "a3"): 4864,
}


@pytest.mark.parametrize("resolution", list(Resolution))
@pytest.mark.parametrize("paper", list(Paper))
def test_scan_line_and_page_length(resolution: Resolution, paper: Paper) -> None:
    cls = "a4" if paper is Paper.LETTER else paper.name.lower()
    assert page_width_px(paper, resolution) == WIDTHS[(resolution.x_dpi, cls)]
    length_in = {"A4": 297 / 25.4, "LETTER": 11.0, "B4": 353 / 25.4, "A3": 420 / 25.4}[paper.name]
    assert abs(page_height_px(paper, resolution) - length_in * resolution.y_dpi) <= 0.5


def test_resolution_values() -> None:
    assert [(r.x_dpi, r.y_dpi) for r in Resolution] == [
        (204, 98), (204, 196), (204, 391), (300, 300), (400, 400)]
    assert Resolution.parse("300x300") is Resolution.R300
    with pytest.raises(ValueError, match="unknown resolution"):
        Resolution.parse("ultra")
    with pytest.raises(ValueError, match="unknown paper"):
        Paper.parse("a5")


@pytest.mark.parametrize("resolution", list(Resolution))
def test_composed_pages_have_the_frame_size(resolution: Resolution) -> None:
    doc = compose("Hello", resolution=resolution)
    page = doc.pages[0]
    assert page.resolution is resolution and doc.resolution is resolution
    assert page.image.dtype == bool
    assert page.image.shape == (page_height_px(Paper.A4, resolution),
                                page_width_px(Paper.A4, resolution))


@pytest.mark.parametrize("paper", ["letter", "b4", "a3"])
def test_composed_pages_per_paper(paper: str, inputs: SimpleNamespace) -> None:
    doc = compose("Hello", [("p.png", inputs.encode(inputs.photo(60, 40)))], paper=paper,
                  resolution="standard")
    expect = (page_height_px(Paper.parse(paper), Resolution.STANDARD),
              page_width_px(Paper.parse(paper), Resolution.STANDARD))
    assert [p.image.shape for p in doc.pages] == [expect, expect]
    assert all(p.paper is Paper.parse(paper) for p in doc.pages)


def test_letter_is_sent_on_the_a4_width() -> None:
    doc = compose("Hi", paper="letter")
    assert doc.pages[0].image.shape == (2156, 1728)


@pytest.mark.parametrize(("locale", "paper"), [
    ("en_US.UTF-8", Paper.LETTER), ("fr_CA", Paper.LETTER), ("es-MX", Paper.LETTER),
    ("US", Paper.LETTER), ("nl_BE", Paper.A4), ("de_DE@euro", Paper.A4), ("en_GB", Paper.A4),
    (None, Paper.A4), ("", Paper.A4)])
def test_paper_for_locale(locale: str | None, paper: Paper) -> None:
    assert paper_for_locale(locale) is paper


def test_locale_sets_the_default_but_not_an_explicit_paper() -> None:
    assert compose("x", locale="en_US").paper is Paper.LETTER
    assert compose("x", locale="en_US", paper="a4").paper is Paper.A4
    assert compose("x").paper is Paper.A4
