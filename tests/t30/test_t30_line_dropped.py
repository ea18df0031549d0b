"""A backend that says the far end hung up (Terminal.line_dropped, the LineDropped event).

The call then ends within LINE_DROP_GRACE_S of line time with a definite result:
LINE_DROPPED while pages were still owed, and the call's own result when only a
DCN was left (the last page confirmed). The grace lets the last frame the far end
sent be heard.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from t30_audio import pages_equal, sample_pages

from pyfax.t30 import ResultCode, Session, Settings, State, Terminal
from pyfax.t30.events import Cancel, LineDropped
from pyfax.t30.states import Phase
from pyfax.t30.terminal import LINE_DROP_GRACE_S

BLOCK = 160
SILENCE = np.zeros(BLOCK, np.int16)


def _pair(n_pages: int = 2) -> tuple[Terminal, Terminal, list[np.ndarray]]:
    pages = sample_pages(n_pages, rows=80, seed=5)
    return (Terminal("send", pages, ecm=False, modems=("v29",)),
            Terminal("receive", ecm=False, modems=("v29",)), pages)


def _run_until(tx: Terminal, rx: Terminal, stop: Callable[[], bool]) -> None:
    a = b = SILENCE
    for _ in range(int(120 * 8000 / BLOCK)):
        if stop():
            return
        a, b = tx.step(b), rx.step(a)
    raise AssertionError("the call never got there")


def _hang_up_on(term: Terminal) -> float:
    """Line time from the hang-up to the end, with line_dropped() called at every block."""
    t0 = term.now_s
    for _ in range(int(10 * 8000 / BLOCK)):
        term.line_dropped()
        term.step(SILENCE)
        if term.done:
            return term.now_s - t0
    raise AssertionError("the terminal did not end after the line dropped")


def test_sender_mid_document_ends_at_once_with_line_dropped() -> None:
    tx, rx, _ = _pair(2)
    _run_until(tx, rx, lambda: tx.phase is Phase.C)  # page data on the line
    took_s = _hang_up_on(tx)
    assert took_s <= LINE_DROP_GRACE_S + BLOCK / 8000  # not T4 x 3 into a dead line
    r = tx.result
    assert r is not None and r.code is ResultCode.LINE_DROPPED and r.code.retryable
    assert "hung up in phase C" in r.text and "0 page(s) confirmed" in r.text
    assert any("far end hung up" in line for line in r.trace)


def test_receiver_told_after_the_last_mcf_keeps_every_page() -> None:
    tx, rx, pages = _pair(2)
    _run_until(tx, rx, lambda: rx.session.state is State.R_WAIT_DCN)  # EOP confirmed
    _hang_up_on(rx)  # the sender hung up without its DCN
    assert rx.result is not None and rx.result.ok, rx.result
    assert pages_equal(rx.received_pages, pages)


def test_sender_whose_last_page_was_confirmed_is_delivered() -> None:
    tx, rx, _ = _pair(1)
    _run_until(tx, rx, lambda: tx.session.state is State.DCN_SENT)  # MCF after EOP heard
    _hang_up_on(tx)  # the receiver hung up before our DCN went out
    assert tx.result is not None and tx.result.ok and tx.result.pages == 1


@pytest.mark.parametrize("calling", [True, False])
def test_session_takes_line_dropped_in_any_state(calling: bool) -> None:
    s = Session(Settings(calling=calling), sample_pages(1, rows=20) if calling else [])
    s.start(0.0)
    s.handle(LineDropped(), 1.0)
    assert s.result is not None and s.result.code is ResultCode.LINE_DROPPED
    assert "phase A" in s.result.text or "phase B" in s.result.text
    cancelled = Session(Settings(calling=calling), sample_pages(1, rows=20) if calling else [])
    cancelled.start(0.0)
    cancelled.handle(Cancel(), 1.0)  # our DCN is on its way: its result stands
    cancelled.handle(LineDropped(), 1.5)
    assert cancelled.result is not None and cancelled.result.code is ResultCode.CANCELLED
