"""The Ledger API as the issue specifies it: credit, holds, settle, release, balance."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from pyfax.billing import EntryKind, HoldState, Ledger, Money
from pyfax.errors import (
    BillingError,
    CurrencyMismatch,
    HoldAlreadySettled,
    InsufficientCredit,
    InvalidAmount,
    ReferenceConflict,
    UnknownAccount,
    UnknownCurrency,
    UnknownHold,
)

D = Decimal


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    led = Ledger(tmp_path / "credit.db")
    led.open_account("alice", currency="EUR")
    return led


def test_issue_example(ledger: Ledger) -> None:
    ledger.credit("alice", D("25.00"), reference="pay_123")
    ledger.check_can_send("alice")
    hold = ledger.hold("alice", D("1.20"), reference="job-7/attempt-1")
    assert ledger.balance("alice").available == D("23.80")
    assert ledger.balance("alice").held == D("1.20")
    s = ledger.settle(hold, D("0.95"))
    assert (s.charged, s.released, s.uncollected) == (D("0.95"), D("0.25"), D("0"))
    bal = ledger.balance("alice")
    assert (bal.total, bal.held, bal.available, bal.currency) == (
        D("24.05"), D("0"), D("24.05"), "EUR")
    kinds = [e.kind for e in ledger.entries("alice")]
    assert kinds == [EntryKind.TOPUP, EntryKind.HOLD, EntryKind.CHARGE]


def test_credit_is_idempotent_by_reference(ledger: Ledger) -> None:
    a = ledger.credit("alice", D("25.00"), reference="pay_1")
    b = ledger.credit("alice", D("25"), reference="pay_1")
    assert a == b
    assert ledger.balance("alice").total == D("25.00")
    assert len(ledger.entries("alice")) == 1


def test_reference_reuse_for_other_amount_or_account_conflicts(ledger: Ledger) -> None:
    ledger.open_account("bob")
    ledger.credit("alice", D("25.00"), reference="pay_1")
    with pytest.raises(ReferenceConflict):
        ledger.credit("alice", D("26.00"), reference="pay_1")
    with pytest.raises(ReferenceConflict):
        ledger.credit("bob", D("25.00"), reference="pay_1")
    assert ledger.balance("bob").total == 0


def test_minimum_to_send_rule_and_shortfall(ledger: Ledger) -> None:
    with pytest.raises(InsufficientCredit) as exc:
        ledger.check_can_send("alice")
    assert exc.value.shortfall == D("10.00") and exc.value.currency == "EUR"
    ledger.credit("alice", D("9.99"), reference="p1")
    with pytest.raises(InsufficientCredit) as exc:
        ledger.check_can_send("alice")
    assert exc.value.shortfall == D("0.01")
    assert "0.01" in str(exc.value)
    ledger.credit("alice", D("0.01"), reference="p2")
    assert ledger.check_can_send("alice").available == D("10.00")


def test_open_holds_count_against_the_minimum(ledger: Ledger) -> None:
    ledger.credit("alice", D("12.00"), reference="p1")
    ledger.hold("alice", D("3.00"), reference="job-1/attempt-1")
    with pytest.raises(InsufficientCredit) as exc:
        ledger.check_can_send("alice")
    assert exc.value.shortfall == D("1.00")


def test_minimum_converted_with_dated_rates(tmp_path: Path) -> None:
    day = datetime(2027, 3, 1, tzinfo=UTC)
    led = Ledger(tmp_path / "c.db", clock=lambda: day)
    led.open_account("usd", currency="USD")
    led.set_exchange_rate("USD", D("1.20"), date(2027, 2, 1))
    led.set_exchange_rate("USD", D("2.00"), date(2027, 4, 1))  # future: not yet in force
    assert led.minimum_to_send("usd") == Money(D("12.00"), "USD")
    led.credit("usd", D("11.99"), reference="p")
    with pytest.raises(InsufficientCredit) as exc:
        led.check_can_send("usd")
    assert exc.value.shortfall == D("0.01") and exc.value.currency == "USD"
    assert led.exchange_rate("USD").as_of == date(2027, 2, 1)


def test_minimum_in_zero_decimal_currency_rounds_up(tmp_path: Path) -> None:
    led = Ledger(tmp_path / "c.db")
    led.open_account("jp", currency="JPY")
    led.set_exchange_rate("JPY", D("170.55"), date(2000, 1, 1))
    led.set_exchange_rate("JPY", D("170.55"), date.today())
    assert led.minimum_to_send("jp").amount == D("1706")


def test_hold_never_overdraws(ledger: Ledger) -> None:
    ledger.credit("alice", D("10.00"), reference="p1")
    ledger.hold("alice", D("6.00"), reference="h1")
    with pytest.raises(InsufficientCredit) as exc:
        ledger.hold("alice", D("4.01"), reference="h2")
    assert exc.value.shortfall == D("0.01")
    ledger.hold("alice", D("4.00"), reference="h2")
    assert ledger.balance("alice").available == 0


def test_hold_is_idempotent_by_reference(ledger: Ledger) -> None:
    ledger.credit("alice", D("10.00"), reference="p1")
    a = ledger.hold("alice", D("6.00"), reference="job-1/attempt-1")
    b = ledger.hold("alice", D("6.00"), reference="job-1/attempt-1")
    assert a == b
    assert ledger.balance("alice").held == D("6.00")
    with pytest.raises(ReferenceConflict):
        ledger.hold("alice", D("5.00"), reference="job-1/attempt-1")


def test_settle_zero_releases_and_never_charges(ledger: Ledger) -> None:
    ledger.credit("alice", D("20.00"), reference="p1")
    hold = ledger.hold("alice", D("2.00"), reference="h")
    s = ledger.settle(hold, D("0"))
    assert s.charged == 0 and s.entry.kind is EntryKind.RELEASE
    assert ledger.balance("alice").total == D("20.00")


def test_settle_above_hold_charges_at_most_available(ledger: Ledger) -> None:
    ledger.credit("alice", D("10.00"), reference="p1")
    hold = ledger.hold("alice", D("2.00"), reference="h1")
    s = ledger.settle(hold, D("3.50"))
    assert s.charged == D("3.50") and s.uncollected == 0
    ledger.credit("alice", D("0.50"), reference="p2")   # available now 7.00
    hold = ledger.hold("alice", D("6.00"), reference="h2")
    s = ledger.settle(hold, D("9.00"))
    assert s.charged == D("7.00") and s.uncollected == D("2.00")
    bal = ledger.balance("alice")
    assert bal.total == 0 and bal.available == 0


def test_settle_and_release_close_exactly_once(ledger: Ledger) -> None:
    ledger.credit("alice", D("20.00"), reference="p1")
    hold = ledger.hold("alice", D("2.00"), reference="h")
    first = ledger.settle(hold, D("1.10"))
    again = ledger.settle(hold, D("1.10"))
    assert again.entry == first.entry
    with pytest.raises(HoldAlreadySettled):
        ledger.settle(hold, D("1.20"))
    with pytest.raises(HoldAlreadySettled):
        ledger.release(hold)
    assert ledger.balance("alice").total == D("18.90")
    other = ledger.hold("alice", D("2.00"), reference="h2")
    ledger.release(other)
    ledger.release(other)
    with pytest.raises(HoldAlreadySettled):
        ledger.settle(other, D("1.00"))
    assert ledger.get_hold("h2").state is HoldState.RELEASED
    assert len(ledger.entries("alice")) == 5


def test_typed_errors(ledger: Ledger) -> None:
    with pytest.raises(UnknownAccount):
        ledger.credit("nobody", D("1"), reference="x")
    with pytest.raises(UnknownAccount):
        ledger.balance("nobody")
    with pytest.raises(CurrencyMismatch):
        ledger.open_account("alice", currency="USD")
    with pytest.raises(CurrencyMismatch):
        ledger.credit("alice", Money(D("5"), "USD"), reference="x")
    with pytest.raises(UnknownCurrency):
        ledger.open_account("zed", currency="XYZ")
    with pytest.raises(InvalidAmount):
        ledger.credit("alice", D("1.001"), reference="x")
    with pytest.raises(InvalidAmount):
        ledger.credit("alice", D("-1"), reference="x")
    with pytest.raises(InvalidAmount):
        ledger.credit("alice", 1.5, reference="x")  # type: ignore[arg-type]
    with pytest.raises(InvalidAmount):
        ledger.credit("alice", D("NaN"), reference="x")
    with pytest.raises(UnknownHold):
        ledger.get_hold("nope")
    with pytest.raises(BillingError):
        ledger.credit("alice", D("1"), reference="")
    assert ledger.entries("alice") == []


def test_adjustment_cannot_make_available_negative(ledger: Ledger) -> None:
    ledger.credit("alice", D("5.00"), reference="p1")
    ledger.hold("alice", D("3.00"), reference="h1")
    with pytest.raises(InsufficientCredit):
        ledger.adjust("alice", D("-2.01"), reference="adj1", note="card refund")
    ledger.adjust("alice", D("-2.00"), reference="adj1", note="card refund")
    assert ledger.balance("alice").available == 0


def test_refund_returns_credit(ledger: Ledger) -> None:
    ledger.refund("alice", D("1.10"), reference="job-3 undelivered")
    assert ledger.balance("alice").total == D("1.10")


def test_entries_are_append_only_in_the_database(ledger: Ledger) -> None:
    ledger.credit("alice", D("5.00"), reference="p1")
    conn = sqlite3.connect(ledger.path)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE entries SET total_minor = 999999")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("DELETE FROM entries")
    with pytest.raises(sqlite3.IntegrityError):  # sign rule: a top-up is positive
        conn.execute(
            "INSERT INTO entries (account, kind, total_minor, held_minor, reference, created_at)"
            " VALUES ('alice', 'topup', -5, 0, 'evil', 'now')")
    conn.close()
    assert ledger.balance("alice").total == D("5.00")


def test_wal_mode_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with Ledger(path) as led:
        led.open_account("a")
        led.credit("a", D("3.00"), reference="r")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    with Ledger(path) as led:
        assert led.balance("a").total == D("3.00")


def test_recover_releases_stale_holds_and_keeps_fresh_ones(tmp_path: Path) -> None:
    now = [datetime(2027, 1, 1, tzinfo=UTC)]
    led = Ledger(tmp_path / "c.db", clock=lambda: now[0])
    led.open_account("a")
    led.credit("a", D("50.00"), reference="p")
    led.hold("a", D("2.00"), reference="job-1/attempt-1")
    led.hold("a", D("3.00"), reference="job-2/attempt-1")
    now[0] += timedelta(minutes=30)
    led.hold("a", D("4.00"), reference="job-3/attempt-1")
    sent = {"job-2/attempt-1": D("2.50")}
    done = led.recover(lambda h: sent.get(h.reference), older_than_s=600)
    assert {s.hold.reference: s.charged for s in done} == {
        "job-1/attempt-1": D("0"), "job-2/attempt-1": D("2.50")}
    assert [h.reference for h in led.open_holds()] == ["job-3/attempt-1"]
    assert led.recover(older_than_s=600) == []
    assert led.balance("a").total == D("47.50")


def test_one_ledger_shared_by_threads(tmp_path: Path) -> None:
    import threading

    led = Ledger(tmp_path / "c.db")
    led.open_account("t")
    led.credit("t", D("10.00"), reference="p")
    refused: list[int] = []

    def worker(w: int) -> None:
        for k in range(20):
            try:
                h = led.hold("t", D("0.40"), reference=f"job-{w}-{k}/attempt-1")
            except InsufficientCredit:
                refused.append(w)
                continue
            led.settle(h, D("0.30"))

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    bal = led.balance("t")
    n_charges = sum(e.kind is EntryKind.CHARGE for e in led.entries("t"))
    assert bal.total == D("10.00") - n_charges * D("0.30") and bal.available >= 0
    assert n_charges + len(refused) == 80
    led.close()


def test_closed_ledger_refuses(tmp_path: Path) -> None:
    led = Ledger(tmp_path / "c.db")
    led.open_account("a")
    led.close()
    with pytest.raises(BillingError, match="closed"):
        led.balance("a")


def test_credit_never_expires(tmp_path: Path) -> None:
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    with Ledger(tmp_path / "c.db", clock=lambda: now[0]) as led:
        led.open_account("a")
        led.credit("a", D("25.00"), reference="p")
    now[0] = datetime(2126, 1, 1, tzinfo=UTC)             # a century later
    with Ledger(tmp_path / "c.db", clock=lambda: now[0]) as led:
        assert led.recover() == []
        assert led.check_can_send("a").available == D("25.00")
        assert [e.kind for e in led.entries("a")] == [EntryKind.TOPUP]


def test_zero_hold_for_a_free_destination(ledger: Ledger) -> None:
    ledger.credit("alice", D("12.00"), reference="p")
    free = ledger.hold("alice", D("0"), reference="job-1/attempt-1")
    assert ledger.balance("alice").open_holds == 1
    assert ledger.settle(free, D("0.40")).charged == D("0.40")
    other = ledger.hold("alice", D("0.00"), reference="job-2/attempt-1")
    assert ledger.release(other).released == 0
    assert ledger.balance("alice").total == D("11.60")
    assert ledger.balance("alice").open_holds == 0


def test_hold_of_another_ledger_is_refused(ledger: Ledger, tmp_path: Path) -> None:
    other = Ledger(tmp_path / "other.db")
    other.open_account("alice")
    other.credit("alice", D("20.00"), reference="p")
    foreign = other.hold("alice", D("1.00"), reference="job-9/attempt-1")
    ledger.credit("alice", D("20.00"), reference="p")
    ledger.hold("alice", D("1.00"), reference="job-1/attempt-1")   # same id, other hold
    with pytest.raises(UnknownHold):
        ledger.settle(foreign, D("1.00"))
    with pytest.raises(UnknownHold):
        ledger.release(foreign)
    assert ledger.balance("alice").held == D("1.00")


def test_database_problems_are_typed_errors(tmp_path: Path) -> None:
    with pytest.raises(BillingError, match="cannot open"):
        Ledger(tmp_path / "missing-dir" / "c.db")
    led = Ledger(tmp_path / "c.db", timeout_s=0.2)
    led.open_account("a")
    with pytest.raises(BillingError):
        led.credit("a", D("1"), reference="r" * 401)
    with pytest.raises(BillingError):
        led.entries("a", limit=-1)
    blocker = sqlite3.connect(tmp_path / "c.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")                      # another writer holds the lock
    with pytest.raises(BillingError, match="locked"):
        led.credit("a", D("1.00"), reference="while-locked")
    blocker.execute("ROLLBACK")
    led.credit("a", D("1.00"), reference="while-locked")    # the retry works
    assert led.balance("a").total == D("1.00")
    blocker.close()
    led.close()
