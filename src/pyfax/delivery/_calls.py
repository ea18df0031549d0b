"""One fax call: dial, run the T.30 terminal over the line, return the outcome.

This is where the delivery layer joins a telephony backend to the T.30
terminal, as spandsp's ``fax.c`` joins its modems to ``t30.c``: the terminal
turns each received block of int16 audio into a block to send, and the call
carries it. Line progress (busy, no answer) ends the attempt before T.30
starts. A line time cap guards against a terminal that never finishes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from pyfax.delivery._pages import StoredPage
from pyfax.lines.base import (
    BLOCK_N_SAMPLES,
    Backend,
    Call,
    CallProgress,
    Speaker,
    exchange_block,
)
from pyfax.modem.base import SAMPLE_RATE_HZ

__all__ = ["CallOutcome", "CallWatch", "run_call"]

MAX_LINE_TIME_S = 3600.0


@dataclass(frozen=True)
class CallOutcome:
    """What one attempt achieved, in the terms the delivery layer needs."""

    code: str
    text: str
    retryable: bool
    start_lower: bool = False
    lower_ecm: bool = False
    pages: int = 0
    line_time_s: float = 0.0
    bit_rate: int = 0
    ecm: bool = False
    remote_csi: str = ""

    @property
    def delivered(self) -> bool:
        """True only when the receiver confirmed the last page (MCF after EOP)."""
        return self.code == "OK"


@dataclass(frozen=True)
class CallWatch:
    """A snapshot of a running call, for progress displays."""

    e164: str
    attempt: int
    line_time_s: float
    n_pages: int
    terminal: Any
    call: Any = None


class _Terminal(Speaker, Protocol):
    @property
    def done(self) -> bool: ...

    @property
    def result(self) -> Any: ...


_PROGRESS_OUTCOMES = {
    CallProgress.BUSY: CallOutcome("BUSY", "the line was busy", retryable=True),
    CallProgress.NO_ANSWER: CallOutcome("NO_ANSWER", "nobody answered the call",
                                        retryable=True),
    CallProgress.FAILED: CallOutcome("LINE_FAILED", "the call could not be placed",
                                     retryable=True),
}


def make_terminal(pages: Sequence[StoredPage], *, ident: str, ecm: bool,
                  modems: Sequence[str]) -> _Terminal:
    """A sending T.30 terminal for these pages."""
    from pyfax.t30 import Terminal

    terminal: _Terminal = Terminal(role="send", pages=list(pages), ident=ident, ecm=ecm,
                                   modems=tuple(modems))
    return terminal


def outcome_of(result: Any) -> CallOutcome:
    """Translate a T.30 ``CallResult`` into a delivery outcome."""
    code = result.code
    return CallOutcome(
        code="OK" if result.ok else code.name, text=result.text or code.text,
        retryable=bool(code.retryable), start_lower=bool(code.start_lower),
        lower_ecm=code.name == "ECM_FAILED", pages=int(result.pages),
        line_time_s=float(result.line_time_s), bit_rate=int(result.bit_rate or 0),
        ecm=bool(result.ecm), remote_csi=str(result.remote_ident))


def run_call(backend: Backend, e164: str, new_terminal: Callable[[], _Terminal], *,
             on_block: Callable[[_Terminal, Call, float], None] | None = None,
             max_line_time_s: float = MAX_LINE_TIME_S) -> CallOutcome:
    """Dial ``e164`` and run ``terminal`` over the call until it finishes.

    Args:
        backend: the telephony backend.
        e164: the number to dial.
        new_terminal: makes the sending terminal once the call is answered.
        on_block: called with the terminal, the call and the line time (s), every second.
        max_line_time_s: the call is abandoned past this much line time.
    """
    call = backend.dial(e164)
    if call.progress is not CallProgress.ANSWERED:
        call.hang_up()
        return _PROGRESS_OUTCOMES.get(call.progress, CallOutcome(
            "LINE_FAILED", f"dialling ended {call.progress.value}", retryable=True))
    terminal = new_terminal()
    rx = np.zeros(BLOCK_N_SAMPLES, dtype=np.int16)
    n_samples = 0
    next_tick = SAMPLE_RATE_HZ
    try:
        while not terminal.done:
            rx = exchange_block(terminal, call, rx)
            n_samples += len(rx)
            if on_block is not None and n_samples >= next_tick:
                next_tick += SAMPLE_RATE_HZ
                on_block(terminal, call, n_samples / SAMPLE_RATE_HZ)
            if n_samples > max_line_time_s * SAMPLE_RATE_HZ:
                return CallOutcome("LINE_TIME_EXCEEDED",
                                   f"the call ran past {max_line_time_s:.0f} s of line time",
                                   retryable=True, line_time_s=n_samples / SAMPLE_RATE_HZ)
    finally:
        call.hang_up()
    return outcome_of(terminal.result)
