"""Bilevel pages kept one bit per pixel.

A page as a numpy bool array takes a byte per pixel: 3.96 MB for A4 at fine
resolution, 7.9 MB at superfine, so a 200-page document would hold 0.8 to
1.6 GB. :class:`PackedImage` keeps the same pixels in an eighth of that (the
rows packed MSB first, as ``numpy.packbits`` along each row) and unpacks a
fresh array on demand, which costs a fraction of a millisecond per page.

>>> import numpy as np
>>> page = np.zeros((3, 16), dtype=bool); page[1, 3] = True
>>> packed = PackedImage.pack(page)
>>> packed.shape, packed.nbytes, bool((packed.unpack() == page).all())
((3, 16), 6, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["PackedImage"]


@dataclass(frozen=True, eq=False)
class PackedImage:
    """A bilevel image (True = black), one bit per pixel.

    Attributes:
        bits: (rows, ceil(width_px / 8)) uint8, each row packed MSB first.
        width_px: pixels per row.
    """

    bits: NDArray[np.uint8]
    width_px: int

    def __post_init__(self) -> None:
        if self.bits.ndim != 2 or self.bits.dtype != np.uint8:
            raise ValueError(f"packed rows must be 2-D uint8, not {self.bits.dtype} "
                             f"{self.bits.shape}")
        if self.bits.shape[1] != -(-self.width_px // 8):
            raise ValueError(f"{self.bits.shape[1]} octets per row cannot hold "
                             f"{self.width_px} pixels")

    @classmethod
    def pack(cls, image: NDArray[np.bool_]) -> PackedImage:
        """Pack a 2-D bool (or 0/1) array."""
        array = np.asarray(image)
        if array.ndim != 2:
            raise ValueError(f"a page must be 2-D, not {array.shape}")
        return cls(np.packbits(array.astype(np.bool_, copy=False), axis=1), int(array.shape[1]))

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, width_px), as the unpacked array's."""
        return int(self.bits.shape[0]), self.width_px

    @property
    def nbytes(self) -> int:
        """Memory the pixels take."""
        return int(self.bits.nbytes)

    def unpack(self) -> NDArray[np.bool_]:
        """A new (rows, width_px) bool array of the pixels."""
        return np.unpackbits(self.bits, axis=1, count=self.width_px).view(np.bool_)

    def to_bytes(self) -> bytes:
        """The pixels as one bit string, row after row, MSB first (rows not padded)."""
        if self.width_px % 8 == 0:
            return self.bits.tobytes()
        return np.packbits(self.unpack(), axis=None).tobytes()
