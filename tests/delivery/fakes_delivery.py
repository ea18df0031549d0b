"""Small fakes for unit tests of the delivery flow (retry, billing, store).

They stand in for the T.30 terminal and the line only, to test *our* flow
logic; the proof tests use the real layers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from pyfax.billing import Ledger
from pyfax.delivery._pages import StoredPage
from pyfax.lines.base import CallProgress
from pyfax.t30 import CallResult, Resolution, ResultCode


@dataclass
class SilentCall:
    progress: CallProgress = CallProgress.ANSWERED
    remote_hung_up: bool = False
    hung_up: bool = False
    n_samples: int = 0

    def exchange(self, block: Any) -> Any:
        self.n_samples += len(block)
        return np.zeros(len(block), dtype=np.int16)

    def hang_up(self) -> None:
        self.hung_up = True


@dataclass
class ScriptedBackend:
    """Each dial takes the next progress from ``script`` (last one repeats)."""

    script: Sequence[CallProgress] = (CallProgress.ANSWERED,)
    dialled: list[str] = field(default_factory=list)
    calls: list[SilentCall] = field(default_factory=list)

    def dial(self, number: str) -> SilentCall:
        progress = self.script[min(len(self.dialled), len(self.script) - 1)]
        self.dialled.append(number)
        call = SilentCall(progress)
        self.calls.append(call)
        return call


class ScriptedTerminal:
    """Finishes after ``n_blocks`` steps with ``result``."""

    def __init__(self, result: CallResult, n_blocks: int = 5) -> None:
        self._result = result
        self._left = n_blocks
        self.done = False

    @property
    def result(self) -> CallResult | None:
        return self._result if self.done else None

    def step(self, block: Any) -> Any:
        self._left -= 1
        if self._left <= 0:
            self.done = True
        return np.zeros(len(block), dtype=np.int16)

    def line_dropped(self) -> None:
        raise AssertionError("the scripted lines never hang up")


@dataclass
class TerminalScript:
    """A terminal factory returning scripted results, recording what it was asked."""

    results: list[CallResult]
    offers: list[tuple[tuple[str, ...], bool]] = field(default_factory=list)
    page_counts: list[int] = field(default_factory=list)
    page_sets: list[list[StoredPage]] = field(default_factory=list)
    idents: list[str] = field(default_factory=list)

    def __call__(self, pages: Sequence[StoredPage], *, ident: str, ecm: bool,
                 modems: Sequence[str]) -> ScriptedTerminal:
        self.offers.append((tuple(modems), ecm))
        self.page_counts.append(len(pages))
        self.page_sets.append(list(pages))
        self.idents.append(ident)
        return ScriptedTerminal(self.results.pop(0))


def ok(pages: int = 2, line_time_s: float = 41.3) -> CallResult:
    return CallResult(ResultCode.OK, "ok", pages=pages, bit_rate=14400, ecm=True,
                      remote_ident="+32 2 555 0100", line_time_s=line_time_s)


def failed(code: ResultCode, line_time_s: float = 12.0) -> CallResult:
    return CallResult(code, code.text, pages=0, bit_rate=14400, line_time_s=line_time_s)


def pages(n: int = 2) -> list[StoredPage]:
    out = []
    for i in range(n):
        img = np.zeros((40, 1728), dtype=np.bool_)
        img[5 + i, 100:200] = True
        out.append(StoredPage(img, Resolution.FINE))
    return out


def funded_ledger(tmp: Path, amount: str = "25.00", account: str = "alice") -> Ledger:
    ledger = Ledger(tmp / "credit.db")
    ledger.open_account(account, currency="EUR")
    ledger.credit(account, Decimal(amount), reference=f"seed-{account}")
    return ledger
