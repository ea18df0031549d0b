"""To/Cc/Bcc parsing: fax recipients, plain e-mail recipients, problems and warnings.

How it works: each field is split into entries (RFC 5322 address-list rules,
see :mod:`pyfax.addressing._split`). An entry whose address is in the
``fax`` domain is checked as a fax number; any other entry with an ``@`` is an
e-mail recipient, returned as typed for the mail system; anything else is a
problem. The same number reached twice (in any field, any spelling) is sent
once, to the first place it appears (To before Cc before Bcc).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pyfax.addressing._split import parse_entry, split_entries
from pyfax.addressing.address import (
    DEFAULT_POLICY,
    AddressPolicy,
    FaxAddress,
    parse_checked,
    split_fax_address,
)
from pyfax.errors import AddressError, InvalidFaxAddress

__all__ = ["AddressProblem", "FaxRecipient", "Field", "Recipients", "parse_recipients"]

MAX_FIELD_CHARS = 100_000
MAX_ENTRIES = 1000

FieldValue = str | Sequence[str] | None


class Field(enum.StrEnum):
    """The header a recipient came from."""

    TO = "to"
    CC = "cc"
    BCC = "bcc"


@dataclass(frozen=True)
class FaxRecipient:
    """A fax number to dial.

    Attributes:
        e164: the number in E.164 form, e.g. ``"+3222345678"``.
        region: its ISO 3166 region, e.g. ``"BE"``.
        field: ``"to"``, ``"cc"`` or ``"bcc"``.
        name: the display name, or ``None``.
    """

    e164: str
    region: str
    field: Field
    name: str | None

    @property
    def address(self) -> FaxAddress:
        """The number as a :class:`FaxAddress` (for formatting)."""
        return FaxAddress(self.e164, self.region)


@dataclass(frozen=True)
class AddressProblem:
    """An entry that cannot be used (an error) or that deserves a word (a warning).

    Attributes:
        entry: the entry as typed.
        field: ``"to"``, ``"cc"`` or ``"bcc"``.
        reason: what is wrong, in words a person can act on.
        suggestion: the corrected ``<...@fax>`` address, when one can be guessed.
    """

    entry: str
    field: Field
    reason: str
    suggestion: str | None = None

    def __str__(self) -> str:
        return f"{self.field}: {self.entry}: {self.reason}"


@dataclass(frozen=True)
class Recipients:
    """The outcome of :func:`parse_recipients`."""

    fax: list[FaxRecipient] = field(default_factory=list)
    email: list[str] = field(default_factory=list)
    errors: list[AddressProblem] = field(default_factory=list)
    warnings: list[AddressProblem] = field(default_factory=list)


def _entries(value: FieldValue, name: Field) -> list[str]:
    if value is None:
        return []
    items: Iterable[str] = [value] if isinstance(value, str) else value
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise AddressError(f"{name}: recipients must be text, not {type(item).__name__}")
        if len(item) > MAX_FIELD_CHARS:
            raise AddressError(f"{name}: more than {MAX_FIELD_CHARS} characters of recipients")
        out.extend(split_entries(item))
    if len(out) > MAX_ENTRIES:
        raise AddressError(f"{name}: more than {MAX_ENTRIES} recipients")
    return out


def parse_recipients(
    to: FieldValue = None, cc: FieldValue = None, bcc: FieldValue = None,
    *, policy: AddressPolicy = DEFAULT_POLICY,
) -> Recipients:
    """Sort comma-separated To/Cc/Bcc values into fax and e-mail recipients.

    Args:
        to, cc, bcc: a header value (``'"Acme" <3222345678@fax>, bob@x.org'``)
            or a list of them.
        policy: operator settings (see :class:`AddressPolicy`).

    Returns:
        The fax recipients (each number once), the e-mail recipients as typed,
        one problem per unusable entry and the warnings.

    Raises:
        AddressError: only for input that is not text or is absurdly large;
            a bad entry is reported in ``errors``, never raised.
    """
    out = Recipients()
    seen: dict[str, FaxRecipient] = {}
    for name, value in ((Field.TO, to), (Field.CC, cc), (Field.BCC, bcc)):
        for text in _entries(value, name):
            _add(out, seen, text, name, policy)
    return out


def _add(
    out: Recipients, seen: dict[str, FaxRecipient], text: str, name: Field,
    policy: AddressPolicy,
) -> None:
    entry = parse_entry(text)
    if split_fax_address(entry.address) is None and "@" in entry.address:
        out.email.append(text)
        return
    try:
        checked = parse_checked(text, policy)
    except InvalidFaxAddress as exc:
        out.errors.append(AddressProblem(text, name, exc.reason, exc.suggestion))
        return
    first = seen.get(checked.e164)
    if first is not None:
        out.warnings.append(AddressProblem(
            text, name, f"the same number as {first.field} {first.e164}: sent once"))
        return
    out.warnings.extend(AddressProblem(text, name, w) for w in checked.warnings)
    recipient = FaxRecipient(checked.e164, checked.region, name, entry.name)
    seen[checked.e164] = recipient
    out.fax.append(recipient)
