"""Terminal.progress through real pyfax <-> pyfax calls over loopback audio: the
figures move forward only, and end at the pages and octets actually sent."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from t30_audio import BLOCK, pages_equal, sample_pages

from pyfax.t30 import Phase, State, Terminal, TerminalProgress, TxPage
from pyfax.t30._pages import encode_page


def _run(tx: Terminal, rx: Terminal, limit_s: float = 120.0) -> tuple[
        list[TerminalProgress], list[TerminalProgress]]:
    """Run the call block by block, reading both terminals' progress after every step."""
    seen_tx, seen_rx = [tx.progress], [rx.progress]
    a_out = b_out = np.zeros(BLOCK, np.int16)
    for _ in range(int(limit_s * 8000 / BLOCK)):
        a_out, b_out = tx.step(b_out), rx.step(a_out)
        seen_tx.append(tx.progress)
        seen_rx.append(rx.progress)
        if tx.done and rx.done:
            break
    return seen_tx, seen_rx


def _per_page(seen: list[TerminalProgress]) -> dict[int, list[TerminalProgress]]:
    out: dict[int, list[TerminalProgress]] = {}
    for p in seen:
        out.setdefault(p.page, []).append(p)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("ecm", [False, True])
def test_progress_moves_forward_and_ends_at_the_pages_sent(ecm: bool) -> None:
    pages = sample_pages(2, rows=80, seed=21)
    tx = Terminal("send", pages, ecm=ecm, modems=("v29",))
    rx = Terminal("receive", ecm=ecm, modems=("v29",))
    assert tx.phase is Phase.A and tx.progress.phase is Phase.A
    seen_tx, seen_rx = _run(tx, rx)
    assert tx.result is not None and tx.result.ok and rx.result is not None and rx.result.ok
    assert pages_equal(rx.received_pages, pages)

    times = [p.line_time_s for p in seen_tx]
    assert all(b > a for a, b in pairwise(times))
    assert [p.page for p in seen_tx] == sorted(p.page for p in seen_tx)
    assert {p.page for p in seen_tx} == {1, 2} and {p.pages for p in seen_tx} == {2}
    assert {Phase.B, Phase.C, Phase.D, Phase.E} <= {p.phase for p in seen_tx}
    assert seen_tx[-1].phase is Phase.E and tx.state is State.DONE
    dcs = tx.session.progress.dcs
    assert dcs is not None
    for number, snaps in _per_page(seen_tx).items():
        sent = [p.bytes_sent for p in snaps]
        assert sent == sorted(sent), f"page {number}: bytes_sent went back"
        coded = len(encode_page(TxPage(pages[number - 1]), dcs))
        assert snaps[-1].bytes_total == coded and snaps[-1].bytes_sent == coded
        assert len(set(sent)) > 3, "bytes_sent must move during the burst, not jump"
        rated = [p for p in snaps if p.bit_rate is not None]
        assert {(p.bit_rate, p.ecm) for p in rated} == {(tx.result.bit_rate, ecm)}

    rx_pages = [p.page for p in seen_rx]
    assert rx_pages == sorted(rx_pages) and rx_pages[-1] == 2 and seen_rx[-1].pages == 2
    assert all(p.bytes_sent is None and p.bytes_total is None for p in seen_rx)
    assert seen_rx[-1].phase is Phase.E


def test_progress_before_the_call_and_of_a_receiver() -> None:
    tx = Terminal("send", sample_pages(3, rows=16), ecm=False, modems=("v29",))
    p = tx.progress
    assert (p.phase, p.page, p.pages, p.bytes_sent, p.bytes_total, p.bit_rate, p.ecm) == (
        Phase.A, 1, 3, 0, None, None, False)
    tx.step(np.zeros(BLOCK, np.int16))
    assert tx.phase is Phase.B and tx.state is State.T_WAIT_DIS
    rx = Terminal("receive", modems=("v29",))
    rx.step(np.zeros(BLOCK, np.int16))
    assert (rx.progress.page, rx.progress.pages, rx.state) == (0, 0, State.R_ANSWERING)
