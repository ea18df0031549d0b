"""Shared fixtures for the billing tests: ledger invariants read straight from SQLite."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest


def check_invariants(path: Path, account: str) -> tuple[int, int]:
    """Replay the account's entries in order and assert the ledger invariants.

    After every entry (each one committed in its own transaction) the total
    and the available balance are non-negative, and each hold is closed at
    most once by an entry releasing exactly what it held. Returns the final
    (total, held) in minor units.
    """
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = conn.execute(
        "SELECT id, kind, total_minor, held_minor, hold_id FROM entries WHERE account = ? "
        "ORDER BY id", (account,)).fetchall()
    conn.close()
    total = held = 0
    holds: dict[int, int] = {}
    closed: set[int] = set()
    for eid, kind, d_total, d_held, hold_id in rows:
        total += d_total
        held += d_held
        if kind == "hold":
            holds[eid] = d_held
        if kind in ("charge", "release"):
            assert hold_id in holds and hold_id not in closed, f"entry {eid} closes {hold_id}"
            assert -d_held == holds[hold_id]
            closed.add(hold_id)
        assert total >= 0 and held >= 0 and total - held >= 0, f"overdrawn at entry {eid}"
    assert held == sum(v for k, v in holds.items() if k not in closed)
    return total, held


@pytest.fixture
def invariants() -> Callable[[Path, str], tuple[int, int]]:
    """The :func:`check_invariants` function, for tests in this directory."""
    return check_invariants
