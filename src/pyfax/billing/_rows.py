"""Row <-> record conversion and the read queries shared by the ledger.

All amounts in the database are integer minor units of the account currency;
these helpers turn rows into the frozen records of :mod:`pyfax.billing.records`.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from pyfax.billing.money import from_minor
from pyfax.billing.records import Account, Balance, Entry, EntryKind, Hold, HoldState
from pyfax.errors import UnknownAccount, UnknownHold

ENTRY_COLUMNS = (
    "e.id, e.account, e.kind, e.total_minor, e.held_minor, a.currency, "
    "e.reference, e.hold_id, e.created_at, e.note"
)
_ENTRY_FROM = f"SELECT {ENTRY_COLUMNS} FROM entries e JOIN accounts a ON a.name = e.account"

Row = tuple[int, str, str, int, int, str, str, int | None, str, str]


def entry_from_row(row: Row) -> Entry:
    """Build an :class:`Entry` from a row selected with :data:`ENTRY_COLUMNS`."""
    eid, account, kind, total, held, cur, ref, hold_id, created, note = row
    return Entry(
        id=eid, account=account, kind=EntryKind(kind),
        total_delta=from_minor(total, cur), held_delta=from_minor(held, cur),
        currency=cur, reference=ref, hold_id=hold_id,
        created_at=datetime.fromisoformat(created), note=note,
    )


def account(conn: sqlite3.Connection, name: str) -> Account:
    """The account called ``name``, or :class:`UnknownAccount`."""
    row = conn.execute(
        "SELECT name, currency, opened_at FROM accounts WHERE name = ?", (name,)
    ).fetchone()
    if row is None:
        raise UnknownAccount(name)
    return Account(row[0], row[1], datetime.fromisoformat(row[2]))


def entry_by(conn: sqlite3.Connection, where: str, params: tuple[object, ...]) -> Entry | None:
    """The first entry matching ``where`` (SQL over alias ``e``), or ``None``."""
    row = conn.execute(f"{_ENTRY_FROM} WHERE {where} ORDER BY e.id LIMIT 1", params).fetchone()
    return None if row is None else entry_from_row(row)


def entries(conn: sqlite3.Connection, name: str, limit: int | None) -> list[Entry]:
    """The account's entries, oldest first (the last ``limit`` if given)."""
    account(conn, name)
    if limit is None:
        rows = conn.execute(f"{_ENTRY_FROM} WHERE e.account = ? ORDER BY e.id", (name,))
        return [entry_from_row(r) for r in rows]
    rows = conn.execute(
        f"{_ENTRY_FROM} WHERE e.account = ? ORDER BY e.id DESC LIMIT ?", (name, limit)
    )
    return [entry_from_row(r) for r in reversed(list(rows))]


def balance(conn: sqlite3.Connection, name: str) -> Balance:
    """The balance derived from the account's entries (one consistent read)."""
    acct = account(conn, name)
    total, held, n_open = conn.execute(
        "SELECT COALESCE(SUM(total_minor), 0), COALESCE(SUM(held_minor), 0), "
        "COALESCE(SUM(CASE kind WHEN 'hold' THEN 1 WHEN 'charge' THEN -1 "
        "WHEN 'release' THEN -1 ELSE 0 END), 0) FROM entries WHERE account = ?",
        (name,),
    ).fetchone()
    cur = acct.currency
    return Balance(
        total=from_minor(total, cur), held=from_minor(held, cur),
        available=from_minor(total - held, cur), currency=cur, open_holds=n_open,
    )


def available_minor(conn: sqlite3.Connection, name: str) -> int:
    """The available balance in minor units (call inside the write transaction)."""
    row = conn.execute(
        "SELECT COALESCE(SUM(total_minor - held_minor), 0) FROM entries WHERE account = ?",
        (name,),
    ).fetchone()
    return int(row[0])


def hold_state(conn: sqlite3.Connection, hold_id: int) -> tuple[HoldState, Entry | None]:
    """Whether the hold is open, or charged/released, with its closing entry."""
    closing = entry_by(conn, "e.hold_id = ?", (hold_id,))
    if closing is None:
        return HoldState.OPEN, None
    if closing.kind is EntryKind.CHARGE:
        return HoldState.CHARGED, closing
    return HoldState.RELEASED, closing


def hold_from_entry(conn: sqlite3.Connection, entry: Entry) -> Hold:
    """The :class:`Hold` of a HOLD entry, with its current state."""
    state, _ = hold_state(conn, entry.id)
    return Hold(
        id=entry.id, account=entry.account, amount=entry.held_delta,
        currency=entry.currency, reference=entry.reference,
        created_at=entry.created_at, state=state,
    )


def hold_by_id(conn: sqlite3.Connection, hold_id: int) -> Hold:
    """The hold whose entry id is ``hold_id``, or :class:`UnknownHold`."""
    entry = entry_by(conn, "e.id = ? AND e.kind = 'hold'", (hold_id,))
    if entry is None:
        raise UnknownHold(f"no hold with id {hold_id}")
    return hold_from_entry(conn, entry)


def open_holds(conn: sqlite3.Connection, name: str | None) -> list[Hold]:
    """Every open hold (of one account, or of all), oldest first."""
    where = "e.kind = 'hold' AND NOT EXISTS (SELECT 1 FROM entries c WHERE c.hold_id = e.id)"
    params: tuple[object, ...] = ()
    if name is not None:
        account(conn, name)
        where += " AND e.account = ?"
        params = (name,)
    rows = conn.execute(f"{_ENTRY_FROM} WHERE {where} ORDER BY e.id", params)
    return [
        Hold(
            id=e.id, account=e.account, amount=e.held_delta, currency=e.currency,
            reference=e.reference, created_at=e.created_at, state=HoldState.OPEN,
        )
        for e in map(entry_from_row, rows)
    ]


def requested_minor(conn: sqlite3.Connection, entry_id: int) -> int:
    """The cost that was asked for when a CHARGE entry was written."""
    row = conn.execute("SELECT requested_minor FROM entries WHERE id = ?", (entry_id,)).fetchone()
    return int(row[0]) if row and row[0] is not None else 0
