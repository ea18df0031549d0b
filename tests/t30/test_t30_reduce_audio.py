"""Page reduction over audio: B4, A3 and 300 dpi pages sent by pyfax's Terminal to
receivers that take only A4 and R8 resolutions, pyfax's own and spandsp's
(``fax_state_t`` offers A4 width and R8 resolutions unless told otherwise)."""

from __future__ import annotations

import numpy as np
import pytest
from peers.spandsp_fax import SpandspFax
from t30_audio import run_call, rx_tiff_path
from t30_drawn import assert_reduced, drawn_page

from pyfax import t4
from pyfax.t30 import PaperWidth, Resolution, Terminal, TxPage
from pyfax.t30.params import Modem
from pyfax.t30.terminal import available_modems

ROWS = 150
# (width, resolution of the page) -> (rows, resolution) it arrives with at an A4, R8 receiver
CASES = {
    (PaperWidth.B4, Resolution.FINE): (round(ROWS * 215 / 255), Resolution.FINE),
    (PaperWidth.A3, Resolution.FINE): (round(ROWS * 215 / 303), Resolution.FINE),
    (PaperWidth.A4, Resolution.R300): (round(ROWS * 7.7 * 25.4 / 300), Resolution.FINE),
}


def need_v17() -> None:
    if Modem.V17 not in available_modems([Modem.V17]):
        pytest.skip("pyfax.modem has no v17 yet")


def page_for(width: PaperWidth, res: Resolution) -> np.ndarray:
    return drawn_page(ROWS, width.width_px(res.x_dpi))


def assert_sent_reduced(ours: Terminal, width: PaperWidth, res: Resolution) -> None:
    assert ours.result is not None and ours.result.ok, ours.result
    assert ours.result.resolution is CASES[width, res][1]
    assert any(f"page 1 reduced for the receiver: {width.name} {res.name}" in ln
               for ln in ours.result.trace), ours.result.trace


@pytest.mark.slow
@pytest.mark.parametrize(("width", "res"), list(CASES))
def test_pyfax_receiver_a4_r8_only_gets_reduced_pages(width: PaperWidth, res: Resolution) -> None:
    need_v17()
    original = page_for(width, res)
    ours = Terminal("send", [TxPage(original, res)], ecm=res is not Resolution.R300)
    theirs = Terminal("receive", ecm=True, max_width="A4", resolutions=("standard", "fine"))
    run_call(ours, theirs, limit_s=90)
    assert_sent_reduced(ours, width, res)
    assert theirs.result is not None and theirs.result.ok, theirs.result
    rows, got_res = CASES[width, res]
    assert theirs.received_resolutions == [got_res]
    assert_reduced(theirs.received_pages[0], original, (rows, 1728))


@pytest.mark.slow
@pytest.mark.peer
@pytest.mark.parametrize(("width", "res"), list(CASES))
def test_spandsp_receiver_a4_only_gets_reduced_pages(width: PaperWidth, res: Resolution) -> None:
    need_v17()
    original = page_for(width, res)
    path = rx_tiff_path()
    ours = Terminal("send", [TxPage(original, res)], ecm=width is not PaperWidth.B4)
    theirs = SpandspFax(calling=False, rx_tiff=path, ecm=True)  # A4 and R8 only
    run_call(ours, theirs, limit_s=90)
    assert theirs.done and theirs.completion == 0, theirs.completion_text
    assert_sent_reduced(ours, width, res)
    theirs.close()
    (got,) = t4.read_tiff(path)
    rows, got_res = CASES[width, res]
    assert (round(got.xres_dpi), round(got.yres_dpi)) == got_res.value
    assert_reduced(got.image, original, (rows, 1728))


@pytest.mark.slow
@pytest.mark.peer
def test_spandsp_receiver_r8_only_gets_a_400_dpi_page_at_superfine() -> None:
    need_v17()
    original = page_for(PaperWidth.A4, Resolution.R400)
    path = rx_tiff_path()
    ours = Terminal("send", [TxPage(original, Resolution.R400)], ecm=True)
    theirs = SpandspFax(calling=False, rx_tiff=path, ecm=True)  # A4 and R8 only
    run_call(ours, theirs, limit_s=90)
    assert theirs.done and theirs.completion == 0, theirs.completion_text
    assert ours.result is not None and ours.result.resolution is Resolution.SUPERFINE
    theirs.close()
    (got,) = t4.read_tiff(path)
    assert (round(got.xres_dpi), round(got.yres_dpi)) == Resolution.SUPERFINE.value
    assert_reduced(got.image, original, (round(ROWS * 15.4 * 25.4 / 400), 1728))
