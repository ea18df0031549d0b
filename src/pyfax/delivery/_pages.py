"""Composed pages as bytes, so that a queued job keeps the exact pixels.

A message is composed once; every attempt of every recipient sends the same
pages (same header line, identity and page numbering). The job store keeps
them as packed, zlib-compressed bits with their size and resolution.
"""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pyfax.errors import DeliveryError
from pyfax.t4.geometry import Resolution
from pyfax.t4.packed import PackedImage

__all__ = ["StoredPage", "pack_page", "unpack_page"]


class StoredPage:
    """A bilevel page (True = black) with the resolution it was drawn at, kept one bit
    per pixel (a job's pages are held for the whole call).

    Args:
        image: the page, as a 2-D bool array or already packed.
        resolution: its resolution.
    """

    __slots__ = ("packed", "resolution")

    def __init__(self, image: NDArray[np.bool_] | PackedImage,
                 resolution: Resolution = Resolution.FINE) -> None:
        self.packed = image if isinstance(image, PackedImage) else PackedImage.pack(image)
        self.resolution = resolution

    @property
    def image(self) -> NDArray[np.bool_]:
        """The page as a new (rows, width) bool array."""
        return self.packed.unpack()

    def __repr__(self) -> str:
        rows, width = self.packed.shape
        return f"StoredPage({width}x{rows}, {self.resolution!r})"


def as_stored(page: Any) -> StoredPage:
    """Accept a compose ``Page`` (``.packed`` or ``.image``, ``.resolution``) or a bool
    array (fine)."""
    resolution = getattr(page, "resolution", Resolution.FINE)
    if not isinstance(resolution, Resolution):
        raise DeliveryError(f"a page's resolution must be a Resolution, not {resolution!r}")
    packed = getattr(page, "packed", None)
    if isinstance(packed, PackedImage):
        return StoredPage(packed, resolution)
    array = np.asarray(getattr(page, "image", page))
    if array.ndim != 2 or array.dtype != np.bool_:
        raise DeliveryError(f"a page must be a 2-D bool array, not {array.dtype} {array.shape}")
    return StoredPage(array, resolution)


def pack_page(page: StoredPage) -> bytes:
    """Serialise a page to bytes (header: height, width, x dpi, y dpi)."""
    height, width = page.packed.shape
    header = np.array([height, width, *page.resolution.value], dtype="<u4").tobytes()
    return header + zlib.compress(page.packed.to_bytes(), 6)


def unpack_page(blob: bytes) -> StoredPage:
    """Rebuild a page serialised by :func:`pack_page`."""
    if len(blob) < 16:
        raise DeliveryError("stored page is truncated")
    height, width, x_dpi, y_dpi = (int(v) for v in np.frombuffer(blob[:16], dtype="<u4"))
    if height * width > 200_000_000:
        raise DeliveryError(f"stored page is implausibly large: {width}x{height}")
    try:
        bits = np.frombuffer(zlib.decompress(blob[16:]), dtype=np.uint8)
    except zlib.error as exc:
        raise DeliveryError(f"stored page is damaged ({exc})") from None
    if len(bits) != -(-height * width // 8):
        raise DeliveryError(f"stored page has {len(bits)} octets, not the {width}x{height} "
                            f"pixels its header gives")
    try:
        resolution = Resolution((x_dpi, y_dpi))
    except ValueError:
        raise DeliveryError(f"stored page has no fax resolution: {x_dpi}x{y_dpi} dpi") from None
    if width % 8 == 0:  # the rows are whole octets: already packed row by row
        return StoredPage(PackedImage(bits.reshape(height, width // 8), width), resolution)
    image = np.unpackbits(bits, count=height * width).view(np.bool_).reshape(height, width)
    return StoredPage(image, resolution)
