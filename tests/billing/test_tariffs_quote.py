"""Tariffs: the shipped table covers every region; increments, minimums, quotes, costs."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import phonenumbers
import pytest

from pyfax.billing import SECONDS_PER_PAGE, SETUP_S, Resolution, TariffTable
from pyfax.errors import BillingError, TariffError

D = Decimal
HEADER = ("region,country_code,currency,per_minute,first_increment_s,next_increment_s,"
          "minimum_per_call\n")


def test_shipped_table_covers_every_region() -> None:
    table = TariffTable.default()
    assert set(table.regions()) == set(phonenumbers.SUPPORTED_REGIONS)


@pytest.fixture
def table() -> TariffTable:
    return TariffTable.parse(HEADER + "BE,32,EUR,0.60,30,6,0.20\nUS,1,USD,0.12,6,6,0.05\n"
                             "CA,1,USD,0.30,6,6,0.05\n")


@pytest.mark.parametrize(("line_time_s", "billed_s", "price"), [
    (0, 0, "0.00"),        # no connection, nothing
    (0.4, 30, "0.30"),     # first increment
    (30, 30, "0.30"),
    (30.01, 36, "0.36"),   # then every 6 s
    (36, 36, "0.36"),
    (95.5, 96, "0.96"),
])
def test_increments(table: TariffTable, line_time_s: float, billed_s: int, price: str) -> None:
    cost = table.cost("+3222345678", line_time_s)
    assert cost.billed_s == billed_s
    assert cost.price.amount == D(price) and cost.price.currency == "EUR"


def test_minimum_per_call(table: TariffTable) -> None:
    assert table.cost("+12125551234", 6).price.amount == D("0.05")   # 0.012 -> minimum
    assert table.cost("+12125551234", 60).price.amount == D("0.12")


def test_shared_country_code_uses_the_region(table: TariffTable) -> None:
    assert table.tariff_for("+14165550123").region == "CA"
    assert table.tariff_for("+12125551234").region == "US"


def test_quote_uses_documented_seconds_per_page(table: TariffTable) -> None:
    q = table.quote("+3222345678", 3, Resolution.FINE)
    assert q.line_time_s == SETUP_S + 3 * SECONDS_PER_PAGE[Resolution.FINE]
    assert q.price.amount == D("0.60") * D(q.billed_s) / 60
    assert table.quote("+3222345678", 3, "superfine").price.amount > q.price.amount


def test_quote_and_cost_errors(table: TariffTable) -> None:
    with pytest.raises(BillingError):
        table.quote("+3222345678", 0, Resolution.FINE)
    with pytest.raises(BillingError):
        table.quote("+3222345678", 1, "ultra")
    with pytest.raises(TariffError):
        table.cost("+33123456789", 10)           # not in this small table
    with pytest.raises(TariffError):
        table.cost("3222345678", 10)             # not E.164
    with pytest.raises(BillingError):
        table.cost("+3222345678", float("nan"))


@pytest.mark.parametrize("bad", [
    "region,price\nBE,1\n",
    HEADER + "BE,32,EUR,abc,30,6,0.2\n",
    HEADER + "BE,32,EUR,0.5,0,6,0.2\n",
    HEADER + "BE,32,EUR,-1,30,6,0.2\n",
    HEADER + "BE,33,EUR,0.5,30,6,0.2\n",
    HEADER + "BE,32,XXX,0.5,30,6,0.2\n",
    HEADER + "BE,32,EUR,0.5,30,6,0.2\nBE,32,EUR,0.5,30,6,0.2\n",
])
def test_bad_tariff_files_are_refused(bad: str) -> None:
    with pytest.raises(TariffError):
        TariffTable.parse(bad)


def test_operator_replaces_the_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "t.csv"
    path.write_text(HEADER + "BE,32,EUR,1.20,60,60,1.00\n")
    monkeypatch.setenv("PYFAX_TARIFFS", str(path))
    assert TariffTable.default().cost("+3222345678", 61).price.amount == D("2.40")
    with pytest.raises(TariffError):
        TariffTable.load(tmp_path / "missing.csv")
