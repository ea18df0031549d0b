"""The header line: band position, content, page numbers, time, switching it off."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from pyfax.compose import HeaderLine, Resolution, compose
from pyfax.compose._geometry import Frame, Paper
from pyfax.compose._header import render_header
from pyfax.compose._layout import Measurer

NOW = dt.datetime(2026, 11, 26, 9, 30)
LONG = "\n\n".join(f"Paragraph {i}. " + "word " * 120 for i in range(12))


def band_rows(resolution: Resolution, band_mm: float = 5.0) -> int:
    return round(band_mm / 25.4 * resolution.y_dpi)


@pytest.mark.parametrize("resolution", [Resolution.STANDARD, Resolution.FINE, Resolution.R300])
def test_band_has_ink_and_is_what_a_rerender_draws(resolution: Resolution) -> None:
    header = HeaderLine("ACME Ltd", "+32 2 123 45 67")
    doc = compose(LONG, header_line=header, now=NOW, resolution=resolution)
    n = len(doc.pages)
    assert n >= 2
    rows = band_rows(resolution)
    frame = Frame.make(Paper.A4, resolution, 5.0)
    for i, page in enumerate(doc.pages):
        band = page.image[:rows]
        assert band.any()
        expected = render_header(header, header.texts(NOW, i + 1, n), frame, Measurer())
        assert np.array_equal(band, expected)
        # the rows between the band and the text's top margin are white
        assert not page.image[rows:round(14 / 25.4 * resolution.y_dpi)].any()


def test_fields_sit_left_centre_right_and_page_numbers_differ() -> None:
    doc = compose(LONG, header_line=HeaderLine("ACME", "+3222"), now=NOW)
    rows = band_rows(Resolution.FINE)
    a, b = doc.pages[0].image[:rows], doc.pages[1].image[:rows]
    cols = np.flatnonzero(a.any(axis=0))
    assert cols[0] < 1728 * 0.1 and cols[-1] > 1728 * 0.9
    assert a[:, 700:1030].any()  # centre field
    diff = np.flatnonzero((a ^ b).any(axis=0))
    assert diff.size and diff.min() > 1728 * 0.8  # only "page n/N" changes


def test_time_comes_from_now() -> None:
    rows = band_rows(Resolution.FINE)
    one = compose("x", now=NOW).pages[0].image[:rows]
    two = compose("x", now=NOW + dt.timedelta(hours=3)).pages[0].image[:rows]
    diff = np.flatnonzero((one ^ two).any(axis=0))
    assert diff.size and diff.max() < 1728 * 0.3  # only the left (date time) field
    assert HeaderLine().texts(NOW, 1, 2) == ("2026-11-26 09:30", "", "page 1/2")


def test_header_off_and_custom_templates() -> None:
    rows = band_rows(Resolution.FINE)
    assert not compose("x", header=False).pages[0].image[:rows].any()
    custom = HeaderLine("Z", left="{sender_name}", center="", right="{page}",
                        date_format="%d.%m.%Y")
    assert custom.texts(NOW, 3, 4) == ("Z", "", "3")
    with pytest.raises(ValueError, match="bad header template"):
        HeaderLine(left="{nope}")
    with pytest.raises(ValueError):
        HeaderLine(band_mm=50)


def test_sender_is_the_default_header_name() -> None:
    rows = band_rows(Resolution.FINE)
    named = compose("x", sender="Alice", now=NOW).pages[0].image[:rows]
    anon = compose("x", now=NOW).pages[0].image[:rows]
    assert not np.array_equal(named, anon)
