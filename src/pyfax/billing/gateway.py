"""Card payments: the :class:`PaymentGateway` protocol and a realistic :class:`TestGateway`.

How it works: a gateway charges a card for an amount under an *idempotency
key*: the same key with the same request returns the first receipt and never
charges twice (as real processors do); the same key with a different request
is refused. :class:`TestGateway` behaves like a processor in test mode. It
checks the number's Luhn digit, the expiry date and the CVC format, and it
keeps its charges in its own SQLite file (if given one), so a *client* that
crashes after the charge and retries with the same key is recognised, exactly
as a real processor would recognise it.

Test card numbers (the public test numbers of the major processors):

====================  ===========================================
number                outcome
====================  ===========================================
4242424242424242      succeeds (Visa)
5555555555554444      succeeds (Mastercard)
378282246310005       succeeds (American Express, 4-digit CVC)
4000000000000002      :class:`CardDeclined` (generic decline)
4000000000009995      :class:`CardDeclined` (insufficient funds)
4000000000000127      :class:`CardDeclined` (incorrect CVC)
4000000000000069      :class:`CardExpired` (whatever expiry is given)
4000000000000119      :class:`ProcessorUnavailable` (processing error)
====================  ===========================================

Any other Luhn-valid number succeeds. A past expiry raises
:class:`CardExpired`; a number failing Luhn raises :class:`InvalidCard`.
Card numbers are never stored or printed in full: only the last four digits.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol

from pyfax.billing._store import write_txn
from pyfax.billing.money import Money, from_minor, to_minor
from pyfax.errors import (
    CardDeclined,
    CardExpired,
    InvalidCard,
    PaymentError,
    ProcessorUnavailable,
)

__all__ = ["Card", "ChargeReceipt", "PaymentGateway", "RefundReceipt", "TestGateway", "luhn_ok"]

DECLINED = {"4000000000000002": "card declined", "4000000000009995": "insufficient funds",
            "4000000000000127": "incorrect CVC"}
EXPIRED = {"4000000000000069"}
PROCESSOR_ERROR = {"4000000000000119"}


def luhn_ok(number: str) -> bool:
    """Whether ``number`` (digits only) passes the Luhn check.

    >>> luhn_ok("4242424242424242"), luhn_ok("4242424242424241")
    (True, False)
    """
    total = 0
    for i, ch in enumerate(reversed(number)):
        digit = int(ch) * (2 if i % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


@dataclass(frozen=True)
class Card:
    """A payment card as typed by the user. ``repr`` shows only the last four digits.

    Attributes:
        number: 12 to 19 digits (spaces and dashes removed).
        exp_month: 1..12.
        exp_year: four-digit year.
        cvc: 3 or 4 digits.
    """

    number: str = field(repr=False)
    exp_month: int
    exp_year: int
    cvc: str = field(repr=False)

    @classmethod
    def parse(cls, number: str, expiry: str, cvc: str) -> Card:
        """Parse user input: ``"4242 4242 4242 4242"``, ``"12/30"`` or ``"12/2030"``, ``"123"``.

        Raises:
            InvalidCard: malformed number (or failing Luhn), expiry or CVC.
        """
        digits = "".join(ch for ch in number if ch not in " -")
        if not digits.isdigit() or not 12 <= len(digits) <= 19:
            raise InvalidCard("the card number must be 12 to 19 digits")
        if not luhn_ok(digits):
            raise InvalidCard("the card number is mistyped (its check digit is wrong)")
        month_text, sep, year_text = expiry.strip().partition("/")
        if not sep or not month_text.isdigit() or not year_text.isdigit():
            raise InvalidCard(f"expiry {expiry!r} must be MM/YY or MM/YYYY")
        month, year = int(month_text), int(year_text)
        year += 2000 if len(year_text) == 2 else 0
        if not 1 <= month <= 12 or not 2000 <= year <= 2099:
            raise InvalidCard(f"expiry {expiry!r} is not a valid month")
        if not cvc.isdigit() or len(cvc) not in (3, 4):
            raise InvalidCard("the CVC must be 3 or 4 digits")
        return cls(digits, month, year, cvc)

    @property
    def last4(self) -> str:
        """The last four digits, the only part ever shown or stored."""
        return self.number[-4:]

    def expired_on(self, day: date) -> bool:
        """Whether the card has expired by ``day`` (valid through its expiry month)."""
        return (day.year, day.month) > (self.exp_year, self.exp_month)


@dataclass(frozen=True)
class ChargeReceipt:
    """A successful charge: the processor's id, the amount and the card's last digits."""

    charge_id: str
    amount: Money
    idempotency_key: str
    card_last4: str


@dataclass(frozen=True)
class RefundReceipt:
    """A successful refund of (part of) a charge."""

    refund_id: str
    charge_id: str
    amount: Money


class PaymentGateway(Protocol):
    """What the billing layer needs from a card processor."""

    def charge(self, card: Card, amount: Money, *, idempotency_key: str) -> ChargeReceipt:
        """Charge ``amount`` to ``card``; the same key never charges twice.

        Raises:
            CardDeclined, CardExpired, InvalidCard, ProcessorUnavailable,
            PaymentError (key reused for a different request).
        """
        ...

    def refund(self, charge_id: str, amount: Money, *, idempotency_key: str) -> RefundReceipt:
        """Refund ``amount`` of a charge; the same key never refunds twice."""
        ...


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]


_GATEWAY_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS test_gateway_ops (
        idempotency_key TEXT PRIMARY KEY, op TEXT NOT NULL, op_id TEXT NOT NULL,
        charge_id TEXT NOT NULL, amount_minor INTEGER NOT NULL, currency TEXT NOT NULL,
        last4 TEXT NOT NULL, fingerprint TEXT NOT NULL)""",
)


class TestGateway:
    """An in-process card processor in test mode (see the module's test numbers).

    Args:
        path: SQLite file for its records; ``":memory:"`` (default) forgets
            them when the object goes away, a file survives the client's crash.
        clock: today's date, for the expiry check.
        available: set to ``False`` to simulate an outage (every call raises
            :class:`ProcessorUnavailable`).
    """

    __test__ = False  # not a pytest test class

    def __init__(
        self, path: str | Path = ":memory:", *,
        clock: Callable[[], date] = lambda: datetime.now(UTC).date(),
        available: bool = True,
    ) -> None:
        self._conn = sqlite3.connect(str(path), timeout=60.0, isolation_level=None)
        self._conn.execute("PRAGMA busy_timeout = 60000")
        with write_txn(self._conn):
            for statement in _GATEWAY_SCHEMA:
                self._conn.execute(statement)
        self._clock = clock
        self.available = available
        self.n_charges = 0  # charges actually made by this object (not replays)

    def charge(self, card: Card, amount: Money, *, idempotency_key: str) -> ChargeReceipt:
        """Charge the card, or replay the first result for a repeated key."""
        self._check_up()
        minor = to_minor(amount.amount, amount.currency)
        if minor <= 0:
            raise PaymentError(f"charge amount {amount} must be positive")
        fp = _fingerprint("charge", card.number, minor, amount.currency)
        with write_txn(self._conn):
            row = self._replay(idempotency_key, fp)
            if row is not None:
                return ChargeReceipt(row[0], amount, idempotency_key, card.last4)
            self._authorise(card)
            charge_id = "ch_" + _fingerprint(idempotency_key, fp)[:24]
            self._conn.execute(
                "INSERT INTO test_gateway_ops VALUES (?, 'charge', ?, ?, ?, ?, ?, ?)",
                (idempotency_key, charge_id, charge_id, minor, amount.currency, card.last4, fp),
            )
        self.n_charges += 1
        return ChargeReceipt(charge_id, amount, idempotency_key, card.last4)

    def refund(self, charge_id: str, amount: Money, *, idempotency_key: str) -> RefundReceipt:
        """Refund part or all of a charge; never more than was charged."""
        self._check_up()
        minor = to_minor(amount.amount, amount.currency)
        fp = _fingerprint("refund", charge_id, minor, amount.currency)
        with write_txn(self._conn):
            row = self._replay(idempotency_key, fp)
            if row is not None:
                return RefundReceipt(row[0], charge_id, amount)
            charged = self._conn.execute(
                "SELECT amount_minor, currency, last4 FROM test_gateway_ops "
                "WHERE op = 'charge' AND charge_id = ?", (charge_id,)).fetchone()
            if charged is None:
                raise PaymentError(f"no charge {charge_id!r} to refund")
            done = self._conn.execute(
                "SELECT COALESCE(SUM(amount_minor), 0) FROM test_gateway_ops "
                "WHERE op = 'refund' AND charge_id = ?", (charge_id,)).fetchone()[0]
            if amount.currency != charged[1] or minor <= 0 or minor + done > charged[0]:
                left = from_minor(charged[0] - done, charged[1])
                raise PaymentError(f"refund {amount} invalid: {left} {charged[1]} refundable")
            refund_id = "re_" + _fingerprint(idempotency_key, fp)[:24]
            self._conn.execute(
                "INSERT INTO test_gateway_ops VALUES (?, 'refund', ?, ?, ?, ?, ?, ?)",
                (idempotency_key, refund_id, charge_id, minor, amount.currency, charged[2], fp),
            )
        return RefundReceipt(refund_id, charge_id, amount)

    def _check_up(self) -> None:
        if not self.available:
            raise ProcessorUnavailable("the payment processor is unavailable; try again later")

    def _replay(self, key: str, fingerprint: str) -> tuple[str] | None:
        if not isinstance(key, str) or not 8 <= len(key) <= 255:
            raise PaymentError("an idempotency key of 8 to 255 characters is required")
        row = self._conn.execute(
            "SELECT op_id, fingerprint FROM test_gateway_ops WHERE idempotency_key = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        if row[1] != fingerprint:
            raise PaymentError(f"idempotency key {key!r} was used for a different request")
        return (str(row[0]),)

    def _authorise(self, card: Card) -> None:
        if not luhn_ok(card.number):
            raise InvalidCard("the card number is mistyped (its check digit is wrong)")
        if card.number in PROCESSOR_ERROR:
            raise ProcessorUnavailable("the processor had an error handling the card; retry")
        if card.number in EXPIRED or card.expired_on(self._clock()):
            raise CardExpired(f"the card ending {card.last4} has expired")
        if card.number in DECLINED:
            raise CardDeclined(f"the card ending {card.last4} was declined: "
                               f"{DECLINED[card.number]}")
        if len(card.cvc) != (4 if card.number[:2] in ("34", "37") else 3):
            raise InvalidCard("the CVC has the wrong number of digits for this card")
