"""pyfax gives an ECM block up against spandsp's terminal (T.30 §A.4.4): every data
burst of ours is garbled after its training, so spandsp asks again and again (PPR);
after 4 PPRs we continue lower (CTC, answered CTR), after 4 more we send EOR with
the page's PPS type, and spandsp answers ERR."""

from __future__ import annotations

import numpy as np
import pytest
from peers.spandsp_fax import SpandspFax
from t30_audio import run_call, rx_tiff_path, sample_pages

from pyfax.modem import channel as ch
from pyfax.t30 import ResultCode, Terminal

pytestmark = pytest.mark.peer


class GarbleOurData:
    """Strong noise over the caller's page data from ``after_s`` into each burst."""

    def __init__(self, ours: Terminal, after_s: float = 0.5) -> None:
        self.ours, self.after_n = ours, round(after_s * 8000)
        self._rng = np.random.default_rng(17)
        self._n = 0
        self.bursts_hit = 0

    def __call__(self, x: np.ndarray, direction: int) -> np.ndarray:
        if direction != 0:
            return x
        if not self.ours._tx.sending_data:
            self._n = 0
            return x
        self._n += len(x)
        if self._n <= self.after_n:
            return x
        if self._n - len(x) <= self.after_n:
            self.bursts_hit += 1
        return ch.awgn(x, None, self._rng, noise_dbm0=-6.0)


@pytest.mark.slow
def test_spandsp_answers_our_eor_with_err() -> None:
    ours = Terminal("send", sample_pages(1, rows=40, seed=4), ecm=True, modems=("v29",))
    theirs = SpandspFax(calling=False, rx_tiff=rx_tiff_path(), ecm=True, modems=("v29",),
                        ident="SPANDSP")
    fault = GarbleOurData(ours)
    run_call(ours, theirs, channel=fault, limit_s=150)
    theirs.close()
    r = ours.result
    assert r is not None, "no result"
    trace = r.trace
    assert fault.bursts_hit == 8  # the block, 3 resends at 9600, 4 at 7200
    assert sum("rx PPR" in ln for ln in trace) == 8, trace
    assert any("tx CTC" in ln for ln in trace) and any("rx CTR" in ln for ln in trace)
    eor = [ln for ln in trace if "tx EOR" in ln]
    assert len(eor) == 1 and "EOP" in eor[0]
    assert any("rx ERR" in ln for ln in trace), trace
    assert r.code is ResultCode.ECM_FAILED and r.bit_rate == 7200, r
    assert theirs.done
    # progress counts every FCD octet sent for the page, retransmissions included
    prog = ours.progress
    assert prog.bytes_total is not None and prog.bytes_total <= 256  # one frame
    assert (prog.page, prog.pages, prog.bytes_sent) == (1, 1, 8 * prog.bytes_total)
