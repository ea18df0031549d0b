"""Composed pages as bytes, so that a queued job keeps the exact pixels.

A message is composed once; every attempt of every recipient sends the same
pages (same header line, identity and page numbering). The job store keeps
them as packed, zlib-compressed bits with their size and resolution.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pyfax.errors import DeliveryError

__all__ = ["StoredPage", "pack_page", "unpack_page"]

FINE_DPI = (204, 196)


@dataclass(frozen=True)
class StoredPage:
    """A bilevel page (True = black) with its resolution in dots per inch."""

    image: NDArray[np.bool_]
    resolution: tuple[int, int] = FINE_DPI


def as_stored(page: Any) -> StoredPage:
    """Accept a compose ``Page`` (``.image``, ``.resolution``) or a bool array."""
    image = getattr(page, "image", page)
    resolution = getattr(page, "resolution", FINE_DPI)
    array = np.asarray(image)
    if array.ndim != 2 or array.dtype != np.bool_:
        raise DeliveryError(f"a page must be a 2-D bool array, not {array.dtype} {array.shape}")
    x_dpi, y_dpi = _dpi_pair(resolution)
    return StoredPage(array, (x_dpi, y_dpi))


def _dpi_pair(resolution: Any) -> tuple[int, int]:
    for names in (("x_dpi", "y_dpi"), ("x", "y")):
        if all(hasattr(resolution, n) for n in names):
            return int(getattr(resolution, names[0])), int(getattr(resolution, names[1]))
    if hasattr(resolution, "value") and isinstance(resolution.value, tuple):
        return int(resolution.value[0]), int(resolution.value[1])
    x, y = resolution
    return int(x), int(y)


def pack_page(page: StoredPage) -> bytes:
    """Serialise a page to bytes (header: height, width, x dpi, y dpi)."""
    height, width = page.image.shape
    header = np.array([height, width, *page.resolution], dtype="<u4").tobytes()
    return header + zlib.compress(np.packbits(page.image, axis=None).tobytes(), 6)


def unpack_page(blob: bytes) -> StoredPage:
    """Rebuild a page serialised by :func:`pack_page`."""
    if len(blob) < 16:
        raise DeliveryError("stored page is truncated")
    height, width, x_dpi, y_dpi = (int(v) for v in np.frombuffer(blob[:16], dtype="<u4"))
    if height * width > 200_000_000:
        raise DeliveryError(f"stored page is implausibly large: {width}x{height}")
    bits = np.frombuffer(zlib.decompress(blob[16:]), dtype=np.uint8)
    image = np.unpackbits(bits, count=height * width).astype(np.bool_).reshape(height, width)
    return StoredPage(image, (x_dpi, y_dpi))
