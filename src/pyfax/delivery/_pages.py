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
from pyfax.t4.geometry import Resolution

__all__ = ["StoredPage", "pack_page", "unpack_page"]


@dataclass(frozen=True)
class StoredPage:
    """A bilevel page (True = black) with the resolution it was drawn at."""

    image: NDArray[np.bool_]
    resolution: Resolution = Resolution.FINE


def as_stored(page: Any) -> StoredPage:
    """Accept a compose ``Page`` (``.image``, ``.resolution``) or a bool array (fine)."""
    image = getattr(page, "image", page)
    resolution = getattr(page, "resolution", Resolution.FINE)
    array = np.asarray(image)
    if array.ndim != 2 or array.dtype != np.bool_:
        raise DeliveryError(f"a page must be a 2-D bool array, not {array.dtype} {array.shape}")
    if not isinstance(resolution, Resolution):
        raise DeliveryError(f"a page's resolution must be a Resolution, not {resolution!r}")
    return StoredPage(array, resolution)


def pack_page(page: StoredPage) -> bytes:
    """Serialise a page to bytes (header: height, width, x dpi, y dpi)."""
    height, width = page.image.shape
    header = np.array([height, width, *page.resolution.value], dtype="<u4").tobytes()
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
    try:
        resolution = Resolution((x_dpi, y_dpi))
    except ValueError:
        raise DeliveryError(f"stored page has no fax resolution: {x_dpi}x{y_dpi} dpi") from None
    return StoredPage(image, resolution)
