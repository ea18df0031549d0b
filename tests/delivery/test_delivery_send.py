"""send() with the real addressing, composition and billing layers.

Nothing here needs a working fax line: busy and never-answering remotes,
invalid numbers and too little credit all end before any audio flows.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from delivery.fakes_delivery import funded_ledger

from pyfax import Message, send
from pyfax.delivery import FakeClock, JobState, JobStore, ListNotifier, RetryPolicy
from pyfax.errors import AttachmentError, DeliveryError, InsufficientCredit
from pyfax.lines import LoopbackBackend


def _msg(to: str, **kw: str) -> Message:
    return Message(sender="Alice <alice@example.com>", to=to, subject="Invoice 42",
                   body=kw.pop("body", "Dear Bob,\nplease find the invoice.\n"), **kw)


@pytest.mark.parametrize("behaviour", ["busy", "no_answer"])
def test_unreachable_recipient_fails_three_times_one_notice_nothing_charged(
        tmp_path: Path, behaviour: str) -> None:
    ledger = funded_ledger(tmp_path)
    before = ledger.entries("alice")
    notifier, clock = ListNotifier(), FakeClock()
    backend = LoopbackBackend(behaviour=behaviour)
    report = send(_msg("<3222345678@fax>, bob@example.com"), account="alice", ledger=ledger,
                  backend=backend, store=JobStore(tmp_path / "jobs.db"), notifier=notifier,
                  retry=RetryPolicy(attempts=3, delays_s=(120, 300)), clock=clock)
    assert report.email == ["bob@example.com"]
    [r] = report.recipients
    assert r.e164 == "+3222345678" and r.status == "failed"
    code = "BUSY" if behaviour == "busy" else "NO_ANSWER"
    assert [a.code for a in r.attempts] == [code] * 3
    assert r.attempts[1].time_s - r.attempts[0].time_s == pytest.approx(120)
    assert r.attempts[2].time_s - r.attempts[1].time_s == pytest.approx(300)
    assert len(backend.calls) == 3
    assert len(notifier.notices) == 1
    notice = notifier.notices[0]
    assert notice.kind == "failed" and notice.e164 == "+3222345678"
    assert len(notice.attempts) == 3
    for words in ("+3222345678", "attempt 1", "attempt 3", "Invoice 42", "paper", "memory"):
        assert words in notice.text
    assert r.cost == 0
    bal = ledger.balance("alice")
    assert bal.total == Decimal("25.00") and bal.held == 0
    assert len(ledger.entries("alice")) == len(before) + 6  # 3 holds, 3 releases, no charge


def test_too_little_credit_dials_nothing_and_leaves_the_ledger_alone(tmp_path: Path) -> None:
    ledger = funded_ledger(tmp_path, "7.50")
    before = ledger.entries("alice")
    backend = LoopbackBackend(behaviour="answer")
    store = JobStore(tmp_path / "jobs.db")
    with pytest.raises(InsufficientCredit) as err:
        send(_msg("<3222345678@fax>"), account="alice", ledger=ledger, backend=backend,
             store=store, clock=FakeClock())
    assert err.value.shortfall == Decimal("2.50") and err.value.currency == "EUR"
    assert "2.50" in str(err.value)
    assert backend.calls == []
    assert ledger.entries("alice") == before
    assert store.jobs() == []


def test_invalid_number_is_notified_at_once_and_never_dialled(tmp_path: Path) -> None:
    ledger = funded_ledger(tmp_path)
    notifier = ListNotifier()
    backend = LoopbackBackend(behaviour="busy")
    report = send(_msg("<3202345678@fax>, carol@example.com", cc="<32123@fax>"),
                  account="alice", ledger=ledger, backend=backend, notifier=notifier,
                  clock=FakeClock())
    assert report.recipients == [] and backend.calls == []
    assert report.email == ["carol@example.com"]
    assert len(report.rejected) == 2
    assert len(notifier.notices) == 2
    assert all(n.kind == "failed" and n.attempts == () for n in notifier.notices)
    assert "3222345678" in notifier.notices[0].text  # the suggested correction


def test_wait_false_only_queues(tmp_path: Path) -> None:
    ledger = funded_ledger(tmp_path)
    store = JobStore(tmp_path / "jobs.db")
    backend = LoopbackBackend(behaviour="busy")
    report = send(_msg("<3222345678@fax>, <33142685300@fax>"), account="alice", ledger=ledger,
                  backend=backend, store=store, clock=FakeClock(), wait=False)
    assert [r.status for r in report.recipients] == ["pending", "pending"]
    assert [j.state for j in store.jobs()] == [JobState.QUEUED, JobState.QUEUED]
    assert backend.calls == []
    assert report.n_pages == 1 and len(store.pages(report.message_id)) == 1


def test_bad_attachment_stops_before_dialling_or_charging(tmp_path: Path) -> None:
    ledger = funded_ledger(tmp_path)
    before = ledger.entries("alice")
    backend = LoopbackBackend(behaviour="answer")
    store = JobStore(tmp_path / "jobs.db")
    msg = Message(sender="Alice <alice@example.com>", to="<3222345678@fax>", body="x",
                  attachments=[("broken.pdf", b"%PDF-1.4 truncated")])
    with pytest.raises(AttachmentError) as err:
        send(msg, account="alice", ledger=ledger, backend=backend, store=store,
             clock=FakeClock())
    assert err.value.attachment == "broken.pdf"
    assert backend.calls == [] and store.jobs() == [] and ledger.entries("alice") == before
    with pytest.raises(DeliveryError):
        send(_msg("<3222345678@fax>"), account="alice", ledger=ledger, backend=backend,
             wait=False)
