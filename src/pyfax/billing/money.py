"""Money: a ``Decimal`` amount with an ISO 4217 currency, never a float.

How it works: every currency the billing layer handles has a number of minor
units (2 for EUR, 0 for JPY, 3 for KWD, from ISO 4217). Amounts stored in the
ledger must be exact in those units; the ledger keeps them as integer minor
units so that SQL sums are exact. Conversions and tariff arithmetic round
half-up to the minor unit, once, at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation

from pyfax.errors import InvalidAmount, UnknownCurrency

__all__ = ["MINOR_UNITS", "Money", "check_currency", "from_minor", "quantize", "to_minor"]

#: ISO 4217 minor units of the currencies the billing layer supports.
MINOR_UNITS: dict[str, int] = {
    "EUR": 2, "USD": 2, "GBP": 2, "CHF": 2, "JPY": 0, "SEK": 2, "NOK": 2, "DKK": 2,
    "PLN": 2, "CZK": 2, "HUF": 2, "RON": 2, "CAD": 2, "AUD": 2, "NZD": 2, "INR": 2,
    "CNY": 2, "BRL": 2, "ZAR": 2, "MXN": 2, "SGD": 2, "HKD": 2, "KWD": 3, "BHD": 3,
}


def check_currency(currency: str) -> str:
    """Return ``currency`` if it is a supported ISO 4217 code, else raise.

    >>> check_currency("EUR")
    'EUR'
    """
    if not isinstance(currency, str) or currency not in MINOR_UNITS:
        raise UnknownCurrency(str(currency))
    return currency


def _as_decimal(amount: Decimal | int | str) -> Decimal:
    if isinstance(amount, (float, bool)):
        raise InvalidAmount(f"amount {amount!r} must be a Decimal, int or str, never a float")
    try:
        value = Decimal(amount)
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidAmount(f"amount {amount!r} is not a number") from None
    if not value.is_finite():
        raise InvalidAmount(f"amount {amount!r} is not finite")
    return value


def quantize(amount: Decimal, currency: str, *, up: bool = False) -> Decimal:
    """Round ``amount`` to the minor unit of ``currency`` (half-up, or up).

    >>> quantize(Decimal("1.005"), "EUR")
    Decimal('1.01')
    >>> quantize(Decimal("1.001"), "EUR", up=True)
    Decimal('1.01')
    """
    exp = Decimal(1).scaleb(-MINOR_UNITS[check_currency(currency)])
    return amount.quantize(exp, rounding=ROUND_CEILING if up else ROUND_HALF_UP)


def to_minor(amount: Decimal | int | str, currency: str) -> int:
    """Convert an exact amount to integer minor units; raise if it is finer.

    >>> to_minor(Decimal("25.10"), "EUR")
    2510
    """
    value = _as_decimal(amount)
    scaled = value.scaleb(MINOR_UNITS[check_currency(currency)])
    if scaled != scaled.to_integral_value():
        raise InvalidAmount(
            f"{value} {currency} is finer than the currency's minor unit; round it first"
        )
    return int(scaled)


def from_minor(minor: int, currency: str) -> Decimal:
    """Convert integer minor units back to a ``Decimal`` amount.

    >>> from_minor(2510, "EUR")
    Decimal('25.10')
    """
    exponent = MINOR_UNITS[check_currency(currency)]
    return Decimal(minor).scaleb(-exponent).quantize(Decimal(1).scaleb(-exponent))


@dataclass(frozen=True)
class Money:
    """An amount of money in one currency.

    Attributes:
        amount: the amount, a ``Decimal`` (may be finer than the minor unit
            for prices; the ledger only accepts exact minor units).
        currency: ISO 4217 code, e.g. ``"EUR"``.
    """

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", _as_decimal(self.amount))
        check_currency(self.currency)

    def rounded(self) -> Money:
        """This amount rounded half-up to the currency's minor unit."""
        return Money(quantize(self.amount, self.currency), self.currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
