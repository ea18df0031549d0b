"""Top up a prepaid account by card, crediting exactly once.

How it works: one idempotency key names the whole top-up. It is passed to
the gateway (which never charges the same key twice) and it becomes the
ledger reference ``card:<key>`` (which never credits the same reference
twice). So whatever step a previous try died at, a retry with the same key
ends in exactly one charge and exactly one credit:

* died before the charge: the retry charges and credits;
* died after the charge, before the credit: the gateway replays the first
  receipt (no second charge) and the ledger credits;
* died after the credit: the ledger already has it; nothing is repeated.

If :func:`topup` raises anything other than a :class:`PaymentError`, the
card may have been charged: retry with the same key.
"""

from __future__ import annotations

from decimal import Decimal

from pyfax.billing.gateway import Card, PaymentGateway
from pyfax.billing.ledger import Ledger
from pyfax.billing.money import Money, to_minor
from pyfax.billing.records import Entry, EntryKind
from pyfax.errors import CurrencyMismatch, InvalidAmount

__all__ = ["MAX_TOPUP", "topup"]

#: Largest single top-up; converted to the account currency at the dated rate.
MAX_TOPUP = Money(Decimal("5000.00"), "EUR")


def topup(
    ledger: Ledger,
    account: str,
    amount: Decimal | Money,
    card: Card,
    gateway: PaymentGateway,
    idempotency_key: str,
) -> Entry:
    """Charge ``card`` and credit ``account`` with ``amount``, exactly once per key.

    Args:
        ledger: the ledger holding ``account``.
        account: the account to credit.
        amount: positive, in the account's currency.
        card: the card to charge.
        gateway: the card processor.
        idempotency_key: unique per top-up request (8 to 255 characters);
            reuse it, and only it, when retrying the same request.

    Returns:
        The ledger's TOPUP entry (the same entry on every retry).

    Raises:
        CardDeclined, CardExpired, InvalidCard, ProcessorUnavailable: nothing
            was charged or credited.
        InvalidAmount: zero, negative, finer than a cent, or above the limit.
    """
    currency = ledger.account(account).currency
    if isinstance(amount, Money):
        if amount.currency != currency:
            raise CurrencyMismatch(expected=currency, got=amount.currency)
        amount = amount.amount
    money = Money(amount, currency)
    if to_minor(money.amount, currency) <= 0:
        raise InvalidAmount(f"top-up amount {money} must be positive")
    limit = ledger.convert(MAX_TOPUP, currency)
    if money.amount > limit.amount:
        raise InvalidAmount(f"top-up {money} is above the {limit} limit per payment")
    reference = f"card:{idempotency_key}"
    if ledger.find_entry(EntryKind.TOPUP, reference) is not None:
        return ledger.credit(account, money, reference=reference)  # checks it matches
    receipt = gateway.charge(card, money, idempotency_key=idempotency_key)
    note = f"card ****{receipt.card_last4}, charge {receipt.charge_id}"
    return ledger.credit(account, money, reference=reference, note=note)
