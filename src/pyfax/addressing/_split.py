"""Split a To/Cc/Bcc value into entries, and an entry into display name and address.

How it works: a single left-to-right scan in the manner of RFC 5322 clause
3.4 (``address-list``): commas separate entries except inside a quoted
display name (``"Smith, John" <...>``) or inside angle brackets. Semicolons
also separate entries, because people paste lists from mail clients that use
them. Backslash escapes a character inside quotes. The scan is linear in the
input and the caller bounds the input size.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Entry", "parse_entry", "split_entries"]

_SEPARATORS = (",", ";")


def split_entries(text: str) -> list[str]:
    """Split a header value into stripped, non-empty entries.

    >>> split_entries('"Smith, John" <3222345678@fax>, bob@example.com')
    ['"Smith, John" <3222345678@fax>', 'bob@example.com']
    """
    entries: list[str] = []
    current: list[str] = []
    in_quote = escaped = False
    depth = 0
    for ch in text:
        if escaped:
            escaped = False
        elif in_quote and ch == "\\":
            escaped = True
        elif ch == '"':
            in_quote = not in_quote
        elif not in_quote and ch == "<":
            depth += 1
        elif not in_quote and ch == ">":
            depth = max(0, depth - 1)
        elif not in_quote and depth == 0 and ch in _SEPARATORS:
            entries.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    entries.append("".join(current).strip())
    return [e for e in entries if e]


@dataclass(frozen=True)
class Entry:
    """One entry: its display name (if any) and its address text.

    Attributes:
        name: the display name without quotes, or ``None``.
        address: what was inside ``<...>``, or the whole entry without brackets.
        bracketed: whether the address was written in angle brackets.
    """

    name: str | None
    address: str
    bracketed: bool


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
        out: list[str] = []
        escaped = False
        for ch in text:
            if ch == "\\" and not escaped:
                escaped = True
                continue
            out.append(ch)
            escaped = False
        return "".join(out).strip()
    return text


def parse_entry(entry: str) -> Entry:
    """Separate the display name from the address.

    >>> parse_entry('"Acme Legal" <3222345678@fax>')
    Entry(name='Acme Legal', address='3222345678@fax', bracketed=True)
    >>> parse_entry('3222345678@FAX')
    Entry(name=None, address='3222345678@FAX', bracketed=False)
    """
    open_at = _last_unquoted(entry, "<")
    if open_at >= 0:
        close_at = entry.find(">", open_at)
        inner = entry[open_at + 1:close_at if close_at >= 0 else len(entry)]
        name = _unquote(entry[:open_at])
        return Entry(name or None, inner.strip(), True)
    return Entry(None, entry.strip(), False)


def _last_unquoted(text: str, char: str) -> int:
    """Index of the last ``char`` outside double quotes, or -1."""
    found = -1
    in_quote = escaped = False
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
        elif in_quote and ch == "\\":
            escaped = True
        elif ch == '"':
            in_quote = not in_quote
        elif ch == char and not in_quote:
            found = i
    return found
