"""PDF attachments against poppler's independent rendering (pdftoppm -mono)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from numpy.typing import NDArray
from peers import tool
from PIL import Image
from scipy import ndimage

from pyfax.compose import Attachment, Resolution, compose
from pyfax.errors import CorruptAttachment, EncryptedAttachment

Bilevel = NDArray[np.bool_]
_NEAR = np.ones((3, 3), dtype=bool)


def pdftoppm(pdf: Path, page: int, x_dpi: int, y_dpi: int, out: Path) -> Bilevel:
    """Page ``page`` (1-based) rendered by poppler, True = black."""
    subprocess.run([tool("pdftoppm"), "-rx", str(x_dpi), "-ry", str(y_dpi), "-mono",
                    "-singlefile", "-f", str(page), "-l", str(page), str(pdf), str(out)],
                   check=True, timeout=60)
    with Image.open(f"{out}.pbm") as img:
        return ~np.asarray(img.convert("1"), dtype=bool)


def iou(a: Bilevel, b: Bilevel) -> float:
    """Strict black-pixel intersection over union."""
    return float((a & b).sum() / max(1, (a | b).sum()))


def iou_1px(a: Bilevel, b: Bilevel) -> float:
    """IoU where a black pixel counts as shared when the other has black within 1 pixel.

    PDFium and poppler round each glyph's origin to the pixel grid differently, so
    11 pt text strokes 2 px wide disagree by a pixel glyph by glyph; this tolerates
    exactly that and nothing more.
    """
    near_a, near_b = ndimage.binary_dilation(a, _NEAR), ndimage.binary_dilation(b, _NEAR)
    shared = (a & near_b) | (b & near_a)
    return float(shared.sum() / max(1, (a | b).sum()))


def crop_like(page: Bilevel, ref: Bilevel, x_dpi: int = 0) -> tuple[Bilevel, Bilevel]:
    """Both cut to the common area: we centre the PDF page (A4, ``x_dpi`` across, as
    rounded to whole pixels) on the scan line; poppler's page starts at column 0."""
    h, w = min(ref.shape[0], page.shape[0]), ref.shape[1]
    width = round(595.28 * x_dpi / 72) if x_dpi else w
    left = (page.shape[1] - width) // 2
    return page[:h, left:left + w], ref[:h]


@pytest.mark.peer
@pytest.mark.parametrize("resolution", list(Resolution), ids=lambda r: r.name.lower())
def test_pages_match_pdftoppm(resolution: Resolution, sample_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(sample_pdf)
    pages = [0, 2] if resolution in (Resolution.STANDARD, Resolution.FINE) else [1]
    doc = compose(None, [path], resolution=resolution, header=False)
    assert len(doc.pages) == 3
    for i in pages:
        ref = pdftoppm(path, i + 1, resolution.x_dpi, resolution.y_dpi, tmp_path / "ref")
        assert abs(doc.pages[i].height_px - ref.shape[0]) <= 1
        ours, ref = crop_like(doc.pages[i].image, ref, resolution.x_dpi)
        assert iou_1px(ours, ref) >= 0.9, (i, iou(ours, ref), iou_1px(ours, ref))
        assert iou(ours, ref) >= 0.5  # strict, glyph-rounding bound
        assert 0.85 < ours.sum() / ref.sum() < 1.15


@pytest.mark.peer
def test_metric_rejects_a_wrong_vertical_scale(sample_pdf: bytes, tmp_path: Path) -> None:
    """The 1-px-tolerant IoU is not lax: square-pixel rendering at fine fails it."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(sample_pdf)
    doc = compose(None, [path], resolution="r300", header=False)
    wrong = pdftoppm(path, 1, 300, 290, tmp_path / "ref")  # 3 % off vertically
    ours, wrong = crop_like(doc.pages[0].image, wrong, 300)
    assert iou_1px(ours, wrong) < 0.6


@pytest.mark.peer
def test_landscape_page_is_turned_and_matches(inputs: SimpleNamespace, tmp_path: Path) -> None:
    path = tmp_path / "land.pdf"
    path.write_bytes(inputs.make_pdf(2, landscape_last=True))
    doc = compose(None, [path], resolution="fine", header=False)
    page = doc.pages[1].image
    assert page.shape == (2292, 1728)
    # The turned page is A4 landscape rendered with x and y swapped, then turned.
    ref = np.rot90(pdftoppm(path, 2, 196, 204, tmp_path / "ref"))
    ours, ref = crop_like(page, ref, 204)
    assert iou_1px(ours, ref) >= 0.9


def test_header_is_stamped_over_the_top_margin(sample_pdf: bytes) -> None:
    plain = compose(None, [("a.pdf", sample_pdf)], header=False)
    stamped = compose(None, [("a.pdf", sample_pdf)], header=True)
    band = round(5.0 / 25.4 * 196)
    assert stamped.pages[0].image[:band].any()
    assert np.array_equal(plain.pages[0].image[band:], stamped.pages[0].image[band:])
    assert stamped.warnings == ()  # the PDF's top margin is blank: nothing is covered


def test_header_covering_page_content_is_reported() -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_fill_color(0, 0, 0)
    pdf.rect(20, 1, 100, 3, style="F")  # ink 1-4 mm from the top edge
    data = bytes(pdf.output())
    doc = compose(None, [("top.pdf", data)])
    assert len(doc.warnings) == 1 and "top.pdf page 1" in doc.warnings[0]
    assert compose(None, [("top.pdf", data)], header=False).warnings == ()


def test_encrypted_pdf_needs_its_password(inputs: SimpleNamespace) -> None:
    data = inputs.make_pdf(1, password="s3cret")
    with pytest.raises(EncryptedAttachment, match="no password") as err:
        compose(None, [("locked.pdf", data)])
    assert err.value.attachment == "locked.pdf"
    with pytest.raises(EncryptedAttachment, match="wrong password"):
        compose(None, [Attachment("locked.pdf", data, password="nope")])
    doc = compose(None, [Attachment("locked.pdf", data, password="s3cret")], header=False)
    assert len(doc.pages) == 1 and doc.pages[0].image.any()


def test_truncated_and_damaged_pdfs(sample_pdf: bytes) -> None:
    with pytest.raises(CorruptAttachment, match="truncated"):
        compose(None, [("cut.pdf", sample_pdf[: len(sample_pdf) // 2])])
    with pytest.raises(CorruptAttachment, match="damaged"):
        compose(None, [("junk.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n")])
