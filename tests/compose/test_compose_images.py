"""Picture attachments: formats by content, fitting, rotation, halftoning, TIFF, fax TIFF."""

from __future__ import annotations

import io
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from pyfax.compose import Halftone, Resolution, compose
from pyfax.compose._bilevel import photo_mask, to_bilevel

FINE_W = 1728


def ink_box(page: np.ndarray) -> tuple[int, int, int, int]:
    rows, cols = np.flatnonzero(page.any(axis=1)), np.flatnonzero(page.any(axis=0))
    return int(rows[0]), int(rows[-1]), int(cols[0]), int(cols[-1])


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF"])
def test_formats_are_detected_by_content(fmt: str, inputs: SimpleNamespace) -> None:
    data = inputs.encode(inputs.line_art(200, 280).convert("RGB"), fmt)
    doc = compose(None, [("misleading-name.txt", data)], header=False)
    assert len(doc.pages) == 1
    assert doc.pages[0].image.shape == (2292, FINE_W) and doc.pages[0].image.any()


def test_portrait_picture_fills_the_width_keeping_its_aspect(inputs: SimpleNamespace) -> None:
    img = Image.new("L", (400, 400), 0)  # a black square
    doc = compose(None, [("sq.png", inputs.encode(img))], header=False)
    top, bottom, left, right = ink_box(doc.pages[0].image)
    width_in, height_in = (right - left + 1) / 204, (bottom - top + 1) / 196
    assert abs(width_in - height_in) < 0.02  # square on paper despite 204x196 pixels
    assert right - left + 1 >= FINE_W - 2 * 4 / 25.4 * 204 - 2


def test_landscape_picture_is_turned(inputs: SimpleNamespace) -> None:
    img = Image.new("L", (900, 450), 255)
    img.paste(0, (0, 0, 900, 4))  # a thin line along the top edge
    img.paste(0, (0, 0, 100, 450))  # a black bar on the left edge
    page = compose(None, [("wide.png", inputs.encode(img))], header=False).pages[0].image
    top, bottom, left, right = ink_box(page)
    assert (bottom - top) / 196 > 1.5 * (right - left) / 204  # now taller than wide
    assert (bottom - top) / 196 > 9.0  # and printed larger than the 8.3 in page width
    # turned counter-clockwise: the picture's left edge is at the bottom, its top at the left
    assert page[bottom - 5, left:right].mean() > 0.95
    assert page[top:bottom, left + 1].mean() > 0.95 and page[top + 5, right - 1] == 0


def test_photo_is_halftoned_not_thresholded(inputs: SimpleNamespace) -> None:
    grey = Image.new("L", (400, 500), 128)
    doc = compose(None, [("grey.png", inputs.encode(grey))], header=False)
    page = doc.pages[0].image
    top, bottom, left, right = 600, 1400, 400, 1300
    region = page[top:bottom, left:right]
    assert 0.35 < region.mean() < 0.65  # mid-grey becomes about half black...
    assert np.abs(np.diff(region.astype(int), axis=1)).mean() > 0.3  # ...as a fine pattern


def test_ordered_dither_and_threshold_options(inputs: SimpleNamespace) -> None:
    grey = inputs.encode(Image.new("L", (300, 300), 100))
    ordered = compose(None, [("g.png", grey)], halftone=Halftone.ORDERED).pages[0].image
    flat = compose(None, [("g.png", grey)], halftone=Halftone.THRESHOLD).pages[0].image
    region = (slice(800, 1200), slice(500, 1200))
    assert 0.5 < ordered[region].mean() < 0.7
    assert flat[region].all()  # 100 < 128: all black when thresholded


def test_line_art_is_thresholded_cleanly(inputs: SimpleNamespace) -> None:
    art = np.asarray(inputs.line_art())
    assert not photo_mask(art).any()
    assert np.array_equal(to_bilevel(art), art < 128)


def test_mixed_page_dithers_only_the_photo_region(inputs: SimpleNamespace) -> None:
    canvas = np.full((640, 640), 255, dtype=np.uint8)
    canvas[:, :320] = np.asarray(inputs.photo(320, 640).convert("L"))
    canvas[100:110, 400:600] = 0  # a text-like bar on the white half
    out = to_bilevel(canvas)
    assert out[:, :320].mean() > 0.2  # photo halftoned
    assert out[100:110, 400:600].all() and not out[200:, 352:].any()  # clean elsewhere


def test_transparent_background_is_white(inputs: SimpleNamespace) -> None:
    img = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    img.paste((0, 0, 0, 255), (50, 50, 150, 150))
    page = compose(None, [("t.png", inputs.encode(img))], header=False).pages[0].image
    _top, _bottom, left, right = ink_box(page)
    assert (right - left) < 0.6 * FINE_W  # only the opaque square is black


def _tiff(frames: list[Image.Image], **kw: object) -> bytes:
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:], **kw)
    return buf.getvalue()


def test_multipage_tiff_keeps_page_order() -> None:
    frames = []
    for i in range(3):
        f = Image.new("L", (300, 420), 255)
        f.paste(0, (20 + 80 * i, 20, 80 + 80 * i, 80))  # a mark moving right
        frames.append(f)
    doc = compose("cover", [("scan.tif", _tiff(frames, compression="tiff_lzw"))], header=False)
    assert [p.source for p in doc.pages] == ["message body", "scan.tif", "scan.tif", "scan.tif"]
    lefts = [ink_box(p.image)[2] for p in doc.pages[1:]]
    assert lefts[0] < lefts[1] < lefts[2]


def test_fax_tiff_at_the_right_resolution_keeps_its_pixels() -> None:
    rng = np.random.default_rng(5)
    black = rng.random((2200, 1728)) < 0.05
    frame = Image.fromarray(~black)  # mode "1", white = 1
    data = _tiff([frame, frame], compression="group4", dpi=(204, 196))
    doc = compose(None, [("fax.tif", data)], header=False)
    assert len(doc.pages) == 2
    assert all(np.array_equal(p.image, black) for p in doc.pages)
    stamped = compose(None, [("fax.tif", data)], now=None).pages[0].image
    band = round(5 / 25.4 * 196)
    assert np.array_equal(stamped[band:], black[band:])


def test_fax_tiff_at_another_resolution_is_rescaled() -> None:
    black = np.zeros((1100, 1728), dtype=bool)
    black[100:300, 200:400] = True
    data = _tiff([Image.fromarray(~black)], compression="group3", dpi=(204, 98))
    doc = compose(None, [("std.tif", data)], header=False, resolution=Resolution.FINE)
    top, bottom, _left, _right = ink_box(doc.pages[0].image)
    assert 380 <= bottom - top <= 420  # 200 rows at 98 dpi = 400 rows at 196 dpi (fitted)


def test_bilevel_tiffs_go_through_pyfax_t4(monkeypatch: pytest.MonkeyPatch) -> None:
    import pyfax.compose._images as images_mod

    calls: list[int] = []
    real = images_mod.read_tiff

    def spy(data: bytes) -> object:
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(images_mod, "read_tiff", spy)
    black = np.zeros((2292, 1728), dtype=bool)
    black[500:600, 100:900] = True
    fax = _tiff([Image.fromarray(~black)], compression="group4", dpi=(204, 196))
    grey = _tiff([Image.new("L", (100, 100), 128)])
    doc = compose(None, [("fax.tif", fax), ("grey.tif", grey)], header=False)
    assert len(calls) == 1 and np.array_equal(doc.pages[0].image, black)


def test_light_and_dark_patches_of_a_photo_stay_halftoned(inputs: SimpleNamespace) -> None:
    """No solid rectangles where a photo is near white or near black."""
    from pyfax.compose._bilevel import TILE_PX

    y, x = np.mgrid[0:640, 0:640]
    grey = (127 + 127 * np.sin(x / 60.0) * np.cos(y / 60.0)).astype(np.uint8)
    out = to_bilevel(grey)  # the page-level (per-region) path
    dark = out[:, :][grey < 20].mean()
    light = out[grey > 235].mean()
    assert 0.8 < dark < 1.0 and 0.0 < light < 0.2  # dotted, not solid
    tiles = out[: 640 // TILE_PX * TILE_PX].reshape(20, TILE_PX, 20, TILE_PX).mean(axis=(1, 3))
    assert ((tiles > 0) & (tiles < 1)).mean() > 0.95


def test_big_photo_is_kept_only_as_large_as_the_page_needs(inputs: SimpleNamespace) -> None:
    from pyfax.compose._compose import Checker, Limits
    from pyfax.compose._geometry import Paper

    img = Image.radial_gradient("L").resize((4000, 3000)).convert("RGB")  # cheap to make
    img.paste((0, 0, 0), (0, 0, 4000, 40))  # a black band along the top edge
    data = inputs.encode(img, "JPEG", dpi=(300, 300))
    checker = Checker(Paper.A4, Limits(), picture_px=2292)
    checker.attachment(("big.jpg", data))
    kept = checker.sources[0].frames[0]  # type: ignore[attr-defined]
    assert max(kept.size_px) <= 2292 and max(kept.size_px) >= 1000
    assert kept.inches() == pytest.approx((4000 / 300, 3000 / 300), rel=0.01)
    page = compose(None, [("big.jpg", data)], header=False).pages[0].image
    top, bottom, left, right = ink_box(page)
    assert (bottom - top) / 196 > (right - left) / 204  # turned to portrait, fills the page
    assert page[top:bottom, left:left + 8].mean() > 0.9  # the black band, now at the left


@pytest.mark.parametrize("orientation", [1, 6])
def test_exif_orientation_is_applied(orientation: int) -> None:
    """A camera JPEG stored sideways (EXIF orientation 6) is turned upright; 1 is kept."""
    from pyfax.compose._images import open_image

    stored = Image.new("L", (200, 100), 255)
    stored.paste(0, (0, 0, 100, 100))  # black left half as stored
    exif = Image.Exif()
    exif[0x0112] = orientation
    buf = io.BytesIO()
    stored.convert("RGB").save(buf, "JPEG", quality=95, exif=exif)
    grey = open_image("cam.jpg", buf.getvalue()).frames[0].grey
    assert grey is not None
    if orientation == 1:
        assert grey.shape == (100, 200) and grey[:, :90].mean() < 20 < 235 < grey[:, 110:].mean()
    else:  # turned 90 degrees clockwise: the stored left half is now the top half
        assert grey.shape == (200, 100) and grey[:90].mean() < 20 < 235 < grey[110:].mean()
