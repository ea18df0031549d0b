"""Validate the number part of a fax address with phonenumbers (ITU-T E.164).

How it works: the local part of ``<322123456@fax>`` is the full international
number without ``+``: country code (E.164 clause 6) then the national
significant number, with no trunk prefix. Spaces, dots, dashes, slashes and
brackets are dropped. Then, in order, each check gives a reason a person can
act on, and the corrected address when one can be guessed:

1. characters: letters, ``+``, a ``00`` international prefix;
2. a leading 0 (the country code is missing);
3. the country code, and a trunk prefix written after it ("remove the 0
   before the area code");
4. the length, always enforced ("too short for Belgium");
5. validity against the numbering-plan metadata (an operator setting may
   relax only this check, for ranges the metadata does not know yet).

Mobile and premium-rate numbers pass with a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers as pn
from phonenumbers import geocoder

from pyfax.errors import InvalidFaxAddress

__all__ = ["Checked", "check_digits", "country_name", "fax_form"]

_DROPPED = str.maketrans("", "", " .-/()\t\u00a0")
_MAX_DIGITS = 17  # E.164 clause 6.1: at most 15 digits; leave room for a stray trunk prefix
_R = pn.ValidationResult
_CALLING_CODES = frozenset(pn.supported_calling_codes())  # built once, not per number


@dataclass(frozen=True)
class Checked:
    """A number that passed: E.164 form, region and warnings."""

    e164: str
    region: str
    warnings: tuple[str, ...]


def fax_form(digits: str) -> str:
    """The ``<...@fax>`` form of international digits.

    >>> fax_form("3222345678")
    '<3222345678@fax>'
    """
    return f"<{digits}@fax>"


def country_name(region: str) -> str:
    """The English name of a region code, e.g. ``"Belgium"`` for ``"BE"``."""
    try:
        name = geocoder._region_display_name(region, "en")
    except Exception:  # private helper of phonenumbers: fall back to the code
        name = ""
    return str(name) if name else region


def _fail(entry: str, reason: str, suggestion: str | None = None) -> InvalidFaxAddress:
    return InvalidFaxAddress(entry, f"{reason}: {suggestion}" if suggestion else reason,
                             suggestion)


def _country_code(digits: str) -> int | None:
    for n in (1, 2, 3):  # country codes are prefix-free (E.164 clause 6.2.1)
        if len(digits) > n and int(digits[:n]) in _CALLING_CODES:
            return int(digits[:n])
    return None


def _suggest(digits: str, allow_unknown: bool) -> str | None:
    """The fax form of ``digits`` if those digits pass every check, else ``None``."""
    try:
        check_digits(digits, digits, allow_unknown=allow_unknown, default_region=None)
    except InvalidFaxAddress:
        return None
    return fax_form(digits)


def _national_guess(digits: str, region: str | None, allow_unknown: bool) -> str | None:
    """Digits read as a national number of ``region``, as an international suggestion."""
    if region is None:
        return None
    try:
        num = pn.parse(digits, region)
    except pn.NumberParseException:
        return None
    if not pn.is_valid_number(num):
        return None
    return _suggest(f"{num.country_code}{pn.national_significant_number(num)}", allow_unknown)


def check_digits(
    entry: str, local: str, *, allow_unknown: bool, default_region: str | None
) -> Checked:
    """Check the local part of a fax address.

    Args:
        entry: the whole entry as typed (for error messages).
        local: the part before ``@fax``.
        allow_unknown: accept numbers of a possible length that the metadata
            does not know as valid (operator setting).
        default_region: region whose national numbers may be suggested when
            the country code is missing (e.g. ``"BE"``), or ``None``.

    Raises:
        InvalidFaxAddress: with the reason and, where one can be guessed, the fix.
    """
    compact = local.translate(_DROPPED)
    if not compact:
        raise _fail(entry, "the number is missing")
    if any(ch.isalpha() for ch in compact):
        raise _fail(entry, "letters are not allowed")
    if compact.startswith("+"):
        raise _fail(entry, "leave out the +", _suggest(compact[1:], allow_unknown))
    if not compact.isdigit() or not compact.isascii():
        raise _fail(entry, "only digits, spaces, dots and dashes are allowed in the number")
    if len(compact) > _MAX_DIGITS:
        raise _fail(entry, "too long for a telephone number (at most 15 digits)")
    if compact.startswith("00"):
        raise _fail(entry, "leave out the 00 international prefix",
                    _suggest(compact[2:], allow_unknown))
    if compact.startswith("0"):
        raise _fail(entry, "the country code is missing",
                    _national_guess(compact, default_region, allow_unknown))
    return _check_international(entry, compact, allow_unknown, default_region)


def _check_international(
    entry: str, digits: str, allow_unknown: bool, default_region: str | None
) -> Checked:
    def guess() -> str | None:  # only on a failure path: it re-parses the number
        return _national_guess(digits, default_region, allow_unknown)

    cc = _country_code(digits)
    if cc is None:
        raise _fail(entry, "the country code is missing", guess())
    national = digits[len(str(cc)):]
    region = pn.region_code_for_country_code(cc)
    try:
        num = pn.parse("+" + digits, None)
    except pn.NumberParseException:
        raise _fail(entry, f"too short for {country_name(region)}", guess()) from None
    nsn = pn.national_significant_number(num)
    if national != nsn and national.endswith(nsn) and nsn:
        prefix = national[: len(national) - len(nsn)]
        raise _fail(entry, f"remove the {prefix} before the area code",
                    _suggest(f"{cc}{nsn}", allow_unknown))
    _check_length(entry, num, region, guess)
    found = pn.region_code_for_number(num)
    warnings: list[str] = []
    if not pn.is_valid_number(num):
        suggestion = guess()
        if suggestion is not None:
            raise _fail(entry, "the country code is missing", suggestion)
        if not allow_unknown:
            raise _fail(entry, f"not a valid number in {country_name(region)}: "
                               "check the area code")
        warnings.append("this number is not in the numbering plan; sent anyway by operator "
                        "setting")
    kind = pn.number_type(num)
    if kind == pn.PhoneNumberType.MOBILE:
        warnings.append("this is a mobile number and probably not a fax")
    elif kind == pn.PhoneNumberType.PREMIUM_RATE:
        warnings.append("this is a premium-rate number: calls to it may cost much more")
    e164 = pn.format_number(num, pn.PhoneNumberFormat.E164)
    return Checked(e164, found or region, tuple(warnings))


def _check_length(entry: str, num: pn.PhoneNumber, region: str,
                  guess: Callable[[], str | None]) -> None:
    reason = pn.is_possible_number_with_reason(num)
    if reason == _R.IS_POSSIBLE:
        return
    suggestion = guess()
    if suggestion is not None:
        raise _fail(entry, "the country code is missing", suggestion)
    name = country_name(region)
    if reason in (_R.TOO_SHORT, _R.IS_POSSIBLE_LOCAL_ONLY):
        raise _fail(entry, f"too short for {name}")
    if reason == _R.TOO_LONG:
        raise _fail(entry, f"too long for {name}")
    raise _fail(entry, f"not a possible length for a number in {name}")
