"""The typed, frozen values the ledger returns: accounts, entries, holds, balances.

How it works: the ledger stores each entry's effect on two sums, the *total*
(money the account owns) and the *held* part (reserved by open holds), in
integer minor units. These classes turn those rows back into ``Decimal``
amounts in the account's currency. A balance is always derived from the
entries: ``total = sum(total_delta)``, ``held = sum(held_delta)``,
``available = total - held``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

__all__ = ["Account", "Balance", "Entry", "EntryKind", "Hold", "HoldState", "Settlement"]


class EntryKind(enum.Enum):
    """What an entry records. Effects on (total, held) in the account currency.

    * ``TOPUP``: money paid in (+total).
    * ``REFUND``: credit given back to the account, e.g. for a charged fax
      later found undelivered (+total).
    * ``ADJUSTMENT``: an operator correction, either sign (±total); it may
      never make the available balance negative.
    * ``HOLD``: credit reserved before a call (+held).
    * ``CHARGE``: closes a hold; takes the cost (-total) and frees the whole
      hold (-held). What was held but not charged is thereby released.
    * ``RELEASE``: closes a hold without charging (-held).
    """

    TOPUP = "topup"
    REFUND = "refund"
    ADJUSTMENT = "adjustment"
    HOLD = "hold"
    CHARGE = "charge"
    RELEASE = "release"


class HoldState(enum.Enum):
    """Whether a hold is still open, or how it was closed."""

    OPEN = "open"
    CHARGED = "charged"
    RELEASED = "released"


@dataclass(frozen=True)
class Account:
    """A prepaid account: its name and its one currency (ISO 4217)."""

    name: str
    currency: str
    opened_at: datetime


@dataclass(frozen=True)
class Entry:
    """One row of the append-only history.

    Attributes:
        id: position in the ledger (increasing).
        account: the account name.
        kind: what happened.
        total_delta: effect on the total balance (signed, account currency).
        held_delta: effect on the held amount (signed).
        currency: the account currency.
        reference: the idempotency reference (payment id, ``job-7/attempt-1``...).
        hold_id: for CHARGE and RELEASE, the id of the hold they close.
        created_at: UTC time of the entry.
        note: free text (operator note, requested amount...).
    """

    id: int
    account: str
    kind: EntryKind
    total_delta: Decimal
    held_delta: Decimal
    currency: str
    reference: str
    hold_id: int | None
    created_at: datetime
    note: str

    @property
    def amount(self) -> Decimal:
        """The entry's headline amount, as a person reads it (never negative).

        Top-up, refund: the credit. Hold: the amount reserved. Charge: the
        amount charged. Release: the amount freed. Adjustment: its absolute value.
        """
        if self.kind in (EntryKind.HOLD, EntryKind.RELEASE):
            return abs(self.held_delta)
        return abs(self.total_delta)


@dataclass(frozen=True)
class Hold:
    """Credit reserved for one call attempt.

    Attributes:
        id: the hold entry's id.
        account: the account name.
        amount: the amount reserved, in ``currency``.
        currency: the account currency.
        reference: the idempotency reference, e.g. ``"job-7/attempt-1"``.
        created_at: UTC time the hold was placed.
        state: open, charged or released, as of when this value was read.
    """

    id: int
    account: str
    amount: Decimal
    currency: str
    reference: str
    created_at: datetime
    state: HoldState


@dataclass(frozen=True)
class Settlement:
    """How a hold was closed.

    Attributes:
        hold: the hold (state as after closing).
        requested: the cost asked for (``settle``'s ``actual``; 0 for a release).
        charged: what was actually taken from the account. Equal to
            ``requested`` unless the account could not cover it (see
            ``uncollected``).
        released: the part of the hold given back to the available balance.
        uncollected: ``requested - charged``: cost above the hold that the
            account's available balance could not cover. The ledger never
            goes negative; the operator decides what to do with this.
        entry: the closing entry (CHARGE or RELEASE).
    """

    hold: Hold
    requested: Decimal
    charged: Decimal
    released: Decimal
    uncollected: Decimal
    entry: Entry


@dataclass(frozen=True)
class Balance:
    """An account balance, derived from its entries.

    Attributes:
        total: credit owned (top-ups + refunds + adjustments - charges).
        held: credit reserved by open holds.
        available: ``total - held``: what can be spent or held now.
        currency: the account currency.
        open_holds: how many holds are open.
    """

    total: Decimal
    held: Decimal
    available: Decimal
    currency: str
    open_holds: int
