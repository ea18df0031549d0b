"""Properties of the delivery flow over any sequence of call outcomes and crashes."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from delivery.fakes_delivery import (
    ScriptedBackend,
    TerminalScript,
    failed,
    funded_ledger,
    ok,
    pages,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyfax.billing import EntryKind
from pyfax.delivery import FakeClock, JobState, JobStore, ListNotifier, Worker
from pyfax.lines import CallProgress
from pyfax.t30 import ResultCode

_OUTCOMES = st.lists(st.one_of(
    st.sampled_from([CallProgress.BUSY, CallProgress.NO_ANSWER]),
    st.sampled_from(list(ResultCode)),
    st.just("crash")), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(outcomes=_OUTCOMES, max_attempts=st.integers(1, 4))
def test_any_outcome_sequence_keeps_the_books_straight(outcomes: list[object],
                                                       max_attempts: int) -> None:
    tmp = Path(tempfile.mkdtemp())
    clock, store, notifier = FakeClock(), JobStore(), ListNotifier()
    ledger = funded_ledger(tmp)
    mid = store.add_message(account="alice", sender="a", subject="s", ident="",
                            pages=pages(1), now_s=clock.now())
    jid = store.add_job(mid, e164="+3222345678", max_attempts=max_attempts, delays_s=(60,),
                        now_s=clock.now())
    for outcome in outcomes:
        job = store.job(jid)
        if job.state in (JobState.DONE, JobState.FAILED):
            break
        clock.advance(max(0.0, job.next_due_s - clock.now()))
        if outcome == "crash":  # a worker claims, holds and dies mid-call
            dead = store.claim("dead", now_s=clock.now(), lease_s=10)
            if dead is None or dead.attempts_made >= dead.max_attempts:
                continue
            n = store.start_attempt(jid, modems=dead.modems, now_s=clock.now())
            ledger.hold("alice", Decimal("1.00"), reference=f"job-{jid}/attempt-{n}")
            clock.advance(11)
            continue
        if isinstance(outcome, CallProgress):
            backend, script = ScriptedBackend([outcome]), TerminalScript([])
        else:
            assert isinstance(outcome, ResultCode)
            result = ok(1) if outcome is ResultCode.OK else failed(outcome)
            backend, script = ScriptedBackend(), TerminalScript([result])
        Worker(store=store, ledger=ledger, backend=backend, clock=clock, notifier=notifier,
               terminal_factory=script).run_once()
    job = store.job(jid)
    attempts = store.attempts(jid)
    charges = [e for e in ledger.entries("alice") if e.kind is EntryKind.CHARGE]
    assert job.attempts_made <= max_attempts
    assert len(charges) == (1 if job.state is JobState.DONE else 0)
    assert ledger.balance("alice").held == 0 or job.state is JobState.DIALLING
    if job.state is JobState.DONE:
        assert attempts[-1].code == "OK" and charges[0].amount == attempts[-1].cost
    if job.state in (JobState.DONE, JobState.FAILED):
        assert ledger.balance("alice").held == 0
    if job.state is JobState.FAILED:
        assert len(notifier.notices) == 1 and notifier.notices[0].kind == "failed"
    else:
        assert notifier.notices == []
    total = sum((e.total_delta for e in ledger.entries("alice")), Decimal("0"))
    assert ledger.balance("alice").total == total
