"""Receiving faxes: answer a call with a pyfax receiver, or replay a recording.

:func:`answer` runs a receiving T.30 terminal over any answered
:class:`~pyfax.lines.base.Call` until the call ends. :func:`replay` feeds one
direction of a recorded call (see :mod:`pyfax.lines.wav`) into a fresh
receiver, as ``pyfax decode-call`` does, to see what a receiver makes of it:
its T.30 trace and the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pyfax.lines.base import BLOCK_N_SAMPLES, Call, exchange_block
from pyfax.modem.base import SAMPLE_RATE_HZ, Samples

__all__ = ["Received", "answer", "replay"]

_TAIL_S = 10.0  # silence fed after a recording ends, to let timers settle


@dataclass(frozen=True)
class Received:
    """What a receiver got: its result (None if it never finished) and pages."""

    result: Any
    pages: list[NDArray[np.bool_]]
    line_time_s: float


def _receiver(ident: str, ecm: bool) -> Any:
    from pyfax.t30 import Terminal

    return Terminal(role="receive", ident=ident, ecm=ecm)


def answer(call: Call, *, ident: str = "", ecm: bool = True,
           max_line_time_s: float = 3600.0) -> Received:
    """Receive on an answered call until the T.30 call ends or the cap is hit."""
    terminal = _receiver(ident, ecm)
    heard = np.zeros(BLOCK_N_SAMPLES, dtype=np.int16)
    n = 0
    while not terminal.done and n < max_line_time_s * SAMPLE_RATE_HZ:
        heard = exchange_block(terminal, call, heard)
        n += len(heard)
    call.hang_up()
    return Received(terminal.result, list(terminal.received_pages), n / SAMPLE_RATE_HZ)


def replay(audio: Samples, *, ident: str = "", ecm: bool = True) -> Received:
    """Feed recorded audio (one direction of a call) to a fresh receiver."""
    terminal = _receiver(ident, ecm)
    padded = np.concatenate([np.asarray(audio, dtype=np.int16),
                             np.zeros(int(_TAIL_S * SAMPLE_RATE_HZ), dtype=np.int16)])
    n = 0
    for start in range(0, len(padded), BLOCK_N_SAMPLES):
        if terminal.done:
            break
        block = padded[start:start + BLOCK_N_SAMPLES]
        terminal.step(block)
        n += len(block)
    return Received(terminal.result, list(terminal.received_pages), n / SAMPLE_RATE_HZ)
