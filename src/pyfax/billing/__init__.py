"""Prepaid credit billing: ledger, holds, card top-ups, tariffs and quotes.

Money is :class:`~decimal.Decimal` with an ISO 4217 currency, never a float.
The :class:`Ledger` keeps an append-only history in SQLite (WAL mode); every
balance is derived from it. Credit never expires.

The sending flow (what ``pyfax.delivery.send()`` does for each attempt)::

    from pyfax.billing import Ledger, TariffTable, Resolution
    ledger, tariffs = Ledger(db_path), TariffTable.default()
    ledger.check_can_send(acct)                     # InsufficientCredit below 10 EUR
    quote = tariffs.quote(e164, pages, Resolution.FINE)  # a Price; .price is Money
    price = ledger.convert(quote.price, ledger.account(acct).currency)
    hold = ledger.hold(acct, price, reference=f"job-{job_id}/attempt-{n}")
    result = call()                                 # dial, send pages
    if result.delivered:                            # MCF after EOP
        cost = tariffs.cost(e164, result.line_time_s).price
        ledger.settle(hold, ledger.convert(cost, hold.currency))
    else:
        ledger.release(hold)                        # not delivered: never charged

Why this is safe against crashes and retries:

* ``hold`` is idempotent by reference: re-running an attempt after a crash
  with the same ``job-<id>/attempt-<n>`` returns the same hold (it never
  reserves twice).
* ``settle`` and ``release`` close a hold exactly once (enforced by a unique
  index): repeating the same settle returns the first result, so a success is
  charged once however often the job layer retries the bookkeeping.
* A process killed between ``hold`` and ``settle`` leaves an *open* hold with
  its reference. The delivery worker that next claims the job releases it by
  that reference (the attempt was never confirmed). A caller without a job
  store can use ``ledger.recover(resolve, older_than_s=...)``: ``resolve(hold)``
  returns the cost to charge, or ``None`` to release.
* Top-ups go through :func:`topup` with an idempotency key that is both the
  processor's key and the ledger reference; a retry after a crash between the
  card charge and the credit charges the card once and credits once.

Settling above the hold: the excess is taken from the available balance as
far as it goes and the account never goes negative; what could not be
collected is reported in ``Settlement.uncollected``.
"""

from pyfax.billing.fx import ExchangeRate
from pyfax.billing.gateway import Card, ChargeReceipt, PaymentGateway, RefundReceipt, TestGateway
from pyfax.billing.ledger import MINIMUM_TO_SEND, Ledger
from pyfax.billing.money import Money
from pyfax.billing.paths import default_db_path, ensure_db_path
from pyfax.billing.records import (
    Account,
    Balance,
    Entry,
    EntryKind,
    Hold,
    HoldState,
    Settlement,
)
from pyfax.billing.tariffs import SECONDS_PER_PAGE, SETUP_S, Price, Resolution, Tariff, TariffTable
from pyfax.billing.topup import MAX_TOPUP, topup

__all__ = [
    "MAX_TOPUP",
    "MINIMUM_TO_SEND",
    "SECONDS_PER_PAGE",
    "SETUP_S",
    "Account",
    "Balance",
    "Card",
    "ChargeReceipt",
    "Entry",
    "EntryKind",
    "ExchangeRate",
    "Hold",
    "HoldState",
    "Ledger",
    "Money",
    "PaymentGateway",
    "Price",
    "RefundReceipt",
    "Resolution",
    "Settlement",
    "Tariff",
    "TariffTable",
    "TestGateway",
    "default_db_path",
    "ensure_db_path",
    "topup",
]
