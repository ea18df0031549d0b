"""Hypothesis: the balance is always the sum of the entries; available never goes negative."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    multiple,
    rule,
)

from pyfax.billing import Hold, Ledger
from pyfax.errors import HoldAlreadySettled, InsufficientCredit

cents = st.integers(min_value=1, max_value=3000).map(lambda c: Decimal(c) / 100)


class LedgerMachine(RuleBasedStateMachine):
    """Random sequences of ledger operations against a simple model."""

    holds = Bundle("holds")

    def __init__(self) -> None:
        super().__init__()
        self.ledger = Ledger(":memory:")
        self.ledger.open_account("a", currency="EUR")
        self.total = Decimal(0)
        self.open: dict[str, Decimal] = {}
        self.n = 0

    def _ref(self) -> str:
        self.n += 1
        return f"r{self.n}"

    @rule(amount=cents)
    def credit(self, amount: Decimal) -> None:
        ref = self._ref()
        self.ledger.credit("a", amount, reference=ref)
        self.ledger.credit("a", amount, reference=ref)   # a retry changes nothing
        self.total += amount

    @rule(target=holds, amount=cents)
    def hold(self, amount: Decimal) -> object:
        available = self.total - sum(self.open.values())
        try:
            h = self.ledger.hold("a", amount, reference=self._ref())
        except InsufficientCredit as exc:
            assert amount > available and exc.shortfall == amount - available
            return multiple()
        assert amount <= available
        self.open[h.reference] = amount
        return h

    @rule(h=consumes(holds), actual=st.integers(0, 6000).map(lambda c: Decimal(c) / 100))
    def settle(self, h: Hold, actual: Decimal) -> None:
        others = self.total - sum(self.open.values())
        s = self.ledger.settle(h, actual)
        assert s.charged == min(actual, h.amount + others)
        assert self.ledger.settle(h, actual).entry == s.entry
        self.total -= s.charged
        del self.open[h.reference]

    @rule(h=consumes(holds))
    def release(self, h: Hold) -> None:
        self.ledger.release(h)
        self.ledger.release(h)
        del self.open[h.reference]

    @rule(h=holds)
    def settle_closed_or_open(self, h: Hold) -> None:
        if h.reference in self.open:
            return
        try:
            self.ledger.settle(h, Decimal("99.99"))
        except HoldAlreadySettled:
            return
        raise AssertionError("a closed hold was charged again")

    @rule(amount=st.integers(-3000, 3000).filter(bool).map(lambda c: Decimal(c) / 100))
    def adjust(self, amount: Decimal) -> None:
        available = self.total - sum(self.open.values())
        try:
            self.ledger.adjust("a", amount, reference=self._ref(), note="test")
        except InsufficientCredit:
            assert available + amount < 0
            return
        self.total += amount

    @invariant()
    def balance_is_sum_of_entries(self) -> None:
        bal = self.ledger.balance("a")
        entries = self.ledger.entries("a")
        assert bal.total == sum((e.total_delta for e in entries), Decimal(0)) == self.total
        assert bal.held == sum((e.held_delta for e in entries), Decimal(0))
        assert bal.held == sum(self.open.values(), Decimal(0))
        assert bal.available == bal.total - bal.held
        assert bal.available >= 0 and bal.total >= 0
        assert bal.open_holds == len(self.open)

    def teardown(self) -> None:
        self.ledger.close()


LedgerMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=30,
                                           deadline=None)
TestLedgerMachine = LedgerMachine.TestCase
