"""Crash safety: a process SIGKILLed between hold and settle, or at any moment."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from pyfax.billing import EntryKind, HoldState, Ledger

Checker = Callable[[Path, str], tuple[int, int]]

HOLD_THEN_WAIT = r"""
import sys, time
from decimal import Decimal
from pyfax.billing import Ledger
led = Ledger(sys.argv[1])
led.hold("a", Decimal("1.50"), reference="job-42/attempt-1")
print("held", flush=True)
time.sleep(60)   # dialling... killed here
"""

BUSY_LOOP = r"""
import sys
from decimal import Decimal
from pyfax.billing import Ledger
from pyfax.errors import InsufficientCredit
led = Ledger(sys.argv[1])
run = sys.argv[2]
k = 0
while True:
    k += 1
    if k % 7 == 0:
        e = led.credit("a", Decimal("3.00"), reference=f"pay-{run}-{k}")
        print("entry", e.id, flush=True)
    try:
        h = led.hold("a", Decimal("0.80"), reference=f"job-{run}-{k}/attempt-1")
    except InsufficientCredit:
        continue
    print("entry", h.id, flush=True)
    s = led.settle(h, Decimal("0.55")) if k % 3 else led.release(h)
    print("entry", s.entry.id, flush=True)
"""


def _start(tmp_path: Path, code: str, *args: str) -> subprocess.Popen[str]:
    script = tmp_path / f"child{abs(hash(code)) % 1000}.py"
    script.write_text(code)
    return subprocess.Popen([sys.executable, str(script), *args], stdout=subprocess.PIPE,
                            text=True)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "credit.db"
    with Ledger(path) as led:
        led.open_account("a")
        led.credit("a", Decimal("20.00"), reference="initial")
    return path


def test_killed_between_hold_and_settle(tmp_path: Path, db: Path, invariants: Checker) -> None:
    child = _start(tmp_path, HOLD_THEN_WAIT, str(db))
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    with Ledger(db) as led:   # "the next start"
        stale = led.open_holds()
        assert [(h.reference, h.amount) for h in stale] == [("job-42/attempt-1", Decimal("1.50"))]
        assert led.balance("a").available == Decimal("18.50")
        # The job store says two pages went through: the job layer charges them, once.
        done = led.recover(lambda h: Decimal("1.10"))
        assert [s.charged for s in done] == [Decimal("1.10")]
        assert led.recover(lambda h: Decimal("1.10")) == []
        again = led.settle(stale[0], Decimal("1.10"))          # a retried settle
        assert again.entry == done[0].entry
        assert led.get_hold("job-42/attempt-1").state is HoldState.CHARGED
        assert led.balance("a").total == Decimal("18.90")
        kinds = [e.kind for e in led.entries("a")]
    assert kinds == [EntryKind.TOPUP, EntryKind.HOLD, EntryKind.CHARGE]
    assert invariants(db, "a") == (1890, 0)


@pytest.mark.slow
def test_killed_at_random_moments(tmp_path: Path, db: Path, invariants: Checker) -> None:
    rng = random.Random(1234)
    reported: list[int] = []
    for run in range(4):
        child = _start(tmp_path, BUSY_LOOP, str(db), str(run))
        assert child.stdout is not None
        reported.append(int(child.stdout.readline().split()[1]))  # working (imports done)
        deadline = time.monotonic() + rng.uniform(0.3, 0.8)
        while time.monotonic() < deadline:
            line = child.stdout.readline()
            reported.append(int(line.split()[1]))
        child.send_signal(signal.SIGKILL)
        reported.extend(int(ln.split()[1]) for ln in child.stdout.read().splitlines()
                        if ln.startswith("entry"))
        child.wait(timeout=10)
        invariants(db, "a")
        with Ledger(db) as led:
            assert len(led.open_holds()) <= 1
            led.recover()
            assert led.open_holds() == []
    with Ledger(db) as led:
        ids = {e.id for e in led.entries("a")}
        bal = led.balance("a")
        entries = led.entries("a")
    assert set(reported) <= ids, "an entry reported as committed was lost"
    assert len(reported) > 50, "the child did too little work: test too weak"
    assert bal.total == sum(e.total_delta for e in entries) and bal.held == 0
    total, held = invariants(db, "a")
    assert (Decimal(total) / 100, held) == (bal.total, 0)


CHARGE_THEN_DIE = r"""
import sys, time
from decimal import Decimal
from pyfax.billing import Card, Ledger, TestGateway, topup

class SlowCreditGateway(TestGateway):
    def charge(self, card, amount, *, idempotency_key):
        receipt = super().charge(card, amount, idempotency_key=idempotency_key)
        print("charged", flush=True)
        time.sleep(60)          # killed here: charged, not yet credited
        return receipt

led = Ledger(sys.argv[1])
card = Card.parse("4242424242424242", "12/30", "123")
topup(led, "a", Decimal("25.00"), card, SlowCreditGateway(sys.argv[2]), "topup-crash-0001")
"""


def test_topup_killed_between_charge_and_credit(tmp_path: Path, db: Path,
                                               invariants: Checker) -> None:
    from pyfax.billing import Card, TestGateway, topup

    processor = tmp_path / "processor.db"
    child = _start(tmp_path, CHARGE_THEN_DIE, str(db), str(processor))
    assert child.stdout is not None and child.stdout.readline().strip() == "charged"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    with Ledger(db) as led:
        assert led.balance("a").total == Decimal("20.00")       # charged but not credited
        gateway = TestGateway(processor)
        card = Card.parse("4242424242424242", "12/30", "123")
        entry = topup(led, "a", Decimal("25.00"), card, gateway, "topup-crash-0001")
        again = topup(led, "a", Decimal("25.00"), card, gateway, "topup-crash-0001")
        assert entry == again and gateway.n_charges == 0      # the card was charged once
        assert led.balance("a").total == Decimal("45.00")
    invariants(db, "a")
