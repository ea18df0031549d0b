"""Dated exchange rates, used to state the 10 EUR rule and prices in any currency.

How it works: the ``fx_rates`` table of the ledger's SQLite file holds rows
(currency, units per 1 EUR, as-of date). A new row never overwrites an older
one: the rate in force on a day is the newest row dated on or before it, so
every past conversion can be explained. On first use the table is seeded from
the ``fx_rates.json`` shipped in this package; operators add newer rows with
:meth:`pyfax.billing.Ledger.set_exchange_rate`.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import resources

from pyfax.billing.money import Money, check_currency, quantize
from pyfax.errors import InvalidAmount, UnknownCurrency

__all__ = ["ExchangeRate", "convert", "rate_on", "seed_defaults", "store_rate"]


@dataclass(frozen=True)
class ExchangeRate:
    """How many units of ``currency`` buy 1 EUR, as of a date."""

    currency: str
    units_per_eur: Decimal
    as_of: date


def _shipped() -> list[ExchangeRate]:
    text = resources.files("pyfax.billing").joinpath("fx_rates.json").read_text("utf-8")
    data = json.loads(text)
    as_of = date.fromisoformat(data["as_of"])
    return [ExchangeRate(cur, Decimal(val), as_of) for cur, val in data["rates"].items()]


def seed_defaults(conn: sqlite3.Connection) -> None:
    """Insert the shipped rates if the table has no row for a currency yet."""
    for rate in _shipped():
        conn.execute(
            "INSERT INTO fx_rates (currency, units_per_eur, as_of) SELECT ?, ?, ? "
            "WHERE NOT EXISTS (SELECT 1 FROM fx_rates WHERE currency = ?)",
            (rate.currency, str(rate.units_per_eur), rate.as_of.isoformat(), rate.currency),
        )


def store_rate(conn: sqlite3.Connection, rate: ExchangeRate) -> None:
    """Add a dated rate (replacing only a row of the very same date)."""
    check_currency(rate.currency)
    if not rate.units_per_eur.is_finite() or rate.units_per_eur <= 0:
        raise InvalidAmount(f"exchange rate {rate.units_per_eur} must be positive")
    if rate.currency == "EUR" and rate.units_per_eur != 1:
        raise InvalidAmount("EUR is the base: its rate is always 1")
    conn.execute(
        "INSERT OR REPLACE INTO fx_rates (currency, units_per_eur, as_of) VALUES (?, ?, ?)",
        (rate.currency, str(rate.units_per_eur), rate.as_of.isoformat()),
    )


def rate_on(conn: sqlite3.Connection, currency: str, day: date) -> ExchangeRate:
    """The rate in force on ``day``: the newest row dated on or before it.

    If every row is dated after ``day`` (a clock set in the past), the oldest
    row is used rather than refusing service.
    """
    check_currency(currency)
    row = conn.execute(
        "SELECT units_per_eur, as_of FROM fx_rates WHERE currency = ? AND as_of <= ? "
        "ORDER BY as_of DESC LIMIT 1",
        (currency, day.isoformat()),
    ).fetchone()
    if row is None:
        row = conn.execute(
            "SELECT units_per_eur, as_of FROM fx_rates WHERE currency = ? "
            "ORDER BY as_of ASC LIMIT 1",
            (currency,),
        ).fetchone()
    if row is None:
        raise UnknownCurrency(currency)
    return ExchangeRate(currency, Decimal(row[0]), date.fromisoformat(row[1]))


def convert(conn: sqlite3.Connection, money: Money, currency: str, day: date) -> Money:
    """Convert ``money`` to ``currency`` through EUR, rounded half-up to the minor unit."""
    if money.currency == currency:
        return money.rounded()
    src = rate_on(conn, money.currency, day).units_per_eur
    dst = rate_on(conn, currency, day).units_per_eur
    return Money(quantize(money.amount / src * dst, currency), currency)


def convert_up(conn: sqlite3.Connection, money: Money, currency: str, day: date) -> Money:
    """Like :func:`convert` but rounded up: used for thresholds (never below)."""
    src = rate_on(conn, money.currency, day).units_per_eur
    dst = rate_on(conn, currency, day).units_per_eur
    return Money(quantize(money.amount / src * dst, currency, up=True), currency)
