"""A contact: a name and typed numbers, and whether (and why not) it can be faxed.

How it works: contacts keep numbers the way people write them, in
international notation (``+32 2 234 56 78``), each with a type: fax, phone,
mobile or other. :meth:`Contact.fax_address` gives the ``<...@fax>`` address
of the first fax-typed number that passes the checks of
:mod:`pyfax.addressing`; when there is none, :meth:`Contact.why_not_faxable`
says why in the words of the help text, with the fix: the number is not in
international format, it has a leading 0 before the area code, or it is typed
"phone" and not "fax".
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from pyfax.addressing import AddressPolicy, FaxAddress, InvalidFaxAddress
from pyfax.errors import ContactError

__all__ = ["Contact", "NumberType", "TypedNumber"]

_DROPPED = str.maketrans("", "", " .-/\t\u00a0")
MAX_NAME_CHARS = 200
MAX_NUMBER_CHARS = 60


class NumberType(enum.Enum):
    """The type of a contact's number (vCard TEL types)."""

    FAX = "fax"
    PHONE = "phone"
    MOBILE = "mobile"
    OTHER = "other"


@dataclass(frozen=True)
class TypedNumber:
    """One number of a contact, as written, with its type."""

    kind: NumberType
    number: str

    def __post_init__(self) -> None:
        if not isinstance(self.kind, NumberType):
            raise ContactError(f"number type must be a NumberType, not {self.kind!r}")
        if not isinstance(self.number, str) or not self.number.strip():
            raise ContactError("a contact number must be non-empty text")
        if len(self.number) > MAX_NUMBER_CHARS:
            raise ContactError(f"number {self.number[:20]!r}... is too long")


def _intl_suggestion(suggestion: str | None) -> str | None:
    return FaxAddress.parse(suggestion).international() if suggestion else None


def check_number(number: str, policy: AddressPolicy) -> FaxAddress:
    """Check a number written in contact notation (``+32 2 234 56 78``).

    Raises:
        InvalidFaxAddress: with a reason in contact notation and the fix.
    """
    text = number.strip()
    compact = text.replace("(0)", "0").translate(_DROPPED).replace("(", "").replace(")", "")
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not compact.startswith("+"):
        guess = _national_guess(compact, policy)
        fix = f": write it as {guess}" if guess else ": write it with + and the country code"
        raise InvalidFaxAddress(text, f"the number is not in international format{fix}", guess)
    try:
        return FaxAddress.parse(f"{compact[1:]}@fax", policy)
    except InvalidFaxAddress as exc:
        better = _intl_suggestion(exc.suggestion)
        reason = exc.reason.split(": <")[0]
        raise InvalidFaxAddress(text, f"{reason}: {better}" if better else reason,
                                better) from None


def _national_guess(compact: str, policy: AddressPolicy) -> str | None:
    if policy.default_region is None:
        return None
    try:
        FaxAddress.parse(f"{compact}@fax", policy)
    except InvalidFaxAddress as exc:
        return _intl_suggestion(exc.suggestion)
    return None


@dataclass(frozen=True)
class Contact:
    """An address-book entry.

    Attributes:
        name: the contact's name (1 to 200 characters).
        numbers: its typed numbers, in order of preference.
        organization: optional company name.
    """

    name: str
    numbers: tuple[TypedNumber, ...] = field(default_factory=tuple)
    organization: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ContactError("a contact needs a name")
        if len(self.name) > MAX_NAME_CHARS:
            raise ContactError(f"contact name {self.name[:20]!r}... is too long")
        object.__setattr__(self, "numbers", tuple(self.numbers))

    def numbers_of(self, kind: NumberType) -> list[str]:
        """The numbers of one type, in order."""
        return [n.number for n in self.numbers if n.kind is kind]

    def fax_number(self, policy: AddressPolicy | None = None) -> FaxAddress | None:
        """The first fax-typed number that passes the checks, or ``None``."""
        for number in self.numbers_of(NumberType.FAX):
            try:
                return check_number(number, policy or AddressPolicy())
            except InvalidFaxAddress:
                continue
        return None

    def fax_address(self, policy: AddressPolicy | None = None) -> str | None:
        """The ``<...@fax>`` address of the contact's fax number, or ``None``."""
        found = self.fax_number(policy)
        return None if found is None else found.fax_form()

    def why_not_faxable(self, policy: AddressPolicy | None = None) -> str | None:
        """Why :meth:`fax_address` gives nothing, with the fix; ``None`` if it is faxable."""
        policy = policy or AddressPolicy()
        faxes = self.numbers_of(NumberType.FAX)
        if faxes:
            if self.fax_number(policy) is not None:
                return None
            try:
                check_number(faxes[0], policy)
            except InvalidFaxAddress as exc:
                return f"the fax number {faxes[0]}: {exc.reason}"
        for kind in (NumberType.PHONE, NumberType.OTHER, NumberType.MOBILE):
            for number in self.numbers_of(kind):
                return (f'the number {number} is typed "{kind.value}", not "fax": if it is a '
                        'fax line, change its type to fax')
        return f"{self.name} has no fax number: add one, typed fax, in international format"
