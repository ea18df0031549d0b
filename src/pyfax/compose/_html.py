"""Simple HTML bodies (as web mail sends them) to text blocks.

Uses the standard library's ``html.parser``: paragraphs, divs and headings
start blocks, ``<br>`` breaks lines, ``<ul>``/``<ol>`` items get bullets or
numbers and an indent, ``<b>``/``<strong>``/``<th>``/headings are bold,
``<pre>`` keeps its spacing, table rows become lines with cells separated
by spaces, ``<hr>`` is a rule, and ``<script>``, ``<style>``, ``<head>`` and
similar are dropped with their content. Character references are decoded.
Whitespace outside ``<pre>`` collapses as a browser would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from pyfax.compose._blocks import BODY_SIZE_PT, MONO_SIZE_PT, Block, Span, clean
from pyfax.compose._fonts import Style

_SKIP = frozenset({"script", "style", "head", "title", "noscript", "template", "svg",
                   "object", "iframe", "select"})
_BLOCK = frozenset({"p", "div", "section", "article", "header", "footer", "address",
                    "blockquote", "dl", "dt", "dd", "center", "form", "fieldset",
                    "table", "tr", "caption", "figure", "figcaption", "main", "nav"})
_BOLD = frozenset({"b", "strong", "th", "h1", "h2", "h3", "h4", "h5", "h6"})
_HEADING_PT = {"h1": 16.0, "h2": 14.0, "h3": 12.5}
_LIST_INDENT_PT = 18.0


@dataclass
class _ListState:
    ordered: bool
    counter: int = 0


@dataclass
class _Builder:
    """Accumulates spans into blocks."""

    blocks: list[Block] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    size_pt: float = BODY_SIZE_PT
    indent_pt: float = 0.0
    bullet: str = ""
    space_before_pt: float = 0.0

    def flush(self, *, pre: bool = False) -> None:
        text = "".join(s.text for s in self.spans)
        if text.strip() or self.bullet:
            spans = tuple(self.spans) if pre else _trim(self.spans)
            self.blocks.append(Block(spans, size_pt=self.size_pt, indent_pt=self.indent_pt,
                                     bullet=self.bullet, space_before_pt=self.space_before_pt,
                                     keep_spaces=pre))
        self.spans = []
        self.bullet = ""
        self.space_before_pt = 0.0


def _trim(spans: list[Span]) -> tuple[Span, ...]:
    """Strip spaces at the block's ends and around forced breaks."""
    out = [Span(re.sub(r" *\n *", "\n", s.text), s.style) for s in spans]
    if out:
        out[0] = Span(out[0].text.lstrip(" "), out[0].style)
        out[-1] = Span(out[-1].text.rstrip(" "), out[-1].style)
    return tuple(s for s in out if s.text)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = _Builder()
        self.skip = 0
        self.bold = 0
        self.pre = 0
        self.lists: list[_ListState] = []

    def _break_block(self, space_pt: float = 0.0) -> None:
        self.out.flush(pre=self.pre > 0)
        self.out.space_before_pt = max(self.out.space_before_pt, space_pt)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK or tag in _HEADING_PT or tag in ("h4", "h5", "h6"):
            self._break_block(6.0 if tag in ("p", "table") or tag.startswith("h") else 0.0)
            self.out.size_pt = _HEADING_PT.get(tag, BODY_SIZE_PT)
        elif tag in ("ul", "ol"):
            self._break_block(3.0 if not self.lists else 0.0)
            self.lists.append(_ListState(ordered=tag == "ol"))
            self.out.indent_pt = _LIST_INDENT_PT * len(self.lists)
        elif tag == "li":
            self._break_block()
            if self.lists:
                state = self.lists[-1]
                state.counter += 1
                self.out.bullet = f"{state.counter}." if state.ordered else "\u2022"
        elif tag == "pre":
            self._break_block(6.0)
            self.pre += 1
        elif tag == "br":
            self._add("\n")
        elif tag == "hr":
            self._break_block()
            self.out.blocks.append(Block((), rule=True, space_before_pt=4.0))
        elif tag in ("td", "th"):
            self._add("   ")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self._add(f"[{alt}]")
        if tag in _BOLD:
            self.bold += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK or tag in _HEADING_PT or tag in ("h4", "h5", "h6", "li"):
            self._break_block()
            self.out.size_pt = BODY_SIZE_PT
        elif tag in ("ul", "ol") and self.lists:
            self._break_block()
            self.lists.pop()
            self.out.indent_pt = _LIST_INDENT_PT * len(self.lists)
        elif tag == "pre" and self.pre:
            self._break_block()
            self.pre -= 1
            self.out.size_pt = BODY_SIZE_PT
        if tag in _BOLD:
            self.bold = max(0, self.bold - 1)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
        self._add(data)

    def _add(self, text: str) -> None:
        if self.skip or not text:
            return
        style = Style.MONO if self.pre else Style.BOLD if self.bold else Style.REGULAR
        spans = self.out.spans
        if not self.pre and text.startswith(" ") and (
                not spans or spans[-1].text.endswith((" ", "\n"))):
            text = text[1:]
        if text:
            spans.append(Span(clean(text), style))
        if self.pre:
            self.out.size_pt = MONO_SIZE_PT


def html_blocks(html: str) -> list[Block]:
    """Blocks for an HTML body; never raises on malformed markup."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    parser.out.flush(pre=parser.pre > 0)
    return parser.out.blocks
