"""Tariffs: what a fax call to a destination costs, before (quote) and after (cost).

How it works: a tariff table (CSV) gives, for every destination region that
phonenumbers knows, a price per minute, a billing increment (the first
``first_increment_s`` seconds, then steps of ``next_increment_s``) and a
minimum per call. The package ships ``tariffs.csv`` with list prices; an
operator replaces it with :meth:`TariffTable.load` or ``$PYFAX_TARIFFS``.

:meth:`TariffTable.quote` estimates a call before dialling from the expected
line time: ``SETUP_S`` for the call set-up and end (T.30 phases B and E)
plus, per page, the seconds of :data:`SECONDS_PER_PAGE` for its resolution.
Those figures assume a typical A4 business letter at 9600 bit/s (V.29), so
the quote is on the high side of a V.17 call and the hold usually covers it.
:meth:`TariffTable.cost` prices the measured line time after the call.

Pricing, with ``t`` the line time in seconds (``t <= 0``: nothing)::

    billed_s = first                                   if t <= first
             = first + ceil((t - first) / step) * step otherwise
    price    = max(minimum, round_half_up(per_minute * billed_s / 60))
"""

from __future__ import annotations

import csv
import enum
import io
import math
import os
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

import phonenumbers

from pyfax.billing.money import Money, check_currency, quantize
from pyfax.errors import BillingError, TariffError

__all__ = ["SECONDS_PER_PAGE", "SETUP_S", "Price", "Resolution", "Tariff", "TariffTable"]


class Resolution(enum.Enum):
    """Vertical resolution of the pages (T.30 DCS bits; T.4 clause 2)."""

    STANDARD = "standard"    # 3.85 lines/mm, ~98 dpi
    FINE = "fine"            # 7.7 lines/mm, ~196 dpi
    SUPERFINE = "superfine"  # 15.4 lines/mm, ~392 dpi


#: Expected line seconds per A4 page at 9600 bit/s, by resolution.
SECONDS_PER_PAGE: dict[Resolution, int] = {
    Resolution.STANDARD: 25, Resolution.FINE: 45, Resolution.SUPERFINE: 90,
}
#: Expected line seconds for call set-up (phase B) and release (phase E).
SETUP_S = 15

_COLUMNS = ("region", "country_code", "currency", "per_minute", "first_increment_s",
            "next_increment_s", "minimum_per_call")


@dataclass(frozen=True)
class Tariff:
    """The price of calls to one destination region.

    Attributes:
        region: ISO 3166 region code as phonenumbers names it (``"BE"``).
        country_code: the ITU E.164 country calling code (32 for Belgium).
        per_minute: price per minute of line time, in ``currency``.
        currency: ISO 4217 code of the prices.
        first_increment_s: the first billing step (also the shortest call billed).
        next_increment_s: the following billing steps.
        minimum: the least a connected call costs.
    """

    region: str
    country_code: int
    per_minute: Decimal
    currency: str
    first_increment_s: int
    next_increment_s: int
    minimum: Decimal

    def billed_seconds(self, line_time_s: float) -> int:
        """Seconds billed for ``line_time_s`` of line time (see module docstring)."""
        if not math.isfinite(line_time_s) or line_time_s < 0:
            raise BillingError(f"line time {line_time_s!r} s must be a finite, non-negative")
        if line_time_s == 0:
            return 0
        extra = max(0.0, line_time_s - self.first_increment_s)
        return self.first_increment_s + math.ceil(extra / self.next_increment_s) * (
            self.next_increment_s)

    def price(self, line_time_s: float) -> Money:
        """The price of a call of ``line_time_s`` seconds, rounded to the minor unit."""
        billed = self.billed_seconds(line_time_s)
        if billed == 0:
            return Money(quantize(Decimal(0), self.currency), self.currency)
        amount = quantize(self.per_minute * billed / 60, self.currency)
        return Money(max(amount, self.minimum), self.currency)


@dataclass(frozen=True)
class Price:
    """A quote or a cost.

    Attributes:
        tariff: the tariff applied.
        line_time_s: the expected (quote) or measured (cost) line time.
        billed_s: the seconds billed after the increments.
        price: the amount, in the tariff's currency.
    """

    tariff: Tariff
    line_time_s: float
    billed_s: int
    price: Money


def _parse_row(row: dict[str, str], line: int) -> Tariff:
    try:
        tariff = Tariff(
            region=row["region"].strip().upper(),
            country_code=int(row["country_code"]),
            per_minute=Decimal(row["per_minute"]),
            currency=check_currency(row["currency"].strip()),
            first_increment_s=int(row["first_increment_s"]),
            next_increment_s=int(row["next_increment_s"]),
            minimum=Decimal(row["minimum_per_call"]),
        )
    except (KeyError, ValueError, TypeError, InvalidOperation, BillingError) as exc:
        raise TariffError(f"tariff line {line}: {exc!s} in {row!r}") from None
    numbers = (tariff.per_minute, tariff.minimum)
    if any(not n.is_finite() or n < 0 for n in numbers):
        raise TariffError(f"tariff line {line}: prices must be non-negative")
    if tariff.first_increment_s <= 0 or tariff.next_increment_s <= 0:
        raise TariffError(f"tariff line {line}: billing increments must be positive")
    if phonenumbers.country_code_for_region(tariff.region) != tariff.country_code:
        raise TariffError(f"tariff line {line}: {tariff.region} is not +{tariff.country_code}")
    return tariff


class TariffTable:
    """Tariffs by destination region, with quotes and costs for E.164 numbers."""

    def __init__(self, tariffs: dict[str, Tariff], source: str) -> None:
        self._by_region = dict(tariffs)
        self.source = source

    @classmethod
    def parse(cls, text: str, source: str = "<text>") -> TariffTable:
        """Parse CSV text with the columns of the shipped ``tariffs.csv``."""
        lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
        reader = csv.DictReader(io.StringIO("\n".join(lines)))
        if reader.fieldnames is None or set(_COLUMNS) - set(reader.fieldnames):
            raise TariffError(f"{source}: the header must name {', '.join(_COLUMNS)}")
        tariffs: dict[str, Tariff] = {}
        for line, row in enumerate(reader, start=2):
            tariff = _parse_row(row, line)
            if tariff.region in tariffs:
                raise TariffError(f"{source} line {line}: {tariff.region} appears twice")
            tariffs[tariff.region] = tariff
        return cls(tariffs, source)

    @classmethod
    def load(cls, path: str | Path) -> TariffTable:
        """Read an operator's tariff CSV."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise TariffError(f"cannot read tariff file {path}: {exc.strerror}") from None
        return cls.parse(text, str(path))

    @classmethod
    def default(cls) -> TariffTable:
        """``$PYFAX_TARIFFS`` if set, else the table shipped in the package."""
        override = os.environ.get("PYFAX_TARIFFS")
        if override:
            return cls.load(override)
        text = resources.files("pyfax.billing").joinpath("tariffs.csv").read_text("utf-8")
        return cls.parse(text, "pyfax/billing/tariffs.csv")

    def regions(self) -> list[str]:
        """The regions priced, sorted."""
        return sorted(self._by_region)

    def tariff_for_region(self, region: str) -> Tariff:
        """The tariff of a region code such as ``"BE"``."""
        try:
            return self._by_region[region.upper()]
        except KeyError:
            raise TariffError(f"no tariff for region {region!r} in {self.source}") from None

    def tariff_for(self, number: object) -> Tariff:
        """The tariff for an E.164 number (``"+3222345678"`` or a value with ``.e164``)."""
        text = str(getattr(number, "e164", number))
        try:
            parsed = phonenumbers.parse(text, None)
        except phonenumbers.NumberParseException:
            raise TariffError(f"{text!r} is not an E.164 number (+ and digits)") from None
        region = phonenumbers.region_code_for_number(parsed) or (
            phonenumbers.region_code_for_country_code(parsed.country_code or 0))
        if region in (None, "ZZ", "001"):
            raise TariffError(f"no tariff for {text!r}: not a country destination")
        return self.tariff_for_region(region)

    def quote(self, number: object, pages: int, resolution: Resolution | str) -> Price:
        """Estimate the price of sending ``pages`` pages to ``number`` before dialling."""
        try:
            res = Resolution(resolution)
        except ValueError:
            raise BillingError(f"unknown resolution {resolution!r}") from None
        if not isinstance(pages, int) or pages < 1:
            raise BillingError(f"a quote needs at least one page, not {pages!r}")
        line_time_s = float(SETUP_S + pages * SECONDS_PER_PAGE[res])
        return _priced(self.tariff_for(number), line_time_s)

    def cost(self, number: object, line_time_s: float) -> Price:
        """The real price of a call from its measured line time."""
        return _priced(self.tariff_for(number), line_time_s)


def _priced(tariff: Tariff, line_time_s: float) -> Price:
    """The :class:`Price` of ``line_time_s`` seconds under ``tariff``."""
    return Price(tariff, line_time_s, tariff.billed_seconds(line_time_s),
                 tariff.price(line_time_s))
