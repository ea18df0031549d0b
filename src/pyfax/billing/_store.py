"""SQLite storage for the ledger: connection, schema and write transactions.

How it works: one SQLite file (stdlib ``sqlite3``) in WAL mode with
``synchronous=FULL``, so a committed entry survives a crash of the process or
the machine. The connection runs in autocommit mode and every write goes
through :func:`write_txn`, which opens ``BEGIN IMMEDIATE``: the write lock is
taken *before* the balance is read, so two processes can never both see the
same available balance and both spend it.

The schema itself defends the invariants, in case a bug in Python forgets:
entries cannot be updated or deleted (triggers), each kind has a sign rule
(CHECK), a reference is used once per kind (UNIQUE), a hold is closed at most
once (partial UNIQUE index), and a closing entry must release exactly the
amount its hold held, on the same account (trigger).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pyfax.errors import BillingError

__all__ = ["connect", "write_txn"]

SCHEMA_VERSION = 1

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS accounts (
        name TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 200),
        currency TEXT NOT NULL CHECK (length(currency) = 3),
        opened_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS entries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account TEXT NOT NULL REFERENCES accounts(name),
        kind TEXT NOT NULL,
        total_minor INTEGER NOT NULL,
        held_minor INTEGER NOT NULL,
        requested_minor INTEGER,
        reference TEXT NOT NULL CHECK (length(reference) BETWEEN 1 AND 400),
        hold_id INTEGER REFERENCES entries(id),
        created_at TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        CHECK (
            (kind = 'topup' AND total_minor > 0 AND held_minor = 0 AND hold_id IS NULL)
         OR (kind = 'refund' AND total_minor > 0 AND held_minor = 0 AND hold_id IS NULL)
         OR (kind = 'adjustment' AND total_minor <> 0 AND held_minor = 0 AND hold_id IS NULL)
         OR (kind = 'hold' AND total_minor = 0 AND held_minor >= 0 AND hold_id IS NULL)
         OR (kind = 'charge' AND total_minor < 0 AND held_minor <= 0 AND hold_id IS NOT NULL
             AND requested_minor >= -total_minor)
         OR (kind = 'release' AND total_minor = 0 AND held_minor <= 0 AND hold_id IS NOT NULL)
        )
    )""",
    "CREATE UNIQUE INDEX IF NOT EXISTS entries_kind_reference ON entries(kind, reference)",
    """CREATE UNIQUE INDEX IF NOT EXISTS entries_hold_closed_once ON entries(hold_id)
        WHERE kind IN ('charge', 'release')""",
    "CREATE INDEX IF NOT EXISTS entries_account ON entries(account, id)",
    """CREATE TRIGGER IF NOT EXISTS entries_no_update BEFORE UPDATE ON entries
        BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS entries_no_delete BEFORE DELETE ON entries
        BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS entries_close_matches_hold BEFORE INSERT ON entries
        WHEN NEW.kind IN ('charge', 'release')
        BEGIN SELECT RAISE(ABORT, 'closing entry does not match its hold')
            WHERE NOT EXISTS (SELECT 1 FROM entries h WHERE h.id = NEW.hold_id
                AND h.kind = 'hold' AND h.account = NEW.account
                AND h.held_minor = -NEW.held_minor); END""",
    """CREATE TABLE IF NOT EXISTS fx_rates (
        currency TEXT NOT NULL,
        units_per_eur TEXT NOT NULL,
        as_of TEXT NOT NULL,
        PRIMARY KEY (currency, as_of)
    )""",
)


def connect(path: str | Path, *, timeout_s: float) -> sqlite3.Connection:
    """Open (creating if needed) the database file and its ledger schema.

    Args:
        path: the SQLite file; its directory must exist.
        timeout_s: how long a writer waits for another writer's lock.

    Returns:
        A connection in autocommit mode (transactions are explicit).
    """
    try:
        conn = sqlite3.connect(str(path), timeout=timeout_s, isolation_level=None,
                               check_same_thread=False)  # only so that close() can close it
        conn.execute(f"PRAGMA busy_timeout = {int(timeout_s * 1000)}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        raise BillingError(f"cannot open the ledger {path}: {exc}") from None
    with write_txn(conn):
        for statement in _SCHEMA:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return conn


@contextmanager
def write_txn(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the block in a ``BEGIN IMMEDIATE`` transaction; roll back on any error.

    Raises:
        BillingError: the database refused (locked past the timeout, disk
            full, a schema rule broken); nothing was written.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.Error as exc:
        raise BillingError(f"the ledger database refused the change: {exc}") from exc
