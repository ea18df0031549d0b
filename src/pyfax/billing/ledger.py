"""The prepaid credit ledger: accounts, top-ups, holds, charges, releases.

How it works: every change is one append-only entry in SQLite (see
:mod:`pyfax.billing._store`); the balance is always derived by summing
entries, never stored. Every write runs in a ``BEGIN IMMEDIATE`` transaction
that reads the available balance and appends the entry under the same write
lock, so concurrent processes can neither overdraw an account nor lose an
entry. Every write is idempotent by its ``reference``: repeating the same call
returns the original result; reusing a reference for something different
raises :class:`ReferenceConflict`. Credit never expires: no code path here
or elsewhere writes an expiry.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from types import TracebackType

from pyfax.billing import _rows, fx
from pyfax.billing._store import connect, write_txn
from pyfax.billing._write import close_hold, insert_entry, repeat_close
from pyfax.billing.money import Money, check_currency, from_minor, to_minor
from pyfax.billing.records import (
    Account,
    Balance,
    Entry,
    EntryKind,
    Hold,
    Settlement,
)
from pyfax.errors import (
    BillingError,
    CurrencyMismatch,
    HoldAlreadySettled,
    InsufficientCredit,
    InvalidAmount,
    ReferenceConflict,
    UnknownHold,
)

__all__ = ["MINIMUM_TO_SEND", "Ledger"]

#: Nothing is sent while the available balance is below this (or its equivalent).
MINIMUM_TO_SEND = Money(Decimal("10.00"), "EUR")

Amount = Decimal | Money
Resolver = Callable[[Hold], Decimal | None]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Ledger:
    """A prepaid credit ledger in one SQLite file.

    Args:
        path: the SQLite file, created if missing (its directory must exist).
        minimum_to_send: the available balance below which
            :meth:`check_can_send` refuses; converted to each account's currency
            with the dated exchange rates.
        clock: returns the current UTC time (injectable for tests).
        timeout_s: how long a write waits for another process's lock.

    One object may be shared by threads: each thread gets its own connection,
    and SQLite's locking serialises them exactly as it does processes (an
    in-memory ``":memory:"`` ledger is per thread, for tests only).
    """

    def __init__(
        self,
        path: str | Path,
        *,
        minimum_to_send: Money = MINIMUM_TO_SEND,
        clock: Callable[[], datetime] = _utcnow,
        timeout_s: float = 60.0,
    ) -> None:
        self.path = Path(path)
        self._minimum = minimum_to_send
        self._clock = clock
        self._timeout_s = timeout_s
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._opened_lock = threading.Lock()
        self._closed = False
        with write_txn(self._conn):
            fx.seed_defaults(self._conn)

    # -- lifecycle --------------------------------------------------------

    @property
    def _conn(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise BillingError(f"the ledger {self.path} is closed")
            conn = connect(self.path, timeout_s=self._timeout_s)
            self._local.conn = conn
            with self._opened_lock:
                self._opened.append(conn)
        return conn

    def close(self) -> None:
        """Close the database connections (of every thread)."""
        with self._opened_lock:
            for conn in self._opened:
                conn.close()
            self._opened.clear()
            self._closed = True
        self._local = threading.local()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _now(self) -> str:
        return self._clock().astimezone(UTC).isoformat()

    def _today(self) -> date:
        return self._clock().astimezone(UTC).date()

    # -- accounts ---------------------------------------------------------

    def open_account(self, name: str, currency: str = "EUR") -> Account:
        """Open an account, or return it if it already exists in that currency.

        Raises:
            CurrencyMismatch: it exists in another currency.
            UnknownCurrency: ``currency`` is not supported.
        """
        check_currency(currency)
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            raise BillingError(f"account name {name!r} must be 1 to 200 characters")
        with write_txn(self._conn):
            self._conn.execute(
                "INSERT OR IGNORE INTO accounts (name, currency, opened_at) VALUES (?, ?, ?)",
                (name, currency, self._now()),
            )
            acct = _rows.account(self._conn, name)
        if acct.currency != currency:
            raise CurrencyMismatch(expected=acct.currency, got=currency)
        return acct

    def account(self, name: str) -> Account:
        """The account called ``name`` (raises :class:`UnknownAccount`)."""
        return _rows.account(self._conn, name)

    def accounts(self) -> list[Account]:
        """Every account, by name."""
        rows = self._conn.execute("SELECT name FROM accounts ORDER BY name").fetchall()
        return [_rows.account(self._conn, r[0]) for r in rows]

    # -- reads ------------------------------------------------------------

    def balance(self, name: str) -> Balance:
        """Total, held and available credit, derived from the entries."""
        return _rows.balance(self._conn, name)

    def entries(self, name: str, *, limit: int | None = None) -> list[Entry]:
        """The account's append-only history, oldest first (last ``limit`` if given)."""
        if limit is not None and limit < 0:
            raise BillingError(f"limit {limit} must not be negative")
        return _rows.entries(self._conn, name, limit)

    def get_hold(self, reference: str) -> Hold:
        """The hold placed with ``reference``, with its current state."""
        entry = _rows.entry_by(self._conn, "e.kind = 'hold' AND e.reference = ?", (reference,))
        if entry is None:
            raise UnknownHold(f"no hold with reference {reference!r}")
        return _rows.hold_from_entry(self._conn, entry)

    def find_entry(self, kind: EntryKind, reference: str) -> Entry | None:
        """The entry of ``kind`` written under ``reference``, if any."""
        return _rows.entry_by(
            self._conn, "e.kind = ? AND e.reference = ?", (kind.value, reference)
        )

    def open_holds(self, name: str | None = None) -> list[Hold]:
        """Holds not yet charged or released (all accounts if ``name`` is None)."""
        return _rows.open_holds(self._conn, name)

    # -- money in ---------------------------------------------------------

    def credit(self, name: str, amount: Amount, *, reference: str, note: str = "") -> Entry:
        """Add paid-in credit (a top-up). Idempotent by ``reference``.

        Args:
            name: the account.
            amount: positive, in the account currency (a ``Money`` in another
                currency raises :class:`CurrencyMismatch`).
            reference: the payment's unique id, e.g. the processor charge id.
            note: free text kept with the entry.
        """
        return self._append_credit(EntryKind.TOPUP, name, amount, reference, note)

    def refund(self, name: str, amount: Amount, *, reference: str, note: str = "") -> Entry:
        """Give credit back to the account (e.g. a charged fax found undelivered)."""
        return self._append_credit(EntryKind.REFUND, name, amount, reference, note)

    def adjust(self, name: str, amount: Amount, *, reference: str, note: str) -> Entry:
        """Operator correction of either sign; never makes ``available`` negative."""
        with write_txn(self._conn):
            cur = _rows.account(self._conn, name).currency
            minor = self._minor(amount, cur, allow_negative=True)
            found = self._existing(EntryKind.ADJUSTMENT, reference, name, minor, 0)
            if found is not None:
                return found
            available = _rows.available_minor(self._conn, name)
            if available + minor < 0:
                raise InsufficientCredit(
                    f"adjustment of {from_minor(minor, cur)} {cur} exceeds the available "
                    f"{from_minor(available, cur)} {cur}",
                    shortfall=from_minor(-(available + minor), cur), currency=cur,
                )
            return insert_entry(self._conn, name, EntryKind.ADJUSTMENT, minor, 0, reference,
                                now=self._now(), note=note)

    def _append_credit(
        self, kind: EntryKind, name: str, amount: Amount, reference: str, note: str
    ) -> Entry:
        with write_txn(self._conn):
            cur = _rows.account(self._conn, name).currency
            minor = self._minor(amount, cur)
            found = self._existing(kind, reference, name, minor, 0)
            if found is not None:
                return found
            return insert_entry(self._conn, name, kind, minor, 0, reference, now=self._now(),
                                note=note)

    # -- sending ----------------------------------------------------------

    def minimum_to_send(self, name: str) -> Money:
        """The minimum available balance to send, in the account's currency."""
        cur = _rows.account(self._conn, name).currency
        return fx.convert_up(self._conn, self._minimum, cur, self._today())

    def check_can_send(self, name: str) -> Balance:
        """Return the balance if the account may send, else raise.

        Raises:
            InsufficientCredit: available balance below the minimum; ``shortfall``
                says how much to add.
        """
        bal = self.balance(name)
        minimum = self.minimum_to_send(name)
        if bal.available < minimum.amount:
            shortfall = minimum.amount - bal.available
            raise InsufficientCredit(
                f"account {name!r} has {bal.available} {bal.currency} available; sending "
                f"needs at least {minimum}: add {shortfall} {bal.currency}",
                shortfall=shortfall, currency=bal.currency,
            )
        return bal

    def hold(self, name: str, amount: Amount, *, reference: str) -> Hold:
        """Reserve ``amount`` for one call attempt. Idempotent by ``reference``.

        A zero hold is allowed (a destination priced at nothing); settling it
        above zero then takes the cost from the available balance.

        Raises:
            InsufficientCredit: ``amount`` exceeds the available balance.
            ReferenceConflict: ``reference`` was used for another hold.
        """
        with write_txn(self._conn):
            cur = _rows.account(self._conn, name).currency
            minor = self._minor(amount, cur, allow_zero=True)  # a free destination
            found = self._existing(EntryKind.HOLD, reference, name, 0, minor)
            if found is not None:
                return _rows.hold_from_entry(self._conn, found)
            available = _rows.available_minor(self._conn, name)
            if minor > available:
                raise InsufficientCredit(
                    f"hold of {from_minor(minor, cur)} {cur} exceeds the available "
                    f"{from_minor(available, cur)} {cur}",
                    shortfall=from_minor(minor - available, cur), currency=cur,
                )
            entry = insert_entry(self._conn, name, EntryKind.HOLD, 0, minor, reference,
                                 now=self._now())
            return _rows.hold_from_entry(self._conn, entry)

    def settle(self, hold: Hold, actual: Amount) -> Settlement:
        """Charge the actual cost of a call and release the rest of its hold.

        ``actual`` of zero releases the hold (an attempt that sent no page is
        never charged). If ``actual`` exceeds the hold, the excess is taken
        from the available balance as far as it goes, never below zero; any
        remainder is reported as ``uncollected``. Repeating the same settle
        returns the first result.

        Raises:
            HoldAlreadySettled: the hold was released, or charged another amount.
        """
        with write_txn(self._conn):
            current = self._same_hold(hold)
            asked = self._minor(actual, current.currency, allow_zero=True)
            state, closing = _rows.hold_state(self._conn, current.id)
            if closing is not None:
                return repeat_close(self._conn, current, state, closing, asked)
            return close_hold(self._conn, current, asked, now=self._now())

    def release(self, hold: Hold) -> Settlement:
        """Release a hold without charging. Releasing twice is harmless.

        Raises:
            HoldAlreadySettled: the hold was already charged.
        """
        with write_txn(self._conn):
            current = self._same_hold(hold)
            state, closing = _rows.hold_state(self._conn, current.id)
            if closing is not None:
                return repeat_close(self._conn, current, state, closing, 0)
            return close_hold(self._conn, current, 0, now=self._now())

    def recover(
        self, resolve: Resolver | None = None, *, older_than_s: float = 0.0
    ) -> list[Settlement]:
        """Close holds left open by a process that died between hold and settle.

        Args:
            resolve: called with each open hold; returns the cost to charge
                (the job layer knows whether pages were sent) or ``None`` to
                release it. Without it every stale hold is released.
            older_than_s: only holds at least this old are touched, so that
                calls still in progress in other processes are left alone.

        Returns:
            One settlement per hold closed. Safe to run concurrently and
            repeatedly: closing is idempotent.
        """
        now = self._clock().astimezone(UTC)
        done = []
        for hold in self.open_holds():
            if (now - hold.created_at).total_seconds() < older_than_s:
                continue
            cost = resolve(hold) if resolve is not None else None
            try:
                done.append(self.release(hold) if cost is None else self.settle(hold, cost))
            except HoldAlreadySettled:
                continue  # closed meanwhile by its own process
        return done

    # -- exchange rates ---------------------------------------------------

    def set_exchange_rate(self, currency: str, units_per_eur: Decimal, as_of: date) -> None:
        """Record the rate of ``currency`` (units per 1 EUR) in force from ``as_of``."""
        with write_txn(self._conn):
            fx.store_rate(self._conn, fx.ExchangeRate(currency, Decimal(units_per_eur), as_of))

    def exchange_rate(self, currency: str, on: date | None = None) -> fx.ExchangeRate:
        """The rate of ``currency`` in force on ``on`` (default today)."""
        return fx.rate_on(self._conn, currency, on or self._today())

    def convert(self, money: Money, currency: str) -> Money:
        """Express ``money`` in ``currency`` at today's rate, rounded half-up."""
        return fx.convert(self._conn, money, check_currency(currency), self._today())

    # -- internals --------------------------------------------------------

    def _minor(
        self, amount: Amount, currency: str, *, allow_zero: bool = False,
        allow_negative: bool = False,
    ) -> int:
        if isinstance(amount, Money):
            if amount.currency != currency:
                raise CurrencyMismatch(expected=currency, got=amount.currency)
            amount = amount.amount
        minor = to_minor(amount, currency)
        if minor < 0 and not allow_negative:
            raise InvalidAmount(f"amount {amount} must not be negative")
        if minor == 0 and not allow_zero:
            raise InvalidAmount("amount must not be zero")
        return minor

    def _same_hold(self, hold: Hold) -> Hold:
        """The stored hold matching ``hold`` (a Hold of another ledger file is refused)."""
        current = _rows.hold_by_id(self._conn, hold.id)
        if (current.reference, current.account) != (hold.reference, hold.account):
            raise UnknownHold(f"hold {hold.reference!r} is not in the ledger {self.path}")
        return current

    def _existing(
        self, kind: EntryKind, reference: str, name: str, total_minor: int, held_minor: int
    ) -> Entry | None:
        if not isinstance(reference, str) or not reference.strip() or len(reference) > 400:
            raise BillingError("a reference (idempotency key) of 1 to 400 characters is required")
        found = self.find_entry(kind, reference)
        if found is None:
            return None
        cur = found.currency
        if (
            found.account != name
            or to_minor(found.total_delta, cur) != total_minor
            or to_minor(found.held_delta, cur) != held_minor
        ):
            raise ReferenceConflict(
                reference, f"{found.kind.value} of {found.amount} {cur} on {found.account!r}"
            )
        return found
