"""Grey to bilevel: clean threshold for text and line art, halftone for photos.

A fax page is black and white only (T.4 §1). Grey rasters are split into
tiles of 32 x 32 pixels; a tile where more than a fifth of the pixels are
mid-tones (neither near-white nor near-black) is a *photo* tile, the others
are text or line art; the photo tiles are closed and their holes filled so
a photograph's own light and dark patches stay with it. A picture attachment
that is photo-like as a whole is halftoned as a whole. Text tiles get a fixed
threshold, which keeps strokes crisp; photo tiles get a halftone, either
Floyd-Steinberg error diffusion (Pillow's C implementation, run once over
the region only when the page has photo tiles) or an 8 x 8 Bayer ordered
dither (vectorised numpy). Nothing grey survives, so nothing is muddy.
"""

from __future__ import annotations

import enum

import numpy as np
from numpy.typing import NDArray
from PIL import Image
from scipy import ndimage

Grey = NDArray[np.uint8]
Bilevel = NDArray[np.bool_]

TILE_PX = 32
THRESHOLD = 128  # grey level below which a text pixel is black
_MID_LOW, _MID_HIGH = 48, 208  # mid-tone band that marks a photo
_PHOTO_FRACTION = 0.2


class Halftone(enum.Enum):
    """How grey regions become black and white."""

    AUTO = "auto"  # per tile: threshold for text/line art, error diffusion for photos
    THRESHOLD = "threshold"  # the whole page thresholded
    ERROR_DIFFUSION = "error-diffusion"  # the whole page Floyd-Steinberg dithered
    ORDERED = "ordered"  # per tile like AUTO, with an 8x8 Bayer dither for photos


def _bayer(n: int) -> NDArray[np.float64]:
    """Normalised Bayer threshold matrix of size ``n`` (a power of two), values in (0, 1)."""
    m = np.zeros((1, 1))
    while m.shape[0] < n:
        m = np.block([[4 * m, 4 * m + 2], [4 * m + 3, 4 * m + 1]])
    return (m + 0.5) / m.size


_BAYER8 = (_bayer(8) * 255.0).astype(np.uint8)


def threshold(grey: Grey, level: int = THRESHOLD, out: Bilevel | None = None) -> Bilevel:
    """Black where ``grey`` is darker than ``level`` (written into ``out`` when given).

    >>> threshold(np.array([[0, 127, 128, 255]], dtype=np.uint8)).tolist()
    [[True, True, False, False]]
    """
    if out is None:
        return grey < level
    return np.less(grey, np.uint8(level), out=out)


def error_diffusion(grey: Grey | Image.Image, out: Bilevel | None = None) -> Bilevel:
    """Floyd-Steinberg dither of a whole grey raster or mode "L" image (Pillow, in C),
    into ``out`` if given."""
    img = grey if isinstance(grey, Image.Image) else Image.fromarray(grey, mode="L")
    dots = img.convert("1", dither=Image.Dither.FLOYDSTEINBERG)
    return np.logical_not(np.asarray(dots, dtype=np.bool_), out=out)


def ordered_dither(grey: Grey, out: Bilevel | None = None) -> Bilevel:
    """8 x 8 Bayer ordered dither of the whole raster (vectorised), into ``out`` if given."""
    h, w = grey.shape
    reps = (-(-h // 8), -(-w // 8))
    return np.less(grey, np.tile(_BAYER8, reps)[:h, :w], out=out)


_MID_LUT = [255 if _MID_LOW < i < _MID_HIGH else 0 for i in range(256)]
_PROBE_STEP = 4  # sampling step of the quick "any mid-tones at all?" check


def _mid_tones(sample: Grey) -> int:
    """How many pixels of ``sample`` are mid-tones (_MID_LOW < level < _MID_HIGH).

    The uint8 subtraction wraps below _MID_LOW + 1, so one comparison tests both ends.
    """
    return int(np.count_nonzero((sample - np.uint8(_MID_LOW + 1)) < _MID_HIGH - _MID_LOW - 1))


def _maybe_photo(grey: Grey) -> bool:
    """Quick check on every 4th pixel of every 8th row: could any tile be a photo?

    A photo tile has over 200 mid-tone pixels of 1024, so about 6 of its 32 samples;
    fewer than 2 mid-tone samples on the whole page rules photos out.
    """
    return _mid_tones(grey[::2 * _PROBE_STEP, ::_PROBE_STEP]) >= 2


def is_photo(grey: Grey) -> bool:
    """Whether a whole picture is photograph-like (over a fifth of it mid-tones).

    >>> is_photo(np.full((64, 64), 128, dtype=np.uint8)), is_photo(np.zeros((64, 64), np.uint8))
    (True, False)
    """
    sample = grey[::_PROBE_STEP, ::_PROBE_STEP]
    return bool(_mid_tones(sample) > _PHOTO_FRACTION * sample.size)


def photo_tiles(grey: Grey) -> Bilevel:
    """Tile grid (TILE_PX squares) of the photo regions of a raster.

    A tile is a photo tile when over a fifth of its pixels are mid-tones. The
    grid is then closed and its holes filled, so the light and dark patches
    inside a photograph stay halftoned with it instead of turning into
    thresholded (solid white or black) rectangles.
    """
    mid = Image.fromarray(grey, mode="L").point(_MID_LUT)
    tile_means = np.asarray(mid.reduce(TILE_PX), dtype=np.float64)  # partial edge tiles too
    tiles = tile_means > _PHOTO_FRACTION * 255.0
    if tiles.any():
        tiles = ndimage.binary_closing(tiles, np.ones((3, 3), dtype=bool), border_value=0) | tiles
        tiles = ndimage.binary_fill_holes(tiles)
    return np.asarray(tiles, dtype=np.bool_)


def photo_mask(grey: Grey) -> Bilevel:
    """Per-pixel mask of the photo regions (see :func:`photo_tiles`)."""
    h, w = grey.shape
    if not _maybe_photo(grey):
        return np.zeros((h, w), dtype=np.bool_)
    return _pixel_mask(photo_tiles(grey), h, w)


def _pixel_mask(tiles: Bilevel, h: int, w: int) -> Bilevel:
    """A tile grid spread over the (h, w) pixels it covers."""
    if not tiles.any():
        return np.zeros((h, w), dtype=np.bool_)
    full = np.repeat(np.repeat(tiles, TILE_PX, axis=0), TILE_PX, axis=1)
    return np.ascontiguousarray(full[:h, :w])


def _halftone(grey: Grey, halftone: Halftone, out: Bilevel | None = None) -> Bilevel:
    if halftone is Halftone.ORDERED:
        return ordered_dither(grey, out)
    return error_diffusion(grey, out)


def to_bilevel(grey: Grey, halftone: Halftone = Halftone.AUTO, *,
               whole_photo: bool = False, out: Bilevel | None = None) -> Bilevel:
    """Turn a grey raster (0 = black, 255 = white) into a bilevel page (True = black).

    Args:
        grey: the raster.
        halftone: the method; AUTO and ORDERED choose per region.
        whole_photo: the raster is one photograph: halftone all of it (AUTO, ORDERED).
        out: a bool array of ``grey``'s shape to write the result into (else a new one);
            it may share ``grey``'s memory (a PDF page drawn in place), which is then
            overwritten.

    >>> to_bilevel(np.full((4, 4), 250, dtype=np.uint8)).any()
    np.False_
    """
    everywhere = halftone is Halftone.ERROR_DIFFUSION or (whole_photo and halftone
                                                          is not Halftone.THRESHOLD)
    if everywhere:
        return _halftone(grey, halftone, out)
    patch = None if halftone is Halftone.THRESHOLD else _photo_patch(grey, halftone)
    page = threshold(grey, out=out)  # may overwrite grey (``out`` may share its memory)
    if patch is not None:
        (r0, r1, c0, c1), sub, dithered = patch
        region = page[r0:r1, c0:c1]
        region[sub] = dithered[sub]
    return page


def _photo_patch(grey: Grey, halftone: Halftone,
                 ) -> tuple[tuple[int, int, int, int], Bilevel, Bilevel] | None:
    """The photo regions of a raster halftoned: (bounding box, mask in it, dots in it)."""
    if not _maybe_photo(grey):
        return None
    mask = _pixel_mask(photo_tiles(grey), *grey.shape)  # photo_mask, without a second probe
    if not mask.any():
        return None
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    r0, r1, c0, c1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    return (r0, r1, c0, c1), mask[r0:r1, c0:c1], _halftone(grey[r0:r1, c0:c1], halftone)
