"""Minimal ctypes binding to the system libtiff (libtiff.so.6) for benchmarks.

Codes and decodes one strip per page through a TIFF file on a tmpfs
(/dev/shm when present), with one TIFFWriteEncodedStrip / TIFFReadEncodedStrip
call per page, so the timing is libtiff's codec plus its small file overhead.
"""

from __future__ import annotations

import ctypes
import os
import tempfile

import numpy as np
from numpy.typing import NDArray

_COMPRESSION = {"MH": 3, "MR": 3, "MMR": 4}
_TAGS = dict(
    width=256,
    length=257,
    bps=258,
    compression=259,
    photometric=262,
    fillorder=266,
    spp=277,
    rowsperstrip=278,
    xres=282,
    yres=283,
    planar=284,
    t4options=292,
    resunit=296,
)


class LibTiff:
    """libtiff's G3/G4 codec on whole pages."""

    def __init__(self) -> None:
        lib = ctypes.CDLL("libtiff.so.6")
        lib.TIFFOpen.restype = ctypes.c_void_p
        lib.TIFFOpen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        lib.TIFFClose.argtypes = [ctypes.c_void_p]
        for name in ("TIFFWriteEncodedStrip", "TIFFReadEncodedStrip", "TIFFWriteRawStrip"):
            fn = getattr(lib, name)
            fn.restype = ctypes.c_ssize_t
            fn.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_void_p, ctypes.c_ssize_t]
        lib.TIFFSetWarningHandler.argtypes = [ctypes.c_void_p]
        lib.TIFFSetWarningHandler(None)
        self._lib = lib
        self._dir = tempfile.mkdtemp(dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
        self.path = os.path.join(self._dir, "bench.tif").encode()

    def _open(self, mode: bytes, width: int, rows: int, scheme: str) -> int:
        lib = self._lib
        tif = lib.TIFFOpen(self.path, mode)
        if not tif:
            raise RuntimeError("TIFFOpen failed")
        if mode == b"w":
            t = _TAGS
            ints = (
                (t["width"], width),
                (t["length"], rows),
                (t["bps"], 1),
                (t["spp"], 1),
                (t["compression"], _COMPRESSION[scheme]),
                (t["photometric"], 0),
                (t["fillorder"], 1),
                (t["planar"], 1),
                (t["rowsperstrip"], rows),
                (t["resunit"], 2),
            )
            for tag, value in ints:
                lib.TIFFSetField(ctypes.c_void_p(tif), ctypes.c_uint32(tag), ctypes.c_int(value))
            for tag, dpi in ((t["xres"], 204.0), (t["yres"], 196.0)):
                lib.TIFFSetField(ctypes.c_void_p(tif), ctypes.c_uint32(tag), ctypes.c_double(dpi))
            if scheme != "MMR":
                lib.TIFFSetField(
                    ctypes.c_void_p(tif),
                    ctypes.c_uint32(t["t4options"]),
                    ctypes.c_int(1 if scheme == "MR" else 0),
                )
        return int(tif)

    def encode(self, packed: NDArray[np.uint8], width: int, scheme: str) -> None:
        """Code one page (rows of packed bits, 1 = black) into the file."""
        tif = self._open(b"w", width, packed.shape[0], scheme)
        n = self._lib.TIFFWriteEncodedStrip(
            ctypes.c_void_p(tif), 0, packed.ctypes.data, packed.nbytes
        )
        self._lib.TIFFClose(ctypes.c_void_p(tif))
        if n < 0:
            raise RuntimeError("TIFFWriteEncodedStrip failed")

    def store_raw(self, data: bytes, width: int, rows: int, scheme: str) -> None:
        """Write an already coded strip into the file, for :meth:`decode`."""
        tif = self._open(b"w", width, rows, scheme)
        self._lib.TIFFWriteRawStrip(ctypes.c_void_p(tif), 0, data, len(data))
        self._lib.TIFFClose(ctypes.c_void_p(tif))

    def decode(self, out: NDArray[np.uint8]) -> None:
        """Decode the file's strip into ``out`` (rows of packed bits)."""
        tif = self._open(b"r", 0, 0, "MH")
        n = self._lib.TIFFReadEncodedStrip(ctypes.c_void_p(tif), 0, out.ctypes.data, out.nbytes)
        self._lib.TIFFClose(ctypes.c_void_p(tif))
        if n != out.nbytes:
            raise RuntimeError("TIFFReadEncodedStrip failed")
