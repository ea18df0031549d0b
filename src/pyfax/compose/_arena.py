"""Page rasters carved out of shared, huge-page aligned blocks mapped on their own.

A fax page is one byte per pixel (numpy bool): 1728 x 2292 at fine
resolution is 3.96 MB, just under the 4 MiB from which numpy asks Linux for
transparent huge pages (``madvise``). Allocated one by one, every page is
therefore faulted in 4 KiB at a time, about a thousand page faults that cost
more CPU than drawing the page's text. A document's pages are instead taken
from blocks of up to :data:`BLOCK_BYTES`, each aligned on a 2 MiB boundary so
the kernel can back it with huge pages.

Every block is also at least :data:`MIN_BLOCK_BYTES`, above the largest
threshold (32 MiB) from which glibc's ``malloc`` maps an allocation on its own
instead of taking it from the heap. The pages then never sit on the heap: it
stays small and keeps recycling, warm, the scratch memory the renderers use
(a photo's resampled and dithered copies), instead of growing past the pages
and getting that memory fresh (to be zeroed by the kernel) for every message.
The untouched part of a block costs address space only. A block's memory is
returned to the system when its last page is freed; a slot a source does not
use (a fax TIFF page of its own length) is never written, so it costs nothing.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

HUGE_PAGE_BYTES = 2 << 20
BLOCK_BYTES = 64 << 20  # pages per block: as many as fit (at least one)
MIN_BLOCK_BYTES = 34 << 20  # over glibc's largest mmap threshold (32 MiB)


class PageArena:
    """Hands out (rows, width_px) bool rasters, all False (white), from shared blocks.

    Args:
        shape: (rows, width_px) of every page.
        n_pages: how many pages will be asked for (more are served, in new blocks).

    >>> arena = PageArena((4, 8), 3)
    >>> pages = [arena.take() for _ in range(3)]
    >>> pages[0].shape, pages[0].dtype, pages[0].flags.c_contiguous, pages[2].any()
    ((4, 8), dtype('bool'), True, np.False_)
    """

    def __init__(self, shape: tuple[int, int], n_pages: int) -> None:
        self._shape = shape
        self._page_bytes = max(1, shape[0] * shape[1])
        self._per_block = max(1, -(-BLOCK_BYTES // self._page_bytes))
        self._left = max(1, n_pages)
        self._block: NDArray[np.bool_] | None = None
        self._next = 0

    def _new_block(self) -> NDArray[np.bool_]:
        n = min(self._per_block, self._left)
        self._left = max(1, self._left - n)
        size = n * self._page_bytes
        # calloc: a block mapped on its own comes zeroed from the kernel, without a memset
        raw = np.zeros(max(size + HUGE_PAGE_BYTES, MIN_BLOCK_BYTES), dtype=np.uint8)
        start = (-raw.ctypes.data) % HUGE_PAGE_BYTES
        return raw[start:start + size].view(np.bool_).reshape(n, *self._shape)

    def take(self) -> NDArray[np.bool_]:
        """A fresh page raster (contents undefined: the caller writes every pixel)."""
        if self._block is None or self._next == self._block.shape[0]:
            self._block, self._next = self._new_block(), 0
        page: NDArray[np.bool_] = self._block[self._next]
        self._next += 1
        return page
