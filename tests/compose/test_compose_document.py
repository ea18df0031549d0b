"""Document: page order, rerender at another resolution, PDF and PNG previews."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from pyfax.compose import Paper, Resolution, compose


def test_body_first_then_attachments_in_order(inputs: SimpleNamespace, sample_pdf: bytes,
                                              tmp_path: Path) -> None:
    pic = tmp_path / "pic.jpg"
    pic.write_bytes(inputs.encode(inputs.photo(200, 300), "JPEG"))
    doc = compose("Body text", [("first.pdf", sample_pdf), pic, ("notes.txt", b"some notes\n")],
                  now=inputs.now)
    assert [p.source for p in doc.pages] == ["message body", "first.pdf", "first.pdf",
                                             "first.pdf", str(pic), "notes.txt"]
    alone = compose(None, [("first.pdf", sample_pdf)], header=False)
    assert np.array_equal(alone.pages[0].image[200:], doc.pages[1].image[200:])


def test_rerender_keeps_pages_and_changes_the_grid(inputs: SimpleNamespace,
                                                   sample_pdf: bytes) -> None:
    doc = compose("x " * 3000, [("a.pdf", sample_pdf)], now=inputs.now)
    std = doc.rerender(resolution=Resolution.STANDARD)
    assert len(std.pages) == len(doc.pages) and std.resolution is Resolution.STANDARD
    assert all(p.image.shape == (1146, 1728) for p in std.pages)
    hi = doc.rerender(resolution="r400")
    assert all(p.image.shape == (4677, 3456) for p in hi.pages)
    again = hi.rerender(resolution="fine")
    assert all(np.array_equal(a.image, b.image) for a, b in zip(again.pages, doc.pages,
                                                                  strict=True))


def test_save_pdf_has_the_fax_page_size(inputs: SimpleNamespace, tmp_path: Path) -> None:
    doc = compose("hello", [("p.png", inputs.encode(inputs.photo()))], resolution="standard",
                  paper=Paper.LETTER)
    path = doc.save_pdf(tmp_path / "preview.pdf")
    pdf = pdfium.PdfDocument(path)
    assert len(pdf) == 2
    w_pt, h_pt = pdf.get_page_size(0)
    assert abs(w_pt - 1728 / 204 * 72) < 0.5 and abs(h_pt - 1078 / 98 * 72) < 0.5
    back = pdf[1].render(scale=1).to_pil()  # pixels survive: re-render at 72 dpi has ink
    assert np.asarray(back.convert("L")).min() < 64


def test_save_png_is_exactly_the_pages(inputs: SimpleNamespace, tmp_path: Path) -> None:
    doc = compose("hello", [("p.png", inputs.encode(inputs.photo()))], now=inputs.now)
    paths = doc.save_png(tmp_path / "out")
    assert [p.name for p in paths] == ["page-001.png", "page-002.png"]
    for path, page in zip(paths, doc.pages, strict=True):
        with Image.open(path) as img:
            assert img.mode == "1"
            assert tuple(round(v) for v in img.info["dpi"]) == (204, 196)
            assert np.array_equal(~np.asarray(img, dtype=bool), page.image)


def test_rerender_with_a_new_time_changes_only_the_header(inputs: SimpleNamespace) -> None:
    doc = compose("hello " * 50, now=inputs.now)
    later = doc.rerender(now=inputs.now.replace(hour=17))
    band = round(5 / 25.4 * 196)
    a, b = doc.pages[0].image, later.pages[0].image
    assert later.resolution is doc.resolution
    assert np.array_equal(a[band:], b[band:]) and not np.array_equal(a[:band], b[:band])
    assert np.array_equal(doc.rerender().pages[0].image, a)


def test_threads_compose_at_once(inputs: SimpleNamespace, sample_pdf: bytes) -> None:
    """PDFium is not thread-safe; compose serialises its calls, so threads may share it."""
    from concurrent.futures import ThreadPoolExecutor

    def job(i: int) -> list[np.ndarray]:
        doc = compose(f"thread {i} " * 40, [("a.pdf", sample_pdf)], resolution="standard",
                      now=inputs.now)
        return [p.image for p in doc.pages]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(job, range(4)))
    alone = job(0)
    assert all(np.array_equal(a, b) for a, b in zip(results[0], alone, strict=True))
    assert all(len(r) == 4 for r in results)


def test_pages_are_kept_one_bit_per_pixel(inputs: SimpleNamespace, sample_pdf: bytes) -> None:
    doc = compose("Body text", [("a.pdf", sample_pdf)], now=inputs.now)
    for page in doc.pages:
        rows, width = page.height_px, page.width_px
        assert page.packed.nbytes == rows * width // 8  # an eighth of a bool array
        image = page.image
        assert image.shape == (rows, width) and image.dtype == np.bool_ and image.any()
        image[:] = False  # each read is a fresh array: the page itself is unchanged
        assert page.image.any()
    assert not np.array_equal(doc.pages[0].image, doc.pages[1].image)  # no shared raster
