"""Recording length against spandsp's terminal, over audio: spandsp restricted to A4
length (``t30_set_supported_image_sizes``: 215 mm width, A4 length) offers A4 in its
DIS, and our sender cuts a page longer than A4 into A4 pages that spandsp takes. The
other way, spandsp 0.0.6 sends a page longer than our A4 DIS offered whole, under a DCS
saying A4: our receiver keeps it (T.30 makes no protocol error of it) and says so."""

from __future__ import annotations

import numpy as np
import pytest
from peers.spandsp_fax import SpandspFax
from t30_audio import run_call, rx_tiff_path, tiff_of

from pyfax import t4
from pyfax.t30 import Terminal

pytestmark = pytest.mark.peer

SPANDSP_215MM_WIDTH = 0x01
SPANDSP_A4_LENGTH = 0x20000  # spandsp 0.0.6 t30.h: T30_SUPPORT_A4_LENGTH
A4_FINE_ROWS = 2286


def long_page(rows: int, seed: int = 3) -> np.ndarray:
    """A mostly white fine page (short to send) with marks all the way down."""
    rng = np.random.default_rng(seed)
    page = np.zeros((rows, 1728), dtype=bool)
    for r in range(0, rows - 4, 9):
        c = int(rng.integers(0, 1690))
        page[r:r + 3, c:c + int(rng.integers(3, 30))] = True
    return page


@pytest.mark.slow
@pytest.mark.parametrize("ecm", [True, False])
def test_pyfax_cuts_a_long_page_for_an_a4_only_spandsp(ecm: bool) -> None:
    page = long_page(2400)
    path = rx_tiff_path()
    ours = Terminal("send", [page], ecm=ecm, modems=("v17",))
    theirs = SpandspFax(calling=False, rx_tiff=path, ecm=ecm, modems=("v17",), ident="A4ONLY",
                        image_sizes=SPANDSP_215MM_WIDTH | SPANDSP_A4_LENGTH)
    run_call(ours, theirs, limit_s=120)
    done, completion = theirs.done, theirs.completion
    theirs.close()
    r = ours.result
    assert r is not None and r.ok and r.pages == 2, r
    assert any("rx DIS" in ln and "length<=A4" in ln for ln in r.trace), r.trace
    assert any("cut into 2 pages of at most 2286 rows" in ln for ln in r.trace), r.trace
    assert (ours.progress.page, ours.progress.pages) == (2, 2)
    assert done and completion == 0
    got = [p.image for p in t4.read_tiff(path)]
    assert [g.shape[0] for g in got] == [A4_FINE_ROWS, 2400 - A4_FINE_ROWS]
    assert np.array_equal(np.vstack(got), page)


@pytest.mark.slow
def test_spandsp_sends_a_long_page_whole_and_our_a4_receiver_keeps_it() -> None:
    page = long_page(2400, seed=4)
    theirs = SpandspFax(calling=True, tx_tiff=tiff_of([page]), ecm=True, modems=("v17",),
                        ident="SPANDSP")
    ours = Terminal("receive", ecm=True, modems=("v17",), max_length="A4")
    run_call(theirs, ours, limit_s=120)
    done, completion = theirs.done, theirs.completion
    theirs.close()
    r = ours.result
    assert r is not None and r.ok and r.pages == 1, r
    assert any("tx DIS" in ln and "length<=A4" in ln for ln in r.trace), r.trace
    assert any("rx DCS" in ln and "length A4" in ln for ln in r.trace), r.trace
    assert any("page 1 has 2400 rows, longer than the A4 length we offered (2286 rows)"
               in ln for ln in r.trace), r.trace
    assert done and completion == 0
    assert len(ours.received_pages) == 1 and np.array_equal(ours.received_pages[0], page)
