"""spandsp gives an ECM block up against our receiver (T.30 §A.4.3-A.4.4): the start of
every data burst spandsp sends is muted as soon as our receiver has trained on it, so
the FCD frame never arrives and we answer each PPS with PPR.

What spandsp 0.0.6 does (observed, and asserted here): after 4 PPRs it sends CTC naming
the rate it already uses (V.29 9600: no step down, which T.30 §A.1.3 leaves to the
transmitter), we answer CTR; after 4 more PPRs it
sends EOR with the page's post-message command (EOP), we answer ERR, and it hangs up
(DCN), ending its own side "Disconnected after permitted retries". Our receiver ends
``ECM_FAILED`` with the page kept, well inside T1/T2/T4."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from peers.spandsp_fax import SpandspFax
from t30_audio import run_call, sample_pages, tiff_of

from pyfax.errors import TiffError
from pyfax.t30 import ResultCode, Terminal

pytestmark = pytest.mark.peer

ECM_RX_STATES = ("R_PAGE", "R_ECM_BLOCK")


class MuteTheirData:
    """Silence the caller's audio for ``length_s`` after each fast-modem training our
    receiver reports (a "fast modem: FastTrained" trace line) while it takes ECM data."""

    def __init__(self, ours: Terminal, length_s: float = 0.3) -> None:
        self.ours, self.n_mute = ours, round(length_s * 8000)
        self._lines_seen = 0
        self._left = 0
        self.bursts_hit = 0

    def __call__(self, x: np.ndarray, direction: int) -> np.ndarray:
        if direction != 0:
            return x
        trace = self.ours.session.trace
        new, self._lines_seen = trace[self._lines_seen:], len(trace)
        if (self.ours.state.name in ECM_RX_STATES
                and any("FastTrained" in ln for ln in new)):
            self._left = self.n_mute
            self.bursts_hit += 1
        if self._left <= 0:
            return x
        self._left -= len(x)
        return np.zeros_like(x)


@pytest.mark.slow
def test_spandsp_gives_a_block_up_with_eor_and_our_receiver_answers_err(
        tmp_path: Path) -> None:
    theirs = SpandspFax(calling=True, tx_tiff=tiff_of(sample_pages(1, rows=40, seed=4)),
                        ecm=True, modems=("v29",), ident="SPANDSP", log_level=5)
    ours = Terminal("receive", ecm=True, modems=("v29",))
    fault = MuteTheirData(ours)
    line_s = run_call(theirs, ours, channel=fault, limit_s=150)
    done, completion, text = theirs.done, theirs.completion, theirs.completion_text
    spandsp_log = list(theirs.log)
    theirs.close()
    r = ours.result
    assert r is not None, "no result"
    trace = r.trace
    # 1 + 3 bursts at 9600, CTC, 4 more at the same rate (spandsp's CTC does not step down)
    assert fault.bursts_hit == 8, trace
    assert sum("tx PPR" in ln for ln in trace) == 8, trace
    ctc = [ln for ln in trace if "rx CTC" in ln]
    assert len(ctc) == 1 and "v29/9600" in ctc[0], trace
    assert sum("tx CTR" in ln for ln in trace) == 1
    eor = [ln for ln in trace if "rx EOR" in ln]
    assert len(eor) == 1 and "post=EOP" in eor[0], trace
    assert any("EOR: block given up with 1 frame(s) missing" in ln for ln in trace), trace
    assert any("tx ERR" in ln for ln in trace) and any("rx DCN" in ln for ln in trace), trace
    assert r.code is ResultCode.ECM_FAILED and r.pages == 1 and r.bit_rate == 9600, r
    assert r.line_time_s < 60.0 and line_s < 60.0  # no timer ran out (T1 alone is 35 s)
    # the page holds nothing (its only block was given up): kept, but no TIFF page
    assert [p.shape for p in ours.received_pages] == [(0, 1728)]
    with pytest.raises(TiffError, match="at least one page"):
        ours.write_tiff(tmp_path / "rx.tif")
    # spandsp's side of the same exchange
    assert sum("Tx:  CTC" in ln for ln in spandsp_log) == 1
    assert sum("Tx:  EOR" in ln for ln in spandsp_log) == 1
    assert sum("Rx:  ERR" in ln for ln in spandsp_log) == 1
    # spandsp ends its side T30_ERR_RETRYDCN, 48 in 0.0.6's t30_api.h numbering
    assert done and text == "Disconnected after permitted retries", (completion, text)
