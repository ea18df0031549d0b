"""vCard import and export (RFC 6350 vCard 4.0, RFC 2426 3.0, and 2.1 as phones write it).

How it works: lines are unfolded (a line starting with a space or tab
continues the previous one, RFC 6350 clause 3.2), then each ``BEGIN:VCARD`` ..
``END:VCARD`` block gives one contact from ``FN`` (or ``N``), ``ORG`` and its
``TEL`` properties. A TEL's type comes from ``TYPE=`` parameters (``FAX``,
``CELL``, ``VOICE``, ``WORK``...), or bare 2.1 parameters (``TEL;FAX;WORK:``);
a ``tel:`` URI value is accepted. Export writes vCard 3.0 with
``TEL;TYPE=FAX`` and folds lines at 75 octets.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyfax.contacts.contact import Contact, NumberType, TypedNumber
from pyfax.errors import ContactError, VCardError

__all__ = ["dump_vcards", "load_vcards"]

MAX_VCARD_CHARS = 5_000_000
MAX_CARDS = 20_000


def _unfold(text: str) -> list[str]:
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]
        elif raw.strip():
            lines.append(raw)
    return lines


def _unescape(value: str) -> str:
    out: list[str] = []
    chars = iter(value)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            out.append("\n" if nxt in "nN" else nxt)
        else:
            out.append(ch)
    return "".join(out)


def _escape(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\n", "\\n"))


def _split_property(line: str) -> tuple[str, list[str], str]:
    head, sep, value = line.partition(":")
    if not sep:
        raise VCardError(f"vCard line without a value: {line[:60]!r}")
    name, *params = head.split(";")
    return name.split(".")[-1].upper(), params, value  # drop an "item1." group


def _tel_type(params: list[str]) -> NumberType:
    types: set[str] = set()
    for param in params:
        key, eq, val = param.partition("=")
        values = val if eq else key  # vCard 2.1 writes bare types: TEL;FAX;WORK
        if eq and key.upper() != "TYPE":
            continue
        types.update(v.strip('"').lower() for v in values.split(","))
    if "fax" in types:
        return NumberType.FAX
    if "cell" in types:
        return NumberType.MOBILE
    if types & {"voice", "home", "work", "main", "pref"} or not types:
        return NumberType.PHONE
    return NumberType.OTHER


def _card(lines: list[str]) -> Contact:
    name = fallback = org = ""
    numbers: list[TypedNumber] = []
    for line in lines:
        prop, params, value = _split_property(line)
        if prop == "FN":
            name = _unescape(value).strip()
        elif prop == "N":
            parts = [_unescape(p).strip() for p in value.split(";")]
            fallback = " ".join(p for p in (parts[1:2] + parts[:1]) if p)
        elif prop == "ORG":
            org = _unescape(value.split(";")[0]).strip()
        elif prop == "TEL":
            number = _unescape(value).strip().removeprefix("tel:")
            if number:
                numbers.append(TypedNumber(_tel_type(params), number))
    try:
        return Contact(name or fallback or org, tuple(numbers), org)
    except ContactError as exc:
        raise VCardError(f"vCard with an unusable contact: {exc}") from None


def load_vcards(text: str) -> list[Contact]:
    """Parse every vCard in ``text``.

    Raises:
        VCardError: malformed cards, or input beyond the size limits.
    """
    if len(text) > MAX_VCARD_CHARS:
        raise VCardError(f"vCard file larger than {MAX_VCARD_CHARS} characters")
    contacts: list[Contact] = []
    current: list[str] | None = None
    for line in _unfold(text):
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            if current is not None:
                raise VCardError("BEGIN:VCARD inside another vCard")
            current = []
        elif upper == "END:VCARD":
            if current is None:
                raise VCardError("END:VCARD without BEGIN:VCARD")
            contacts.append(_card(current))
            current = None
            if len(contacts) > MAX_CARDS:
                raise VCardError(f"more than {MAX_CARDS} vCards")
        elif current is not None:
            current.append(line)
    if current is not None:
        raise VCardError("vCard not closed by END:VCARD")
    return contacts


_TYPE_OUT = {NumberType.FAX: "FAX", NumberType.MOBILE: "CELL", NumberType.PHONE: "VOICE",
             NumberType.OTHER: "X-OTHER"}


def _fold(line: str) -> str:
    out: list[str] = []
    chunk, chunk_octets = "", 0
    for ch in line:
        octets = len(ch.encode("utf-8"))  # count as we go, not re-encode the chunk per char
        if chunk_octets + octets > (75 if not out else 74):
            out.append(chunk)
            chunk, chunk_octets = "", 0
        chunk += ch
        chunk_octets += octets
    out.append(chunk)
    return "\r\n ".join(out)


def dump_vcards(contacts: Iterable[Contact]) -> str:
    """Write contacts as vCard 3.0 (CRLF line ends, folded at 75 octets)."""
    lines: list[str] = []
    for contact in contacts:
        lines += ["BEGIN:VCARD", "VERSION:3.0", f"FN:{_escape(contact.name)}",
                  f"N:{_escape(contact.name)};;;;"]
        if contact.organization:
            lines.append(f"ORG:{_escape(contact.organization)}")
        lines += [f"TEL;TYPE={_TYPE_OUT[n.kind]}:{n.number}" for n in contact.numbers]
        lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)
