"""Card top-ups through the TestGateway: Luhn, expiry, test numbers, exactly-once credit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from pyfax.billing import Card, EntryKind, Ledger, Money, TestGateway, topup
from pyfax.errors import (
    CardDeclined,
    CardExpired,
    CurrencyMismatch,
    InvalidAmount,
    InvalidCard,
    PaymentError,
    ProcessorUnavailable,
)

D = Decimal
TODAY = date(2026, 11, 26)


def card(number: str = "4242424242424242", exp: str = "12/30", cvc: str = "123") -> Card:
    return Card.parse(number, exp, cvc)


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    led = Ledger(tmp_path / "credit.db")
    led.open_account("alice", currency="EUR")
    return led


@pytest.fixture
def gateway() -> TestGateway:
    return TestGateway(clock=lambda: TODAY)


def test_successful_topup_credits_once(ledger: Ledger, gateway: TestGateway) -> None:
    entry = topup(ledger, "alice", D("25"), card(), gateway, "req-0001")
    assert entry.kind is EntryKind.TOPUP and entry.amount == D("25.00")
    assert "****4242" in entry.note and "4242424242424242" not in entry.note
    again = topup(ledger, "alice", D("25"), card(), gateway, "req-0001")
    assert again == entry
    assert gateway.n_charges == 1
    assert ledger.balance("alice").total == D("25.00")


@pytest.mark.parametrize(("number", "exp", "error"), [
    ("4000000000000002", "12/30", CardDeclined),
    ("4000000000009995", "12/30", CardDeclined),
    ("4000000000000127", "12/30", CardDeclined),
    ("4000000000000069", "12/30", CardExpired),
    ("4000000000000119", "12/30", ProcessorUnavailable),
    ("4242424242424242", "10/26", CardExpired),
])
def test_failing_cards_credit_nothing(
    ledger: Ledger, gateway: TestGateway, number: str, exp: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        topup(ledger, "alice", D("25"), card(number, exp), gateway, "req-fail-1")
    assert ledger.entries("alice") == []
    assert issubclass(error, PaymentError)


def test_card_valid_through_its_expiry_month(ledger: Ledger, gateway: TestGateway) -> None:
    topup(ledger, "alice", D("10"), card(exp="11/26"), gateway, "req-month")
    assert ledger.balance("alice").total == D("10.00")


@pytest.mark.parametrize(("number", "exp", "cvc"), [
    ("4242424242424241", "12/30", "123"),     # Luhn
    ("4242 4242 424", "12/30", "123"),       # too short
    ("4242x42424242424", "12/30", "123"),    # letters
    ("4242424242424242", "13/30", "123"),    # month
    ("4242424242424242", "1230", "123"),     # format
    ("4242424242424242", "12/30", "12"),     # cvc
])
def test_malformed_cards_rejected_before_charging(number: str, exp: str, cvc: str) -> None:
    with pytest.raises(InvalidCard):
        Card.parse(number, exp, cvc)


def test_card_parse_accepts_spaces_and_hides_number() -> None:
    c = Card.parse("4242 4242-4242 4242", "12/2030", "123")
    assert c.number == "4242424242424242" and c.exp_year == 2030
    assert "4242424242424242" not in repr(c) and "123" not in repr(c)


def test_amex_needs_four_digit_cvc(ledger: Ledger, gateway: TestGateway) -> None:
    with pytest.raises(InvalidCard):
        topup(ledger, "alice", D("10"), card("378282246310005", cvc="123"), gateway, "req-amex")
    topup(ledger, "alice", D("10"), card("378282246310005", cvc="1234"), gateway, "req-amex2")


def test_outage_then_retry_with_same_key(ledger: Ledger, gateway: TestGateway) -> None:
    gateway.available = False
    with pytest.raises(ProcessorUnavailable):
        topup(ledger, "alice", D("25"), card(), gateway, "req-outage")
    gateway.available = True
    topup(ledger, "alice", D("25"), card(), gateway, "req-outage")
    assert ledger.balance("alice").total == D("25.00") and gateway.n_charges == 1


def test_crash_between_charge_and_credit_is_safe(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "processor.db"
    first = TestGateway(path, clock=lambda: TODAY)
    money = Money(D("25.00"), "EUR")
    receipt = first.charge(card(), money, idempotency_key="req-crash")  # then "the process dies"
    retry_gateway = TestGateway(path, clock=lambda: TODAY)  # a new process, same processor
    entry = topup(ledger, "alice", D("25.00"), card(), retry_gateway, "req-crash")
    assert retry_gateway.n_charges == 0                      # replayed, not charged again
    assert receipt.charge_id in entry.note
    assert ledger.balance("alice").total == D("25.00")


def test_idempotency_key_reused_for_other_amount(ledger: Ledger, gateway: TestGateway) -> None:
    topup(ledger, "alice", D("25"), card(), gateway, "req-same")
    with pytest.raises(PaymentError):
        gateway.charge(card(), Money(D("30"), "EUR"), idempotency_key="req-same")


def test_topup_amount_checks(ledger: Ledger, gateway: TestGateway) -> None:
    for bad in (D("0"), D("-5"), D("0.001"), D("5000.01")):
        with pytest.raises(InvalidAmount):
            topup(ledger, "alice", bad, card(), gateway, "req-bad-" + str(bad))
    with pytest.raises(CurrencyMismatch):
        topup(ledger, "alice", Money(D("5"), "USD"), card(), gateway, "req-usd")
    assert gateway.n_charges == 0


def test_refunds_never_exceed_the_charge(gateway: TestGateway) -> None:
    receipt = gateway.charge(card(), Money(D("20"), "EUR"), idempotency_key="req-refund")
    gateway.refund(receipt.charge_id, Money(D("15"), "EUR"), idempotency_key="refund-1")
    gateway.refund(receipt.charge_id, Money(D("15"), "EUR"), idempotency_key="refund-1")
    with pytest.raises(PaymentError):
        gateway.refund(receipt.charge_id, Money(D("5.01"), "EUR"), idempotency_key="refund-2")
    gateway.refund(receipt.charge_id, Money(D("5"), "EUR"), idempotency_key="refund-3")
