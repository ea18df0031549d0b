"""The text model the layout works on: blocks of styled spans.

A body (plain text or HTML) and the Subject/From/To block become a list of
:class:`Block`; the layout wraps each block into lines and the lines into
pages. Plain text keeps its line breaks (mail text is laid out by line) and
wraps long lines; tabs become spaces, text is NFC-normalised so decomposed
diacritics meet the precomposed glyphs fonts carry, and control and format
characters that print nothing are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from pyfax.compose._fonts import Style

BODY_SIZE_PT = 11.0
MONO_SIZE_PT = 10.0


@dataclass(frozen=True)
class Span:
    """A run of text in one style. A ``\\n`` inside it is a forced line break."""

    text: str
    style: Style = Style.REGULAR


@dataclass(frozen=True)
class Block:
    """A paragraph-like unit: wrapped as a whole, with its own indent and spacing.

    Attributes:
        spans: the text.
        size_pt: font size in points.
        indent_pt: left indent of every line.
        bullet: a marker drawn left of the first line (list items), or "".
        space_before_pt: vertical space above the block (dropped at a page top).
        keep_spaces: keep runs of spaces, including leading ones (plain text).
        rule: the block is a horizontal rule, not text.
    """

    spans: tuple[Span, ...]
    size_pt: float = BODY_SIZE_PT
    indent_pt: float = 0.0
    bullet: str = ""
    space_before_pt: float = 0.0
    keep_spaces: bool = False
    rule: bool = False

    @property
    def text(self) -> str:
        """The block's plain text."""
        return "".join(s.text for s in self.spans)


def clean(text: str, *, tab_cols: int = 8) -> str:
    """NFC-normalise, expand tabs, unify line ends and drop non-printing controls.

    >>> clean("e\\u0301te\\u0301\\r\\n\\tx\\x07")
    'été\\n        x'
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = (line.expandtabs(tab_cols) for line in text.split("\n"))
    return "\n".join(line if line.isprintable() else _drop_controls(line) for line in lines)


def _drop_controls(line: str) -> str:
    """``line`` without control and format characters (except the zero-width joiners)."""
    return "".join(ch for ch in line if unicodedata.category(ch) not in ("Cc", "Cf")
                   or ch in "\u200d\u200c")


def plain_blocks(text: str, *, style: Style = Style.REGULAR,
                 size_pt: float = BODY_SIZE_PT) -> list[Block]:
    """One block per input line (empty lines keep their height)."""
    lines = clean(text).split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return [Block((Span(line, style),), size_pt=size_pt, keep_spaces=True) for line in lines]


def looks_like_html(text: str) -> bool:
    """Whether a body string is HTML (a doctype, an html tag or common markup).

    >>> looks_like_html("<p>Hello</p>"), looks_like_html("a < b and c > d")
    (True, False)
    """
    head = text.lstrip()[:2048].lower()
    if head.startswith(("<!doctype html", "<html")):
        return True
    return re.search(r"<(p|div|br|span|table|ul|ol|li|h[1-6]|b|strong|body)\b[^>]*>",
                     head) is not None


def meta_blocks(fields: Sequence[tuple[str, str | None]]) -> list[Block]:
    """The Subject/From/To block of page 1, followed by a rule; empty if no field is set."""
    blocks = [Block((Span(f"{label}: ", Style.BOLD), Span(clean(value).replace("\n", " "))))
              for label, value in fields if value]
    if not blocks:
        return []
    return [*blocks, Block((), rule=True, space_before_pt=4.0),
            Block((Span(""),), space_before_pt=2.0)]


def is_blank(blocks: Sequence[Block]) -> bool:
    """True when no block has printable text."""
    return not any(b.text.strip() for b in blocks if not b.rule)
