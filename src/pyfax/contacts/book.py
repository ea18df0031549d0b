"""The address book, stored in the same SQLite file as the credit ledger.

How it works: two tables of their own (``contacts`` and ``contact_numbers``)
in the pyfax database, opened in WAL mode with a busy timeout like the ledger
(which owns other tables of the same file). Saving a contact replaces its row
and numbers in one ``BEGIN IMMEDIATE`` transaction. Names are unique, compared
exactly.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from pyfax.contacts.contact import Contact, NumberType, TypedNumber
from pyfax.contacts.vcard import dump_vcards, load_vcards
from pyfax.errors import ContactError, UnknownContact

__all__ = ["AddressBook"]

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS contacts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        organization TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE IF NOT EXISTS contact_numbers (
        contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('fax', 'phone', 'mobile', 'other')),
        number TEXT NOT NULL,
        PRIMARY KEY (contact_id, position)
    )""",
)


class AddressBook:
    """Contacts in the pyfax SQLite file.

    Args:
        path: the database file (shared with :class:`pyfax.billing.Ledger`).
        timeout_s: how long a write waits for another process's lock.
    """

    def __init__(self, path: str | Path, *, timeout_s: float = 60.0) -> None:
        self.path = Path(path)
        try:
            self._conn = sqlite3.connect(str(path), timeout=timeout_s, isolation_level=None)
            self._conn.execute(f"PRAGMA busy_timeout = {int(timeout_s * 1000)}")
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            raise ContactError(f"cannot open the address book {path}: {exc}") from None
        with self._write():
            for statement in _SCHEMA:
                self._conn.execute(statement)

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    def __enter__(self) -> AddressBook:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[None]:
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise ContactError(f"the address book refused the change: {exc}") from exc

    def save(self, contact: Contact) -> Contact:
        """Add the contact, or replace the one of the same name."""
        with self._write():
            self._conn.execute("DELETE FROM contacts WHERE name = ?", (contact.name,))
            cur = self._conn.execute(
                "INSERT INTO contacts (name, organization) VALUES (?, ?)",
                (contact.name, contact.organization))
            self._conn.executemany(
                "INSERT INTO contact_numbers VALUES (?, ?, ?, ?)",
                [(cur.lastrowid, i, n.kind.value, n.number)
                 for i, n in enumerate(contact.numbers)])
        return contact

    def get(self, name: str) -> Contact:
        """The contact called ``name``, or :class:`UnknownContact`."""
        row = self._conn.execute(
            "SELECT id, name, organization FROM contacts WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise UnknownContact(f"no contact named {name!r}")
        return self._contact(row)

    def _contact(self, row: tuple[int, str, str]) -> Contact:
        numbers = self._conn.execute(
            "SELECT kind, number FROM contact_numbers WHERE contact_id = ? ORDER BY position",
            (row[0],)).fetchall()
        return Contact(row[1], tuple(TypedNumber(NumberType(k), n) for k, n in numbers), row[2])

    def all(self) -> list[Contact]:
        """Every contact, by name."""
        rows = self._conn.execute(
            "SELECT id, name, organization FROM contacts ORDER BY name").fetchall()
        return [self._contact(r) for r in rows]

    def find(self, text: str) -> list[Contact]:
        """Contacts whose name or organisation contains ``text`` (case-insensitive)."""
        needle = text.casefold()
        return [c for c in self.all()
                if needle in c.name.casefold() or needle in c.organization.casefold()]

    def remove(self, name: str) -> None:
        """Delete a contact (raises :class:`UnknownContact` if absent)."""
        with self._write():
            cur = self._conn.execute("DELETE FROM contacts WHERE name = ?", (name,))
            if cur.rowcount == 0:
                raise UnknownContact(f"no contact named {name!r}")

    def import_vcard(self, text: str) -> list[Contact]:
        """Save every contact of a vCard file; nothing is saved if any card is malformed."""
        contacts = load_vcards(text)
        for contact in contacts:
            self.save(contact)
        return contacts

    def export_vcard(self) -> str:
        """Every contact as vCard 3.0 text."""
        return dump_vcards(self.all())
