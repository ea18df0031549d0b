"""Body text: wrapping, margins, pages, Unicode, HTML, the Subject block, empty bodies."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage

from pyfax.compose import BodyFormat, Paper, Resolution, compose
from pyfax.compose._blocks import plain_blocks
from pyfax.compose._fonts import Resolver, Style, font_chain
from pyfax.compose._html import html_blocks
from pyfax.compose._textsource import text_box
from pyfax.errors import EmptyMessage

NOW = dt.datetime(2026, 11, 26, 9, 30)
MM = 196 / 25.4  # fine rows per mm
PX_MM = 1728 / 215.0  # columns per mm


def ink_box(page: np.ndarray) -> tuple[int, int, int, int]:
    rows, cols = np.flatnonzero(page.any(axis=1)), np.flatnonzero(page.any(axis=0))
    return int(rows[0]), int(rows[-1]), int(cols[0]), int(cols[-1])


def body(text: str, **kw: object) -> list[np.ndarray]:
    return [p.image for p in compose(text, header=False, now=NOW, **kw).pages]  # type: ignore[arg-type]


def test_long_line_wraps_inside_the_margins() -> None:
    [page] = body("lorem ipsum dolor " * 100)
    top, _bottom, left, right = ink_box(page)
    assert left >= 19 * PX_MM and right <= 1728 - 19 * PX_MM
    assert top >= 15 * MM
    lines = np.flatnonzero(np.diff(page.any(axis=1).astype(int)) == 1)
    assert len(lines) >= 20  # ~300 words wrap into many lines


def test_a_word_longer_than_the_line_is_split_between_characters() -> None:
    from pyfax.compose._layout import Measurer, wrap

    url = "https://example.com/" + "a" * 300 + "?q=" + "b" * 90
    [block] = plain_blocks(f"See {url} for details.")
    m = Measurer()
    lines = wrap(block, 400.0, m)
    text = ["".join(r.text for r in line) for line in lines]
    assert "".join(text).replace(" ", "") == f"See{url}fordetails."  # every character kept
    assert len(text) >= 5 and text[0] == "See" and text[1].startswith("https://")
    assert all(sum(m.width_pt(r, block.size_pt) for r in line) <= 400.0 for line in lines)
    [page] = body(f"See {url} for details.")
    _top, _bottom, left, right = ink_box(page)
    assert left >= 19 * PX_MM and right <= 1728 - 19 * PX_MM  # inside the margins


def test_long_body_makes_several_pages_with_bottom_margin() -> None:
    pages = body("\n".join(f"line {i} " + "text " * 12 for i in range(200)))
    assert len(pages) >= 3
    for page in pages:
        _top, bottom, _, _ = ink_box(page)
        assert bottom <= page.shape[0] - 14 * MM


def test_size_is_about_11_pt() -> None:
    [page] = body("H")
    top, bottom, _, _ = ink_box(page)
    cap_pt = (bottom - top + 1) / 196 * 72
    assert 7.0 < cap_pt < 9.0  # DejaVu cap height is 0.73 em: 8 pt at 11 pt


@pytest.mark.parametrize("text", [
    "Dutch: één, coöperatie, ĳsje, reünie, België",
    "French: façade, garçon, élève, où, Noël, cœur, æ, « guillemets »",
    "German: Größe, Straße, Äpfel, Öl, Übermut",
    "Greek/Cyrillic: αβγ Ωμέγα, Привет",
])
def test_european_diacritics_render_without_fallback(text: str) -> None:
    doc = compose(text, header=False, now=NOW)
    assert doc.warnings == ()
    resolver = Resolver(font_chain(Style.REGULAR))
    assert all(resolver.resolve(ch)[1] == ch for ch in text)
    plain = text.encode("ascii", "ignore").decode()
    assert not np.array_equal(doc.pages[0].image, body(plain)[0])


def test_decomposed_accents_print_like_precomposed() -> None:
    assert np.array_equal(body("e\u0301te\u0301 Gro\u0308\u00dfe")[0], body("été Größe")[0])


def test_character_without_a_font_is_replaced_and_reported() -> None:
    chain = font_chain(Style.REGULAR)
    missing = next(ch for ch in "\U0001d11e\U00013000\u4e2d\uac00"
                   if not any(ord(ch) in f.coverage for f in chain))
    doc = compose(f"A {missing} B", header=False, now=NOW)
    assert len(doc.warnings) == 1 and f"U+{ord(missing):04X}" in doc.warnings[0]
    replaced = body("A \ufffd B")[0]
    assert np.array_equal(doc.pages[0].image, replaced)


def test_subject_block_on_page_one() -> None:
    plain = body("Hello there")[0]
    block = body("Hello there", subject="Quote 42", sender="Alice", to="Bob")[0]
    assert ink_box(block)[0] == ink_box(plain)[0]  # the block starts where text started
    assert ink_box(block)[1] > ink_box(plain)[1] + 3 * 11 * 1.3 / 72 * 196  # text moved down
    rule_rows = np.flatnonzero(block.sum(axis=1) > 0.6 * (1728 - 2 * 20 * PX_MM))
    assert rule_rows.size >= 1  # the rule under the block


def test_html_body_like_text_and_scripts_dropped() -> None:
    html = ("<html><head><style>p{color:red}</style><title>T</title></head><body>"
            "<script>alert('x')</script><p>Hello   <b>bold</b> world</p>"
            "<ul><li>one</li><li>two</li></ul><ol><li>first</li></ol>"
            "line<br>break &amp; &eacute;t&eacute;<table><tr><td>a</td><td>b</td></tr></table>"
            "</body></html>")
    blocks = html_blocks(html)
    text = "\n".join(b.text for b in blocks)
    assert "alert" not in text and "color" not in text and "T\n" not in text
    assert "Hello bold world" in text and "break & été" in text
    bullets = [b.bullet for b in blocks if b.bullet]
    assert bullets == ["\u2022", "\u2022", "1."]
    bold = [s.text for b in blocks for s in b.spans if s.style is Style.BOLD]
    assert bold == ["bold"]
    assert np.array_equal(body("<p>Hello world</p>")[0], body("Hello world")[0])
    assert not np.array_equal(body("<p>a<br>b</p>")[0], body("<p>a b</p>")[0])


def test_html_pre_keeps_spacing_in_monospace_then_text_returns() -> None:
    blocks = html_blocks("<pre>a   b\n  c</pre><p>after</p>")
    assert [b.text for b in blocks] == ["a   b\n  c", "after"]
    assert blocks[0].spans[0].style is Style.MONO and blocks[0].keep_spaces
    assert blocks[1].size_pt == 11.0 and blocks[1].spans[0].style is Style.REGULAR


def test_body_format_can_be_forced() -> None:
    as_text = body("<p>x</p>", body_format=BodyFormat.TEXT)[0]
    as_html = body("<p>x</p>", body_format=BodyFormat.HTML)[0]
    assert not np.array_equal(as_text, as_html)


def test_plain_text_keeps_lines_and_indent() -> None:
    blocks = plain_blocks("a\r\n\tb\n\n\n")
    assert [b.text for b in blocks] == ["a", "        b"]


def test_empty_body_makes_no_page(inputs: SimpleNamespace) -> None:
    png = ("p.png", inputs.encode(inputs.photo(50, 50)))
    assert [p.source for p in compose("", [png]).pages] == ["p.png"]
    assert [p.source for p in compose("  \n ", [png], subject="S").pages] == ["p.png"]
    assert [p.source for p in compose("<p> </p><script>x</script>", [png]).pages] == ["p.png"]
    with pytest.raises(EmptyMessage):
        compose(None, [])
    asked = compose(None, always_body_page=True, subject="Cover")
    assert len(asked.pages) == 1 and asked.pages[0].image.any()


def test_wrapping_is_the_same_at_every_resolution() -> None:
    text = "\n".join("word " * (i % 30) for i in range(150))
    counts = {r: len(compose(text, resolution=r).pages) for r in ("standard", "fine", "r400")}
    assert len(set(counts.values())) == 1


@pytest.mark.parametrize("resolution", list(Resolution), ids=lambda r: r.name.lower())
def test_text_matches_pillow_drawing_the_whole_line(resolution: Resolution,
                                                    inputs: SimpleNamespace) -> None:
    """Our cached-glyph renderer against Pillow drawing the line in one call."""
    text = "Größe façade één — The quick brown fox, 0123456789!"
    page = compose(text, header=False, resolution=resolution).pages[0].image
    x_dpi, y_dpi = resolution.x_dpi, resolution.y_dpi
    dpi = max(x_dpi, y_dpi)
    h, w = page.shape
    canvas = Image.new("L", (round(w / x_dpi * dpi), round(h / y_dpi * dpi)), 255)
    box = text_box(Paper.A4)
    font = ImageFont.truetype(inputs.dejavu, 11 * dpi / 72)
    ImageDraw.Draw(canvas).text((box.left_pt * dpi / 72, (box.top_pt + 11) * dpi / 72), text,
                                font=font, fill=0, anchor="ls")
    ref = np.asarray(canvas.resize((w, h), Image.Resampling.BOX)) < 150
    near = np.ones((3, 3), dtype=bool)
    shared = (page & ndimage.binary_dilation(ref, near)) | (ref & ndimage.binary_dilation(page,
                                                                                       near))
    assert shared.sum() / (page | ref).sum() >= 0.9
    assert 0.8 < page.sum() / ref.sum() < 1.25


def test_without_dejavu_the_builtin_font_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import pyfax.compose._fonts as fonts_mod
    from pyfax.compose._glyphs import GLYPHS

    monkeypatch.setattr(fonts_mod, "_DEJAVU_DIRS", ())
    monkeypatch.setattr(fonts_mod, "_FALLBACKS", ())
    fonts_mod.font_chain.cache_clear()
    try:
        chain = font_chain(Style.REGULAR)
        assert [f.source for f in chain] == [fonts_mod.BUILTIN]
        doc = compose("Hello façade 中", subject="S", header=True, now=NOW)
        assert doc.pages[0].image.any()
        assert "U+00E7" in doc.warnings[0] and "U+4E2D" in doc.warnings[0]
        resolver = Resolver(chain)
        assert resolver.resolve("ç") == (0, "c")  # the letter without its accent
        assert resolver.resolve("中") == (0, "?")
    finally:
        fonts_mod.font_chain.cache_clear()
        GLYPHS.__init__()  # type: ignore[misc]
