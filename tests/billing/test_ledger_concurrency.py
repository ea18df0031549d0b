"""Eight processes holding and charging one account at once never overdraw it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from pyfax.billing import Entry, EntryKind, Ledger

WORKER = r"""
import json, os, random, sys, time
from decimal import Decimal
from pyfax.billing import Entry, EntryKind, Ledger
from pyfax.errors import InsufficientCredit
path, wid, n_ops = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(wid)
led = Ledger(path)
while not os.path.exists(path + ".go"):  # start together
    time.sleep(0.005)
tally = {"holds": 0, "refused": 0, "charged_minor": 0, "closings": 0, "topups_minor": 0}
for k in range(n_ops):
    amount = Decimal(rng.randint(50, 900)) / 100
    if wid == 0 and k % 10 == 0:
        led.credit("shared", Decimal("5.00"), reference=f"pay-{k}")
        tally["topups_minor"] += 500
    try:
        hold = led.hold("shared", amount, reference=f"job-{wid}-{k}/attempt-1")
    except InsufficientCredit:
        tally["refused"] += 1
        continue
    tally["holds"] += 1
    time.sleep(rng.random() * 0.004)  # the "call": other processes hold meanwhile
    if rng.random() < 0.25:
        led.release(hold)
    else:
        actual = amount * Decimal(rng.choice(["0.5", "1", "1.5"]))
        s = led.settle(hold, actual.quantize(Decimal("0.01")))
        tally["charged_minor"] += int(s.charged * 100)
    tally["closings"] += 1
print(json.dumps(tally))
"""

Checker = Callable[[Path, str], tuple[int, int]]
N_PROCS = 8
N_OPS = 150


def _max_concurrent_workers(entries: list[Entry]) -> int:
    """Most distinct worker processes that had a hold open at the same moment."""
    open_by: dict[int, str] = {}
    most = 0
    for e in entries:
        if e.kind is EntryKind.HOLD:
            open_by[e.id] = e.reference.split("-")[1]
        elif e.hold_id is not None:
            del open_by[e.hold_id]
        most = max(most, len(set(open_by.values())))
    return most


@pytest.mark.slow
def test_eight_processes_never_overdraw(tmp_path: Path, invariants: Checker) -> None:
    path = tmp_path / "shared.db"
    with Ledger(path) as led:
        led.open_account("shared", currency="EUR")
        led.credit("shared", Decimal("60.00"), reference="initial")
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    procs = [
        subprocess.Popen([sys.executable, str(script), str(path), str(w), str(N_OPS)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for w in range(N_PROCS)
    ]
    Path(str(path) + ".go").touch()
    tallies = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        tallies.append(json.loads(out))
    total, held = invariants(path, "shared")
    assert held == 0
    n_holds = sum(t["holds"] for t in tallies)
    assert sum(t["refused"] for t in tallies) > 0, "the account never ran dry: test too weak"
    charged = sum(t["charged_minor"] for t in tallies)
    topups = 6000 + sum(t["topups_minor"] for t in tallies)
    assert total == topups - charged
    with Ledger(path) as led:
        entries = led.entries("shared")
        bal = led.balance("shared")
    n_topups = 1 + sum(t["topups_minor"] for t in tallies) // 500
    assert len(entries) == n_topups + 2 * n_holds  # nothing lost, nothing extra
    assert bal.total == sum(e.total_delta for e in entries) == Decimal(total) / 100
    assert bal.available >= 0
    assert _max_concurrent_workers(entries) >= 2, "holds never overlapped: test too weak"


def test_invariant_checker_catches_overdraft(tmp_path: Path, invariants: Checker) -> None:
    path = tmp_path / "c.db"
    with Ledger(path) as led:
        led.open_account("a")
        led.credit("a", Decimal("1.00"), reference="p")
        led.hold("a", Decimal("1.00"), reference="h")
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER entries_close_matches_hold")
    conn.execute("INSERT INTO entries (account, kind, total_minor, held_minor, reference, "
                 "created_at) VALUES ('a', 'hold', 0, 50, 'h2', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(AssertionError):
        invariants(path, "a")
