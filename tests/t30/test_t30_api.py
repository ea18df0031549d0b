"""The public surface of pyfax.t30: result codes, page inputs, doctests."""

from __future__ import annotations

import doctest
import importlib
from dataclasses import dataclass

import numpy as np
import pytest

import pyfax.t30 as t30
from pyfax.errors import T30Error
from pyfax.t30 import CallResult, Resolution, ResultCode
from pyfax.t30._pages import TxPages, as_tx_page

MODULES = ["params", "result", "fcf", "dis", "frames", "events", "states", "settings", "_core",
           "_pages", "_scale", "_sender", "_receiver", "session", "_audio_rx", "_audio_tx",
           "terminal"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(f"pyfax.t30.{name}")
    failed, _ = doctest.testmod(module)
    assert failed == 0


def test_every_code_has_text_and_spandsp_names() -> None:
    for code in ResultCode:
        assert code.text and code.spandsp_equivalents
        assert not (code.start_lower and not code.retryable)
    assert not ResultCode.OK.retryable and not ResultCode.INCOMPATIBLE.retryable
    assert ResultCode.TRAINING_FAILED.start_lower and ResultCode.ECM_FAILED.start_lower
    r = CallResult(ResultCode.NO_ANSWER)
    assert not r.ok and "no-answer" in str(r)


@dataclass
class _Stored:  # the shape of pyfax.delivery's StoredPage
    image: np.ndarray
    resolution: tuple[int, int] = (204, 196)


def test_page_inputs() -> None:
    img = np.zeros((10, 1728), dtype=bool)
    assert as_tx_page(img).resolution is Resolution.FINE
    assert as_tx_page(_Stored(img, (204, 98))).resolution is Resolution.STANDARD
    assert as_tx_page(_Stored(img, (204, 391))).resolution is Resolution.SUPERFINE
    assert as_tx_page(_Stored(np.zeros((5, 2592), bool), (300, 300))).resolution is (
        Resolution.R300)
    with pytest.raises(T30Error):
        as_tx_page(_Stored(img, (150, 150)))
    with pytest.raises(T30Error):
        as_tx_page(_Stored(np.zeros((5, 1000), bool)))
    with pytest.raises(T30Error):
        as_tx_page("page")


class _Packed:
    """A page that unpacks a fresh array on every read, and counts the reads."""

    def __init__(self, image: np.ndarray) -> None:
        self._image = image
        self.reads = 0
        self.resolution = Resolution.FINE

    @property
    def image(self) -> np.ndarray:
        self.reads += 1
        return self._image.copy()


def test_pages_are_checked_at_once_but_unpacked_only_when_their_turn_comes() -> None:
    pages = [_Packed(np.eye(8, 1728, k=i, dtype=bool)) for i in range(3)]
    tx = TxPages(pages)
    assert len(tx) == 3 and [p.reads for p in pages] == [1, 1, 1]  # checked, not kept
    second = tx[1]
    assert np.array_equal(second.image, np.eye(8, 1728, k=1, dtype=bool))
    assert [p.reads for p in pages] == [1, 2, 1]
    with pytest.raises(T30Error):
        TxPages([pages[0], _Stored(np.zeros((5, 1000), bool))])


def test_public_names() -> None:
    for name in t30.__all__:
        assert hasattr(t30, name)
