"""The delivery layer's use of :mod:`pyfax.billing`: quote, hold, settle, release.

Holds are keyed ``job-<id>/attempt-<n>``. Settling and releasing look the
hold up by that key, and both are idempotent in the ledger, so a worker that
resumes a job after a crash can repeat them without charging twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from pyfax.billing import Hold, HoldState, Ledger, Money, Resolution, TariffTable
from pyfax.delivery._pages import StoredPage
from pyfax.errors import BillingError, UnknownHold

__all__ = ["call_cost", "currency", "hold", "quote_amount", "release", "settle"]


def _resolution(pages: Sequence[StoredPage]) -> Resolution:
    """The tariff's resolution class of the finest page (by vertical dpi)."""
    y_dpi = max((p.resolution.y_dpi for p in pages), default=196)
    if y_dpi < 150:
        return Resolution.STANDARD
    return Resolution.FINE if y_dpi < 250 else Resolution.SUPERFINE


def currency(ledger: Ledger, account: str) -> str:
    """The account's ISO 4217 currency."""
    return ledger.account(account).currency


def _in_account_currency(ledger: Ledger, account: str, price: Money) -> Decimal:
    money = ledger.convert(price, currency(ledger, account)).rounded()
    return money.amount


def quote_amount(ledger: Ledger, tariffs: TariffTable, account: str, e164: str,
                 pages: Sequence[StoredPage]) -> Decimal:
    """The amount to hold before dialling, in the account's currency."""
    quote = tariffs.quote(e164, len(pages), _resolution(pages))
    return _in_account_currency(ledger, account, quote.price)


def call_cost(ledger: Ledger, tariffs: TariffTable, account: str, e164: str,
              line_time_s: float) -> Decimal:
    """The tariff for the measured line time, in the account's currency."""
    return _in_account_currency(ledger, account, tariffs.cost(e164, line_time_s).price)


def hold(ledger: Ledger, account: str, amount: Decimal, reference: str) -> None:
    """Reserve ``amount`` under ``reference`` (idempotent)."""
    ledger.hold(account, amount, reference=reference)


def _find(ledger: Ledger, reference: str) -> Hold | None:
    try:
        return ledger.get_hold(reference)
    except UnknownHold:  # the attempt ended before it held anything
        return None


def settle(ledger: Ledger, account: str, reference: str, cost: Decimal) -> None:
    """Charge ``cost`` against the hold ``reference`` (repeating is harmless)."""
    found = _find(ledger, reference)
    if found is None:
        raise BillingError(f"no hold {reference!r} on account {account!r} to settle")
    ledger.settle(found, cost)


def release(ledger: Ledger, account: str, reference: str) -> None:
    """Release the hold ``reference`` if there is one and it is open."""
    found = _find(ledger, reference)
    if found is not None and found.state is HoldState.OPEN:
        ledger.release(found)
