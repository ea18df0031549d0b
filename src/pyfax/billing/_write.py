"""Writing entries and closing holds: the ledger's write-side helpers.

Every function here runs inside the caller's ``BEGIN IMMEDIATE`` transaction
(:func:`pyfax.billing._store.write_txn`), so what it reads (the available
balance, whether a hold is closed) cannot change before it writes.

Closing a hold writes exactly one entry: a CHARGE that takes the cost and
frees the whole hold, or a RELEASE that frees it without charging. A cost
above the hold is taken from the available balance as far as it goes; the
rest is reported as ``uncollected``, and the account never goes negative.
"""

from __future__ import annotations

import sqlite3

from pyfax.billing import _rows
from pyfax.billing.money import from_minor, to_minor
from pyfax.billing.records import Entry, EntryKind, Hold, HoldState, Settlement
from pyfax.errors import HoldAlreadySettled

__all__ = ["close_hold", "insert_entry", "repeat_close"]


def insert_entry(
    conn: sqlite3.Connection, name: str, kind: EntryKind, total_minor: int, held_minor: int,
    reference: str, *, now: str, hold_id: int | None = None, note: str = "",
    requested_minor: int | None = None,
) -> Entry:
    """Append one entry and return it as stored."""
    cursor = conn.execute(
        "INSERT INTO entries (account, kind, total_minor, held_minor, requested_minor, "
        "reference, hold_id, created_at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (name, kind.value, total_minor, held_minor, requested_minor, reference, hold_id,
         now, note),
    )
    entry = _rows.entry_by(conn, "e.id = ?", (cursor.lastrowid,))
    assert entry is not None  # just inserted in this transaction
    return entry


def close_hold(conn: sqlite3.Connection, hold: Hold, asked: int, *, now: str) -> Settlement:
    """Close an open hold, charging ``asked`` minor units (0: release)."""
    cur = hold.currency
    held = to_minor(hold.amount, cur)
    if asked == 0:
        entry = insert_entry(conn, hold.account, EntryKind.RELEASE, 0, -held, hold.reference,
                             now=now, hold_id=hold.id, note="released")
        return _settlement(hold, HoldState.RELEASED, entry, 0, 0)
    others = _rows.available_minor(conn, hold.account)
    charged = min(asked, held + others)
    entry = insert_entry(conn, hold.account, EntryKind.CHARGE, -charged, -held, hold.reference,
                         now=now, hold_id=hold.id, requested_minor=asked,
                         note=f"requested {from_minor(asked, cur)} {cur}")
    return _settlement(hold, HoldState.CHARGED, entry, asked, charged)


def repeat_close(
    conn: sqlite3.Connection, hold: Hold, state: HoldState, closing: Entry, asked: int
) -> Settlement:
    """The first result again if a closed hold is asked to close the same way, else raise.

    Raises:
        HoldAlreadySettled: released and now asked to charge, or charged for
            another amount, or charged and now asked to release.
    """
    cur = hold.currency
    if state is HoldState.CHARGED:
        before = _rows.requested_minor(conn, closing.id)
        if asked != before:
            raise HoldAlreadySettled(
                hold.reference, f"charged {closing.amount} {cur} for a requested "
                f"{from_minor(before, cur)} {cur}")
        return _settlement(hold, state, closing, asked, to_minor(closing.amount, cur))
    if asked != 0:
        raise HoldAlreadySettled(hold.reference, "released without charge")
    return _settlement(hold, state, closing, 0, 0)


def _settlement(hold: Hold, state: HoldState, entry: Entry, asked: int, charged: int
                ) -> Settlement:
    cur = hold.currency
    held = to_minor(hold.amount, cur)
    closed = Hold(hold.id, hold.account, hold.amount, cur, hold.reference,
                  hold.created_at, state)
    return Settlement(
        hold=closed, requested=from_minor(asked, cur), charged=from_minor(charged, cur),
        released=from_minor(max(held - charged, 0), cur),
        uncollected=from_minor(asked - charged, cur), entry=entry,
    )
