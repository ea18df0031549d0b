"""PDF pages against poppler pixel for pixel: strict IoU, no tolerance.

Two references, both from poppler's ``pdftoppm``:

* *same resolution*: ``pdftoppm -mono`` at the fax resolution, as issue 5 asks. Vector
  drawings (filled shapes, 1-1.5 mm lines, boxes) and headlines (96 pt, 72 pt bold) must
  overlap with a strict IoU >= 0.9 at every resolution, also below the header band when
  the header is on. Measured: drawings 0.97-0.99; headlines 0.94-0.98 (regular 72 pt
  alone: 0.91 at standard and fine to 0.97 at 400 dpi; 48 pt: 0.88-0.96; 36 pt:
  0.86-0.96: the strokes of smaller text are too few pixels wide for poppler's glyph
  shift, see below).
* *exact geometry*: ``pdftoppm -gray`` at 4x the fax resolution on both axes, box-reduced
  to the fax grid and thresholded at half coverage: what an ideal renderer puts in each
  fax pixel. Text at 18 and 24 pt must match it with a strict IoU >= 0.9 at every
  resolution (measured 0.93 at standard to 0.98 at 400 dpi).

Why 18-24 pt text is held to the second reference: ``pdftoppm -mono`` pastes each
glyph's bitmap at its origin floored to a whole pixel (Splash ``fillChar``; the sub-pixel
glyph variants are for anti-aliased output only), so every glyph moves up and left by up
to a pixel, half a pixel on average, on each axis; PDFium fills glyphs over 50 device
pixels as exact outlines (``CFX_RenderDevice::DrawNormalText``).
Against the exact-geometry reference poppler's own ``-mono`` page scores only 0.76
(standard) to 0.92 (400 dpi), so no renderer that does not copy poppler's rounding glyph
by glyph can reach 0.9 against ``-mono`` at those sizes; ours scores 0.71-0.90 against
it, and is the closer of the two to the exact reference on every page (asserted below).
A one-pixel shift of our page drops the text checks to 0.53-0.81 and the headlines to
0.85-0.94 (below 0.9 at standard and fine); a page drawn 2 % short fails both the
drawings and the text check (asserted below).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from peers import tool
from PIL import Image

from pyfax.compose import Resolution, compose

Bilevel = NDArray[np.bool_]
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DEJAVU_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
A4_WIDTH_PT = 595.28
SUPERSAMPLE = 4
MIN_IOU = 0.9
ALL = pytest.mark.parametrize("resolution", list(Resolution), ids=lambda r: r.name.lower())


def _pdf(draw: str) -> bytes:
    """A one-page A4 PDF: ``"drawings"``, ``"headlines"`` (96 pt, 72 pt bold) or ``"text"``
    (18 and 24 pt)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("dv", fname=DEJAVU)
    pdf.add_page()
    pdf.set_fill_color(0, 0, 0)
    if draw == "drawings":  # spread from top to bottom, so a wrong scale shows
        pdf.rect(20, 20, 60, 35, style="F")
        pdf.circle(x=140, y=45, radius=22, style="F")
        pdf.polygon([(30, 90), (90, 140), (25, 150)], style="F")
        pdf.set_line_width(1.5)
        pdf.line(20, 170, 190, 230)
        pdf.line(110, 90, 190, 150)
        pdf.set_line_width(1.0)
        pdf.rect(30, 190, 70, 50)
        pdf.rect(120, 240, 60, 35)
        pdf.ellipse(40, 250, 50, 30)
    elif draw == "headlines":
        pdf.add_font("dvb", fname=DEJAVU_BOLD)
        for i, (face, size, words) in enumerate([("dv", 96, "Größe WAVY"), ("dvb", 72, "façade"),
                                                 ("dv", 96, "Tëst 42"), ("dvb", 72, "WAVY ÿ")]):
            pdf.set_font(face, size=size)
            pdf.cell(0, size * 0.45, f"{words} {i}", new_x="LMARGIN", new_y="NEXT")
    else:
        for i, size in enumerate((18, 18, 24, 24)):
            pdf.set_font("dv", size=size)
            pdf.cell(0, size * 0.45, f"Größe {i} façade WAVY", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def pdftoppm(pdf: Path, x_dpi: float, y_dpi: float, out: Path, *,
             area: tuple[int, int, int, int] | None = None, grey: bool = False) -> Bilevel:
    """Page 1 by poppler, True = black; ``area`` = (x, y, w, h) in output pixels."""
    crop = [] if area is None else ["-x", str(area[0]), "-y", str(area[1]),
                                    "-W", str(area[2]), "-H", str(area[3])]
    mode = "-gray" if grey else "-mono"
    subprocess.run([tool("pdftoppm"), "-rx", str(x_dpi), "-ry", str(y_dpi), mode, *crop,
                    "-singlefile", "-f", "1", "-l", "1", str(pdf), str(out)],
                   check=True, timeout=120)
    with Image.open(f"{out}.{'pgm' if grey else 'pbm'}") as img:
        if grey:  # supersampled: mean coverage of each fax pixel, black from half up
            return np.asarray(img.convert("L").reduce(SUPERSAMPLE)) < 128
        return ~np.asarray(img.convert("1"), dtype=bool)


def strict_iou(a: Bilevel, b: Bilevel) -> float:
    """Black-pixel intersection over union, pixel for pixel."""
    return float((a & b).sum() / max(1, (a | b).sum()))


def on_poppler_grid(page: Bilevel, x_dpi: int) -> Bilevel:
    """Our page cut to the A4 PDF page's own columns (it is centred on the scan line)."""
    left = (page.shape[1] - round(A4_WIDTH_PT * x_dpi / 72)) // 2
    return page[:, left:]


def render(tmp: Path, draw: str, resolution: Resolution, *,
           header: bool = False) -> tuple[Path, Bilevel]:
    path = tmp / f"{draw}.pdf"
    if not path.exists():
        path.write_bytes(_pdf(draw))
    doc = compose(None, [path], resolution=resolution, header=header)
    return path, on_poppler_grid(doc.pages[0].image, resolution.x_dpi)


def versus_mono(ours: Bilevel, ref: Bilevel) -> float:
    h, w = min(ours.shape[0], ref.shape[0]), min(ours.shape[1], ref.shape[1])
    return strict_iou(ours[:h, :w], ref[:h, :w])


@pytest.mark.peer
@ALL
def test_drawings_and_headlines_match_pdftoppm_pixel_for_pixel(resolution: Resolution,
                                                                tmp_path: Path) -> None:
    for draw in ("drawings", "headlines"):
        path, ours = render(tmp_path, draw, resolution)
        ref = pdftoppm(path, resolution.x_dpi, resolution.y_dpi, tmp_path / "ref")
        score = versus_mono(ours, ref)
        assert score >= MIN_IOU, (draw, score)
        assert 0.95 < ours.sum() / ref.sum() < 1.05, draw


@pytest.mark.peer
@ALL
def test_header_band_changes_only_the_top_5_mm(resolution: Resolution, tmp_path: Path) -> None:
    path, plain = render(tmp_path, "drawings", resolution)
    _, stamped = render(tmp_path, "drawings", resolution, header=True)
    band = round(5.0 / 25.4 * resolution.y_dpi)
    assert stamped[:band].any() and np.array_equal(stamped[band:], plain[band:])
    ref = pdftoppm(path, resolution.x_dpi, resolution.y_dpi, tmp_path / "ref")
    assert versus_mono(stamped[band:], ref[band:]) >= MIN_IOU


def exact_reference(path: Path, resolution: Resolution, area: tuple[int, int, int, int],
                    out: Path, *, y_dpi: float | None = None) -> Bilevel:
    """Poppler's supersampled page over ``area`` (fax pixels), reduced to the fax grid."""
    k = SUPERSAMPLE
    return pdftoppm(path, resolution.x_dpi * k, (y_dpi or resolution.y_dpi) * k, out,
                    area=tuple(v * k for v in area), grey=True)  # type: ignore[arg-type]


def _text_area(ours: Bilevel) -> tuple[int, int, int, int]:
    rows, cols = np.flatnonzero(ours.any(axis=1)), np.flatnonzero(ours.any(axis=0))
    top, left = max(0, rows[0] - 4), max(0, cols[0] - 4)
    return left, top, cols[-1] + 5 - left, rows[-1] + 5 - top


@pytest.mark.peer
@ALL
def test_text_from_18pt_matches_the_exact_geometry(resolution: Resolution,
                                                   tmp_path: Path) -> None:
    path, page = render(tmp_path, "text", resolution)
    x, y, w, h = area = _text_area(page)
    ours = page[y:y + h, x:x + w]
    exact = exact_reference(path, resolution, area, tmp_path / "exact")
    mono = pdftoppm(path, resolution.x_dpi, resolution.y_dpi, tmp_path / "mono")[y:y + h,
                                                                                 x:x + w]
    ours_score, mono_score = strict_iou(ours, exact), strict_iou(mono, exact)
    assert ours_score >= MIN_IOU, (ours_score, mono_score)
    assert ours_score > mono_score  # closer to exact than poppler's own -mono page


@pytest.mark.peer
def test_strict_checks_fail_at_a_slightly_wrong_scale(tmp_path: Path) -> None:
    """A page drawn 2 % short vertically (204 x 192 dpi for fine) fails both checks."""
    fine = Resolution.FINE
    path, ours = render(tmp_path, "drawings", fine)
    right = pdftoppm(path, 204, 196, tmp_path / "right")
    wrong = pdftoppm(path, 204, 192, tmp_path / "wrong")
    assert versus_mono(ours, right) >= MIN_IOU > versus_mono(ours, wrong)
    path, page = render(tmp_path, "text", fine)
    x, y, w, h = area = _text_area(page)
    text = page[y:y + h, x:x + w]
    assert strict_iou(text, exact_reference(path, fine, area, tmp_path / "ok")) >= MIN_IOU
    wrong_text = exact_reference(path, fine, area, tmp_path / "short", y_dpi=192)
    assert strict_iou(text, wrong_text) < MIN_IOU
