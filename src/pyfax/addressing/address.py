"""The fax address ``<322123456@fax>``: parse once at the edge, then a typed value.

How it works: an address is the international number without ``+`` (ITU-T
E.164: country code, then the national significant number, no trunk prefix)
as the local part, and ``fax`` as the domain, in any case. Parsing accepts
what people type (display names, spaces, dots, dashes, ``FAX``) and checks
the number with phonenumbers (see :mod:`pyfax.addressing._numbers`). A
:class:`FaxAddress` formats itself as E.164 (``+3222345678``), for display
(``+32 2 234 56 78``) and back as ``<3222345678@fax>``.
"""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers as pn

from pyfax.addressing._numbers import Checked, check_digits, fax_form
from pyfax.addressing._split import parse_entry
from pyfax.errors import AddressError, InvalidFaxAddress

__all__ = ["FAX_DOMAIN", "AddressPolicy", "FaxAddress"]

FAX_DOMAIN = "fax"
MAX_ENTRY_CHARS = 1000


@dataclass(frozen=True)
class AddressPolicy:
    """Operator settings for address checks.

    Attributes:
        allow_unknown_ranges: accept numbers that have a possible length for
            their country but that the phonenumbers metadata does not know as
            valid (new ranges). The length check is always enforced.
        default_region: region (e.g. ``"BE"``) whose national numbers are
            recognised when the country code is missing, to suggest the fix.
    """

    allow_unknown_ranges: bool = False
    default_region: str | None = None

    def __post_init__(self) -> None:
        if self.default_region is not None and (
                self.default_region not in pn.SUPPORTED_REGIONS):
            raise AddressError(f"unknown default region {self.default_region!r}")


DEFAULT_POLICY = AddressPolicy()


def split_fax_address(address: str) -> str | None:
    """The local part if ``address`` is in the fax domain, else ``None``.

    >>> split_fax_address("32 2 234 56 78@FAX")
    '32 2 234 56 78'
    >>> split_fax_address("bob@example.com") is None
    True
    """
    local, at, domain = address.rpartition("@")
    if at and domain.strip().lower() == FAX_DOMAIN:
        return local
    return None


@dataclass(frozen=True)
class FaxAddress:
    """A checked fax number.

    Attributes:
        e164: the E.164 form, e.g. ``"+3222345678"``.
        region: the ISO 3166 region phonenumbers assigns, e.g. ``"BE"``.
    """

    e164: str
    region: str

    @classmethod
    def parse(cls, text: str, policy: AddressPolicy = DEFAULT_POLICY) -> FaxAddress:
        """Parse ``<322123456@fax>`` (with or without brackets or display name).

        Raises:
            InvalidFaxAddress: with ``reason`` and, when it can be guessed, the
                corrected address in ``suggestion``.
        """
        return cls._from_checked(parse_checked(text, policy))

    @classmethod
    def from_e164(cls, e164: str, policy: AddressPolicy = DEFAULT_POLICY) -> FaxAddress:
        """Check and wrap an E.164 number such as ``"+3222345678"``."""
        if not isinstance(e164, str) or not e164.startswith("+"):
            raise InvalidFaxAddress(str(e164), "an E.164 number starts with +")
        return cls.parse(f"{e164[1:]}@fax", policy)

    @classmethod
    def _from_checked(cls, checked: Checked) -> FaxAddress:
        return cls(checked.e164, checked.region)

    @property
    def digits(self) -> str:
        """The international digits without ``+``, e.g. ``"3222345678"``."""
        return self.e164[1:]

    @property
    def country_code(self) -> int:
        """The E.164 country code, e.g. 32."""
        return int(pn.parse(self.e164, None).country_code or 0)

    def international(self) -> str:
        """The international form for display, e.g. ``"+32 2 234 56 78"``."""
        return str(pn.format_number(pn.parse(self.e164, None),
                                    pn.PhoneNumberFormat.INTERNATIONAL))

    def fax_form(self) -> str:
        """The ``<...@fax>`` form, e.g. ``"<3222345678@fax>"``."""
        return fax_form(self.digits)

    def __str__(self) -> str:
        return self.fax_form()


def parse_checked(text: str, policy: AddressPolicy) -> Checked:
    """Check one entry that should be a fax address; return the number and warnings."""
    if not isinstance(text, str):
        raise InvalidFaxAddress(repr(text), "a fax address must be text")
    if len(text) > MAX_ENTRY_CHARS:
        raise InvalidFaxAddress(text[:40] + "...", "far too long for an address")
    entry = parse_entry(text)
    local = split_fax_address(entry.address)
    if local is None:
        suggestion = _bare_number_suggestion(entry.address, policy)
        reason = "a fax address ends in @fax, e.g. <3222345678@fax>"
        if suggestion:
            reason = f"a fax address ends in @fax: {suggestion}"
        raise InvalidFaxAddress(text.strip(), reason, suggestion)
    return check_digits(text.strip(), local, allow_unknown=policy.allow_unknown_ranges,
                        default_region=policy.default_region)


def _bare_number_suggestion(address: str, policy: AddressPolicy) -> str | None:
    """``<...@fax>`` for a number typed without ``@fax`` (``+`` tolerated)."""
    if "@" in address:
        return None
    local = address.strip().removeprefix("+")
    try:
        checked = check_digits(address, local, allow_unknown=policy.allow_unknown_ranges,
                               default_region=None)
    except InvalidFaxAddress:
        return None
    return fax_form(checked.e164[1:])
