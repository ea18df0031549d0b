"""Raster attachments: PNG, JPEG, GIF, BMP, WebP and (multi-page) TIFF.

Checking (``open_image``) reads each frame's header first and rejects a
frame whose declared pixel count is over the limit *before* decoding it
(a decompression bomb), then decodes every frame so that truncated or
corrupt files are reported before anything is rendered. Decoded frames are
kept as 8-bit grey (colour and alpha are flattened onto white, EXIF
orientation applied), or as they are when they are bilevel fax pages.

Bilevel TIFFs (fax TIFFs) are read with ``pyfax.t4.read_tiff``, which
reports their resolution as fax software does (204 x 196 when none is
given). A bilevel frame whose width is the fax page width and whose resolution is
the fax resolution (within 3 %) is an existing fax page: its pixels are used
unchanged. Other frames are fitted to the page (``_place``) and made bilevel
per region (``_bilevel``).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps, UnidentifiedImageError

from pyfax.compose._bilevel import Halftone, error_diffusion, is_photo, to_bilevel
from pyfax.compose._geometry import MM_PER_INCH, Frame
from pyfax.compose._place import Fit, fit, paste, region_of
from pyfax.compose._source import Bilevel, RenderOptions
from pyfax.errors import CorruptAttachment, DecompressionBomb, FaxError, PageLimitExceeded
from pyfax.t4 import read_tiff

DEFAULT_MAX_PIXELS = 80_000_000
_DPI_TOLERANCE = 0.03


@dataclass(frozen=True)
class Frame1:
    """One decoded picture.

    Attributes:
        grey: 8-bit grey pixels (255 = white), or None for a bilevel fax page.
        bilevel: the bilevel pixels (True = black) of a mode "1" picture, else None.
        dpi: (x, y) resolution the file declares, or None.
    """

    grey: NDArray[np.uint8] | None = field(repr=False)
    bilevel: NDArray[np.bool_] | None = field(repr=False)
    dpi: tuple[float, float] | None

    @property
    def size_px(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        arr = self.grey if self.grey is not None else self.bilevel
        assert arr is not None
        return arr.shape[1], arr.shape[0]

    def inches(self) -> tuple[float, float]:
        """Physical size; square pixels are assumed when no usable dpi is declared."""
        w, h = self.size_px
        if self.dpi is None:
            return float(w), float(h)
        return w / self.dpi[0], h / self.dpi[1]


@dataclass
class ImageSource:
    """A checked picture file: its decoded frames (one per page)."""

    name: str
    frames: list[Frame1] = field(repr=False)

    @property
    def n_pages(self) -> int:
        """One page per frame."""
        return len(self.frames)

    def render(self, index: int, frame: Frame, options: RenderOptions, out: Bilevel) -> Bilevel:
        """Frame ``index`` on a fax page (drawn into ``out`` unless it is a fax page of
        another length, which keeps its own)."""
        pic = self.frames[index]
        if pic.bilevel is not None and _is_fax_page(pic, frame):
            if pic.bilevel.shape != out.shape:
                return pic.bilevel.copy()
            out[...] = pic.bilevel
            return out
        grey = pic.grey
        if grey is None:
            assert pic.bilevel is not None
            grey = np.where(pic.bilevel, 0, 255).astype(np.uint8)
        margin_in = options.image_margin_mm / MM_PER_INCH
        top = frame.header_rows + round(margin_in * frame.resolution.y_dpi)
        box_w = frame.width_px / frame.resolution.x_dpi - 2 * margin_in
        box_h = (frame.height_px - top) / frame.resolution.y_dpi - margin_in
        w_in, h_in = pic.inches()
        placement = fit(w_in, h_in, box_w, box_h, frame)
        photo = is_photo(grey)
        img = _resized(Image.fromarray(grey), placement, photo)
        region = region_of(out, (img.height, img.width), top)
        target = region if region is not None else np.empty((img.height, img.width), np.bool_)
        halftone = options.halftone
        if halftone is Halftone.ERROR_DIFFUSION or (photo and halftone is Halftone.AUTO):
            error_diffusion(img, out=target)  # straight from Pillow's image: no grey copy
        else:
            to_bilevel(np.asarray(img), halftone, whole_photo=photo, out=target)
        if region is None:  # does not fit whole (never for a fitted picture): clip it
            paste(out, target, top)
        return out


def _resized(img: Image.Image, placement: Fit, photo: bool) -> Image.Image:
    """The picture turned and scaled to its place: a box filter when shrinking (no
    aliasing); when enlarging, bilinear for line art (smooth edges to threshold) and
    nearest for a photograph, whose grain the error diffusion draws anyway."""
    if placement.rotate:
        img = img.transpose(Image.Transpose.ROTATE_90)
    size = (placement.width_px, placement.height_px)
    if size == img.size:
        return img
    if size[0] * size[1] < img.width * img.height:
        how = Image.Resampling.BOX
    else:
        how = Image.Resampling.NEAREST if photo else Image.Resampling.BILINEAR
    return img.resize(size, how, reducing_gap=None)


def _is_fax_page(pic: Frame1, frame: Frame) -> bool:
    if pic.dpi is None or pic.size_px[0] != frame.width_px:
        return False
    x, y = pic.dpi
    want_x, want_y = frame.resolution.x_dpi, frame.resolution.y_dpi
    return abs(x - want_x) <= _DPI_TOLERANCE * want_x and abs(y - want_y) <= _DPI_TOLERANCE * want_y


def _dpi(img: Image.Image) -> tuple[float, float] | None:
    raw = img.info.get("dpi")
    if raw is None:
        return None
    try:
        x, y = float(raw[0]), float(raw[1])
    except (TypeError, ValueError, IndexError):
        return None
    if not (20.0 <= x <= 4800.0 and 20.0 <= y <= 4800.0 and 0.2 <= x / y <= 5.0):
        return None
    return x, y


def _decode(img: Image.Image, max_side_px: int | None = None) -> Frame1:
    """Decode the current frame into grey or bilevel pixels (raises on bad data).

    A picture larger than the page needs (longest side over ``max_side_px``) is
    kept at that size: JPEGs are decoded at a reduced DCT scale (``draft``), others
    box-filtered after decoding, and the declared dpi scaled to match.
    """
    full_side = max(img.size)
    if img.format == "JPEG" and img.mode in ("RGB", "YCbCr", "L"):
        want = (max_side_px, max_side_px) if max_side_px else img.size
        img.draft("L", want)  # luminance only, and at most the DCT scale we need
    img.load()
    dpi = _dpi(img)
    if img.mode == "1":
        return Frame1(None, ~np.asarray(img, dtype=np.bool_), dpi)
    if (img.format == "JPEG" or "exif" in img.info) and _turned(img):
        img = ImageOps.exif_transpose(img)  # (it copies even an upright picture)
    if img.mode in ("RGBA", "LA", "PA", "P") or "transparency" in img.info:
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, rgba)
    grey = img.convert("L") if img.mode != "L" else img
    if max_side_px and max(grey.size) > max_side_px:
        f = max_side_px / max(grey.size)
        grey = grey.resize((max(1, round(grey.width * f)), max(1, round(grey.height * f))),
                           Image.Resampling.BOX)
    if dpi is not None:
        scale = max(grey.size) / full_side
        dpi = (dpi[0] * scale, dpi[1] * scale)
    return Frame1(np.asarray(grey, dtype=np.uint8), None, dpi)  # read-only: never written


def _turned(img: Image.Image) -> bool:
    """Whether the picture's EXIF orientation (tag 274) asks for it to be turned or flipped."""
    return img.getexif().get(0x0112, 1) not in (1, None)


def _frame_count(img: Image.Image) -> int:
    if img.format in ("GIF", "WEBP", "PNG"):
        return 1  # animations: the first frame is the picture
    return int(getattr(img, "n_frames", 1))


def _fax_frames(data: bytes) -> list[Frame1] | None:
    """Frames of a bilevel TIFF as ``pyfax.t4.read_tiff`` reads them (None if it cannot)."""
    try:
        pages = read_tiff(data)
    except FaxError:
        return None  # Pillow's own decoder gets the final word (and the error message)
    return [Frame1(None, np.asarray(p.image, dtype=np.bool_),
                   (float(p.xres_dpi), float(p.yres_dpi))) for p in pages]


def _scan_headers(name: str, img: Image.Image, n: int, max_pixels: int) -> list[str]:
    """Check every frame's declared size before any is decoded; return the modes."""
    modes = []
    for i in range(n):
        img.seek(i)
        w, h = img.size
        if w * h > max_pixels:
            raise DecompressionBomb(
                name, f"frame {i + 1} declares {w}x{h} = {w * h} pixels, over the "
                      f"limit of {max_pixels}")
        modes.append(img.mode)
    return modes


def open_image(name: str, data: bytes, *, max_pixels: int = DEFAULT_MAX_PIXELS,
               pages_before: int = 0, page_limit: int | None = None,
               max_side_px: int | None = None) -> ImageSource:
    """Check and decode a picture file.

    Args:
        name: the attachment's name, for errors.
        data: the file's bytes.
        max_pixels: largest pixel count accepted per frame.
        pages_before: pages the message already has before this file.
        page_limit: the message's page limit, checked before frames are decoded.
        max_side_px: keep pictures no larger than this on their longest side (the
            page's longest side in pixels is enough); None keeps them whole.

    Raises:
        DecompressionBomb: a frame declares more than ``max_pixels`` pixels.
        CorruptAttachment: the file cannot be decoded or is truncated.
        PageLimitExceeded: its frames would take the message over ``page_limit``.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            warnings.simplefilter("ignore", UserWarning)  # e.g. "Corrupt EXIF data": harmless
            img = Image.open(io.BytesIO(data))
            n = _frame_count(img)
            if page_limit is not None and pages_before + n > page_limit:
                raise PageLimitExceeded(name, n_pages=pages_before + n, page_limit=page_limit)
            modes = _scan_headers(name, img, n, max_pixels)
            fax = _fax_frames(data) if img.format == "TIFF" and set(modes) == {"1"} else None
            if fax is not None and len(fax) == n:
                return ImageSource(name, fax)
            frames = []
            for i in range(n):
                img.seek(i)
                frames.append(_decode(img, max_side_px))
    except Image.DecompressionBombError as exc:
        raise DecompressionBomb(name, f"too many pixels ({exc})") from None
    except UnidentifiedImageError:
        raise CorruptAttachment(name, "the image header cannot be read") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError) as exc:
        raise CorruptAttachment(name, f"truncated or damaged image ({exc})") from None
    return ImageSource(name, frames)
