"""``pyfax rates [COUNTRY]``: the fax tariffs, for one destination or all of them.

COUNTRY is a region code (``BE``), a country name (``Belgium``) or a calling
code (``+32``). Each row shows the price per minute, the billing increments,
the minimum per call and a quote for one fine-resolution page.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pyfax.addressing import country_name
from pyfax.billing import SECONDS_PER_PAGE, SETUP_S, Resolution, Tariff, TariffTable
from pyfax.cli import EXIT_OK, EXIT_USAGE


def register(subparsers: Any) -> None:
    """Add the ``rates`` sub-command."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "rates", help="fax tariffs by destination",
        description="Show fax tariffs: per minute, billing increments, minimum per call.")
    p.add_argument("country", nargs="?", help="region code, country name or +calling code")
    p.add_argument("--tariffs", type=Path, default=None,
                   help="tariff CSV (default: $PYFAX_TARIFFS or the shipped table)")
    p.set_defaults(func=run)


def _matches(tariff: Tariff, query: str) -> bool:
    q = query.strip().casefold()
    if q.lstrip("+").isdigit():
        return tariff.country_code == int(q.lstrip("+"))
    return q in (tariff.region.casefold(), country_name(tariff.region).casefold())


def _row(t: Tariff) -> str:
    one_page = t.price(SETUP_S + SECONDS_PER_PAGE[Resolution.FINE])  # as TariffTable.quote
    return (f"{t.region:<3} {country_name(t.region)[:28]:<28} +{t.country_code:<4} "
            f"{t.per_minute:>6} {t.currency}/min  {t.first_increment_s}/{t.next_increment_s} s  "
            f"min {t.minimum:>5}  1 page ~{one_page.amount:>5} {t.currency}")


def run(args: argparse.Namespace) -> int:
    """Print the matching tariffs; returns the exit code."""
    table = TariffTable.load(args.tariffs) if args.tariffs else TariffTable.default()
    tariffs = [table.tariff_for_region(r) for r in table.regions()]
    if args.country:
        tariffs = [t for t in tariffs if _matches(t, args.country)]
        if not tariffs:
            print(f"pyfax rates: no tariff for {args.country!r}", file=sys.stderr)
            return EXIT_USAGE
    for t in tariffs:
        print(_row(t))
    return EXIT_OK
