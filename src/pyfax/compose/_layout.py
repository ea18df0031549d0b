"""Word wrap and pagination of text blocks, in points, independent of resolution.

Text is measured with the fonts at a large size (8 px per point, where
hinting barely bends the advance widths) and placed in points, so a body
breaks into the same lines and pages at every fax resolution and
``Document.rerender`` keeps the page count. Wrapping is greedy: words go on
a line while they fit; a word wider than the line is split between
characters. Each character is assigned the first font face that has it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from pyfax.compose._blocks import Block
from pyfax.compose._fonts import Face, Resolver, Style, font_chain
from pyfax.compose._glyphs import GLYPHS

LAYOUT_PX_PER_PT = 8.0
LINE_HEIGHT = 1.3  # line pitch as a multiple of the font size
BULLET_GAP_PT = 6.0


@dataclass(frozen=True)
class Run:
    """Characters of one style drawn with one face of that style's chain."""

    text: str
    style: Style
    face: int


@dataclass(frozen=True)
class PlacedLine:
    """A line of runs whose baseline starts at (x_pt, baseline_pt) from the page's top left."""

    x_pt: float
    baseline_pt: float
    size_pt: float
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class PlacedRule:
    """A horizontal rule from x0_pt to x1_pt, its top at y_pt."""

    x0_pt: float
    x1_pt: float
    y_pt: float
    thickness_pt: float = 0.75


Item = PlacedLine | PlacedRule
LaidPage = tuple[Item, ...]


@dataclass(frozen=True)
class Box:
    """Where text may go on a page, in points from the top left corner."""

    left_pt: float
    right_pt: float
    top_pt: float
    bottom_pt: float

    @property
    def width_pt(self) -> float:
        """Line length available to text."""
        return self.right_pt - self.left_pt


@dataclass
class Measurer:
    """Resolves characters to faces and measures runs, with caches."""

    extra_fonts: tuple[str, ...] = ()
    resolvers: dict[Style, Resolver] = field(default_factory=dict)
    _widths: dict[tuple[str, Style, int, float], float] = field(default_factory=dict)
    _tokens: dict[tuple[Style, float], dict[str, tuple[list[Run], float]]] = field(
        default_factory=dict)

    def chain(self, style: Style) -> tuple[Face, ...]:
        """The face chain for ``style``."""
        return font_chain(style, self.extra_fonts)

    def runs(self, text: str, style: Style) -> list[Run]:
        """Split ``text`` into runs by face (replacing characters no face has)."""
        resolver = self.resolvers.get(style)
        if resolver is None:
            resolver = self.resolvers[style] = Resolver(self.chain(style))
        out: list[Run] = []
        for ch in text:
            face, drawn = resolver.resolve(ch)
            if out and out[-1].face == face:
                out[-1] = Run(out[-1].text + drawn, style, face)
            else:
                out.append(Run(drawn, style, face))
        return out

    def token_table(self, style: Style, size_pt: float) -> dict[str, tuple[list[Run], float]]:
        """The cache of :meth:`token` for one style and size, keyed by the token's text."""
        table = self._tokens.get((style, size_pt))
        if table is None:
            table = self._tokens[(style, size_pt)] = {}
        return table

    def token(self, text: str, style: Style, size_pt: float) -> tuple[list[Run], float]:
        """Runs and total width in points of a word or space run (cached)."""
        table = self.token_table(style, size_pt)
        hit = table.get(text)
        if hit is None:
            runs = self.runs(text, style)
            hit = table[text] = (runs, sum(self.width_pt(r, size_pt) for r in runs))
        return hit

    def width_pt(self, run: Run, size_pt: float) -> float:
        """Advance width of a run in points."""
        key = (run.text, run.style, run.face, size_pt)
        w = self._widths.get(key)
        if w is None:
            font = self.chain(run.style)[run.face].font(size_pt * LAYOUT_PX_PER_PT)
            w = self._widths[key] = GLYPHS.advance(font, run.text) / LAYOUT_PX_PER_PT
        return w

    @property
    def missing(self) -> set[str]:
        """Characters that no face of any chain had."""
        return set().union(*(r.missing for r in self.resolvers.values()))


_TOKEN = re.compile(r"\n| +|[^ \n]+")


def _tokens(block: Block, m: Measurer) -> Iterator[tuple[str, tuple[list[Run], float]]]:
    """Words, space runs and ``\\n`` breaks of a block, each with its runs and width
    (:meth:`Measurer.token`; none for a break)."""
    size = block.size_pt
    for span in block.spans:
        style, table = span.style, m.token_table(span.style, size)
        for tok in _TOKEN.findall(span.text):
            hit = _BREAK if tok == "\n" else table.get(tok) or m.token(tok, style, size)
            yield tok, hit


_BREAK: tuple[list[Run], float] = ([], 0.0)


def _split_long(word: list[Run], avail_pt: float, size_pt: float,
                m: Measurer) -> list[list[Run]]:
    """Split a word wider than the line between characters."""
    pieces: list[list[Run]] = [[]]
    used = 0.0
    for run in word:
        for ch in run.text:
            part = Run(ch, run.style, run.face)
            w = m.width_pt(part, size_pt)
            if used + w > avail_pt and pieces[-1]:
                pieces.append([])
                used = 0.0
            pieces[-1].append(part)
            used += w
    return pieces


def wrap(block: Block, avail_pt: float, m: Measurer) -> list[list[Run]]:
    """Wrap a block into lines of runs no wider than ``avail_pt`` (except one glyph)."""
    lines: list[list[Run]] = [[]]
    used = pw = 0.0
    pending: list[Run] = []
    size = block.size_pt
    for tok, (runs, w) in _tokens(block, m):
        if tok == "\n":
            lines.append([])
            used, pending = 0.0, []
            continue
        if tok[0] == " ":
            if lines[-1] or block.keep_spaces:
                pending, pw = runs, w
            continue
        if not pending:
            pw = 0.0
        if lines[-1] and used + pw + w > avail_pt:
            lines.append([])
            used, pw, pending = 0.0, 0.0, []
        if w > avail_pt:
            lines[-1] += pending
            pieces = _split_long(runs, avail_pt - used - pw, size, m)
            lines[-1] += pieces[0]
            lines += pieces[1:]
            used = sum(m.width_pt(r, size) for r in lines[-1])
        else:
            lines[-1] += [*pending, *runs]
            used += pw + w
        pending = []
    return [_merge(line) for line in lines]


def _merge(line: list[Run]) -> list[Run]:
    """Neighbouring runs of the same style and face joined into one."""
    out: list[Run] = []
    texts: list[str] = []
    first = None
    for run in line:
        if first is not None and (run.style is not first.style or run.face != first.face):
            out.append(Run("".join(texts), first.style, first.face))
            texts = []
        if not texts:
            first = run
        texts.append(run.text)
    if first is not None and texts:
        out.append(Run("".join(texts), first.style, first.face))
    return out


def paginate(blocks: Sequence[Block], box: Box, m: Measurer, *,
             max_pages: int | None = None) -> list[LaidPage]:
    """Lay blocks out on as many pages as they need.

    Args:
        blocks: the text.
        box: the text area of every page.
        m: measurer (also collects characters no font has).
        max_pages: stop once more than this many pages are needed (the caller
            reports the page limit); ``None`` for no bound.
    """
    pages: list[list[Item]] = [[]]
    y = box.top_pt
    for block in blocks:
        if max_pages is not None and len(pages) > max_pages:
            break
        pitch = block.size_pt * LINE_HEIGHT
        if pages[-1]:
            y += block.space_before_pt
        if block.rule:
            pages[-1].append(PlacedRule(box.left_pt + block.indent_pt, box.right_pt, y))
            y += 2.0
            continue
        x = box.left_pt + block.indent_pt
        for i, line in enumerate(wrap(block, box.width_pt - block.indent_pt, m)):
            if y + pitch > box.bottom_pt and pages[-1]:
                pages.append([])
                y = box.top_pt
            baseline = y + block.size_pt
            if i == 0 and block.bullet:
                bullet = tuple(m.runs(block.bullet, Style.REGULAR))
                bw = sum(m.width_pt(r, block.size_pt) for r in bullet)
                pages[-1].append(PlacedLine(x - BULLET_GAP_PT - bw, baseline,
                                            block.size_pt, bullet))
            if line:
                pages[-1].append(PlacedLine(x, baseline, block.size_pt, tuple(line)))
            y += pitch
    return [tuple(p) for p in pages if p]
