"""The delivery flow with a scripted line and terminal: retries, billing, notices."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from delivery.fakes_delivery import (
    ScriptedBackend,
    ScriptedTerminal,
    SilentCall,
    TerminalScript,
    failed,
    funded_ledger,
    ok,
    pages,
)

from pyfax.billing import EntryKind, Ledger, TariffTable
from pyfax.delivery import FakeClock, JobState, JobStore, ListNotifier, Worker
from pyfax.lines import CallProgress
from pyfax.t30 import ResultCode

E164 = "+3222345678"


@dataclass
class Rig:
    clock: FakeClock
    store: JobStore
    ledger: Ledger
    notifier: ListNotifier
    worker: Worker
    jid: int


def _setup(tmp_path: Path, backend: ScriptedBackend, script: TerminalScript, *,
           credit: str = "25.00", attempts: int = 3) -> Rig:
    clock = FakeClock()
    store = JobStore(tmp_path / "jobs.db")
    ledger = funded_ledger(tmp_path, credit)
    notifier = ListNotifier()
    mid = store.add_message(account="alice", sender="Alice <a@example.com>", subject="Invoice",
                            ident="+32 2 123 4567", pages=pages(2), now_s=clock.now())
    jid = store.add_job(mid, e164=E164, max_attempts=attempts, delays_s=(120, 300),
                        now_s=clock.now())
    worker = Worker(store=store, ledger=ledger, backend=backend, clock=clock,
                    notifier=notifier, terminal_factory=script)
    return Rig(clock, store, ledger, notifier, worker, jid)


def test_busy_three_times_then_one_notice_and_nothing_charged(tmp_path: Path) -> None:
    backend = ScriptedBackend([CallProgress.BUSY])
    rig = _setup(tmp_path, backend, TerminalScript([]))
    start_s = rig.clock.now()
    rig.worker.run_until_idle()
    job = rig.store.job(rig.jid)
    assert job.state is JobState.FAILED
    attempts = rig.store.attempts(rig.jid)
    assert [a.code for a in attempts] == ["BUSY"] * 3
    assert [a.time_s - start_s for a in attempts] == pytest.approx([0, 120, 420], abs=0.01)
    assert len(backend.dialled) == 3
    assert len(rig.notifier.notices) == 1
    notice = rig.notifier.notices[0]
    assert notice.kind == "failed" and notice.e164 == E164 and len(notice.attempts) == 3
    assert E164 in notice.text and "busy" in notice.text and "paper" in notice.text
    bal = rig.ledger.balance("alice")
    assert bal.total == Decimal("25.00") and bal.held == 0
    kinds = [e.kind for e in rig.ledger.entries("alice")]
    assert EntryKind.CHARGE not in kinds
    assert kinds.count(EntryKind.HOLD) == kinds.count(EntryKind.RELEASE) == 3


def test_training_failure_retries_lower_then_charges_measured_time(tmp_path: Path) -> None:
    script = TerminalScript([failed(ResultCode.TRAINING_FAILED), ok(line_time_s=53.2)])
    rig = _setup(tmp_path, ScriptedBackend(), script)
    rig.worker.run_until_idle()
    assert rig.store.job(rig.jid).state is JobState.DONE
    assert script.offers == [(("v17", "v29", "v27ter"), True), (("v29", "v27ter"), True)]
    assert script.page_counts == [2, 2]
    first, second = script.page_sets  # the same composed pages, header line and all
    assert all(np.array_equal(a.image, b.image) for a, b in zip(first, second, strict=True))
    assert script.idents == ["+32 2 123 4567"] * 2
    expected = TariffTable.default().cost(E164, 53.2).price.amount
    charges = [e for e in rig.ledger.entries("alice") if e.kind is EntryKind.CHARGE]
    assert [c.amount for c in charges] == [expected]
    assert rig.ledger.balance("alice").total == Decimal("25.00") - expected
    assert [a.cost for a in rig.store.attempts(rig.jid)] == [0, expected]
    assert rig.notifier.notices == []  # success is only notified when asked


def test_ecm_failure_turns_ecm_off_next_time(tmp_path: Path) -> None:
    script = TerminalScript([failed(ResultCode.ECM_FAILED), ok()])
    rig = _setup(tmp_path, ScriptedBackend(), script)
    rig.worker.run_until_idle()
    assert script.offers == [(("v17", "v29", "v27ter"), True), (("v17", "v29", "v27ter"), False)]


def test_incompatible_receiver_is_not_retried(tmp_path: Path) -> None:
    script = TerminalScript([failed(ResultCode.INCOMPATIBLE)])
    rig = _setup(tmp_path, ScriptedBackend(), script)
    rig.worker.run_until_idle()
    assert rig.store.job(rig.jid).state is JobState.FAILED
    assert len(rig.store.attempts(rig.jid)) == 1
    assert len(rig.notifier.notices) == 1
    assert "cannot fix" in rig.notifier.notices[0].text
    assert rig.ledger.balance("alice").total == Decimal("25.00")


def test_page_rejected_mid_call_is_not_charged(tmp_path: Path) -> None:
    results = [failed(ResultCode.HUNG_UP_MID_PAGE, 30.0)] * 3
    rig = _setup(tmp_path, ScriptedBackend(),
                                                         TerminalScript(list(results)))
    rig.worker.run_until_idle()
    assert [a.code for a in rig.store.attempts(rig.jid)] == ["HUNG_UP_MID_PAGE"] * 3
    assert rig.ledger.balance("alice").total == Decimal("25.00")
    assert len(rig.notifier.notices) == 1


def test_hold_above_available_fails_without_dialling(tmp_path: Path) -> None:
    backend = ScriptedBackend()
    rig = _setup(tmp_path, backend, TerminalScript([]),
                                                         credit="0.01")
    rig.worker.run_until_idle()
    assert backend.dialled == []
    assert rig.store.attempts(rig.jid)[0].code == "INSUFFICIENT_CREDIT"
    assert rig.store.job(rig.jid).state is JobState.FAILED
    assert len(rig.notifier.notices) == 1


def test_interrupted_attempt_is_released_and_retried_once(tmp_path: Path) -> None:
    script = TerminalScript([ok(line_time_s=40.0)])
    rig = _setup(tmp_path, ScriptedBackend(), script)
    # A rig.worker that died mid-call: claimed, started attempt 1, held, never finished.
    dead = rig.store.claim("dead-rig.worker", now_s=rig.clock.now(), lease_s=30)
    assert dead is not None
    n = rig.store.start_attempt(rig.jid, modems=dead.modems, now_s=rig.clock.now())
    rig.ledger.hold("alice", Decimal("2.00"), reference=f"job-{rig.jid}/attempt-{n}")
    assert rig.store.claim("other", now_s=rig.clock.now(), lease_s=30) is None  # lease still held
    rig.clock.advance(31)
    rig.worker.run_until_idle()
    attempts = rig.store.attempts(rig.jid)
    assert [a.code for a in attempts] == ["INTERRUPTED", "OK"]
    assert rig.store.job(rig.jid).state is JobState.DONE
    entries = rig.ledger.entries("alice")
    assert [e.kind for e in entries].count(EntryKind.CHARGE) == 1
    assert rig.ledger.balance("alice").held == 0
    # running again changes nothing
    rig.worker.run_until_idle()
    assert len(rig.ledger.entries("alice")) == len(entries)


def test_crash_after_recording_success_settles_once(tmp_path: Path) -> None:
    script = TerminalScript([ok(line_time_s=40.0)])
    rig = _setup(tmp_path, ScriptedBackend(), script)
    rig.worker.run_once()
    assert rig.store.job(rig.jid).state is JobState.DONE
    n_entries = len(rig.ledger.entries("alice"))
    # Replay the post-call bookkeeping, as a resumed rig.worker would.
    job = rig.store.job(rig.jid)
    rig.worker._conclude(job, rig.store.message(job.message_id), rig.store.attempts(rig.jid)[-1])
    assert len(rig.ledger.entries("alice")) == n_entries


def test_run_until_idle_without_wait_leaves_retries_queued(tmp_path: Path) -> None:
    backend = ScriptedBackend([CallProgress.NO_ANSWER])
    rig = _setup(tmp_path, backend, TerminalScript([]))
    rig.worker.run_until_idle(wait=False)
    job = rig.store.job(rig.jid)
    assert job.state is JobState.RETRYING and job.attempts_made == 1
    assert job.next_due_s == pytest.approx(rig.clock.now() + 120)
    assert rig.clock.slept_s == []


class _StallingCall(SilentCall):
    """Freezes the worker for longer than its lease after 2 s of line time."""

    def __init__(self, clock: FakeClock, store: JobStore, thief: list[object]) -> None:
        super().__init__()
        self.clock, self.store, self.thief = clock, store, thief

    def exchange(self, block: Any) -> Any:
        if self.n_samples == 16000:
            self.clock.advance(100)  # the process stalls; its lease runs out
            self.thief.append(self.store.claim("thief", now_s=self.clock.now(), lease_s=60))
        return super().exchange(block)


def test_a_worker_that_lost_its_lease_abandons_the_call(tmp_path: Path) -> None:
    script = TerminalScript([ok()])
    thief: list[object] = []
    rig = _setup(tmp_path, ScriptedBackend(), script)

    class Backend:
        def dial(self, number: str) -> SilentCall:
            return _StallingCall(rig.clock, rig.store, thief)

    rig.worker.backend = Backend()
    rig.worker.lease_s = 30
    script.results[0] = ok()
    factory = rig.worker.terminal_factory

    def slow_terminal(*args: Any, **kw: Any) -> ScriptedTerminal:
        factory(*args, **kw)
        return ScriptedTerminal(ok(), n_blocks=400)  # 8 s of line

    rig.worker.terminal_factory = slow_terminal
    rig.worker.run_once()
    assert thief and thief[0] is not None  # the other worker took the job
    assert rig.store.open_attempt(rig.jid) == 1  # left for the thief to close
    assert [e.kind for e in rig.ledger.entries("alice")].count(EntryKind.CHARGE) == 0


def test_an_account_in_another_currency_is_charged_the_converted_tariff(tmp_path: Path) -> None:
    from pyfax.billing import Money

    clock, store = FakeClock(), JobStore()
    ledger = Ledger(tmp_path / "credit.db")
    ledger.open_account("bob", currency="USD")
    ledger.credit("bob", Decimal("30.00"), reference="seed")
    mid = store.add_message(account="bob", sender="b", subject="s", ident="", pages=pages(1),
                            now_s=clock.now())
    jid = store.add_job(mid, e164=E164, now_s=clock.now())
    Worker(store=store, ledger=ledger, backend=ScriptedBackend(), clock=clock,
           terminal_factory=TerminalScript([ok(1, line_time_s=95.0)])).run_until_idle()
    eur = TariffTable.default().cost(E164, 95.0).price
    assert eur.currency == "EUR"
    usd = ledger.convert(Money(eur.amount, "EUR"), "USD").rounded().amount
    [charge] = [e for e in ledger.entries("bob") if e.kind is EntryKind.CHARGE]
    assert charge.currency == "USD" and charge.amount == usd == store.attempts(jid)[0].cost


def test_a_line_that_hangs_up_at_once_ends_the_attempt_as_line_dropped() -> None:
    from pyfax.delivery._calls import make_terminal, run_call
    from pyfax.lines import PipePcmBackend

    outcome = run_call(PipePcmBackend(["false"]), "+3222345678",
                       lambda: make_terminal(pages(1), ident="", ecm=True, modems=("v17",)))
    assert outcome.code == "LINE_DROPPED" and outcome.retryable and not outcome.delivered
    assert outcome.line_time_s < 2.0  # not T1's 35 s of silence into a closed stream
    assert "hung up" in outcome.text
