"""libtiff (the system ``libtiff.so.6``) as a T.4/T.6 peer, through ctypes.

:func:`encode` has libtiff code a page and returns its raw strip;
:func:`decode` hands libtiff a raw strip and returns the page it decodes.
Both go through a TIFF file on disk, as libtiff has no memory codec API.
:class:`StripFile` is that file kept open for reuse: one
``TIFFWriteEncodedStrip`` or ``TIFFReadEncodedStrip`` call per page on a tmpfs,
so that timing it (``benchmarks/t4_bench.py``) is libtiff's codec plus a
small file overhead.

libtiff facts that matter here (see /work/shared/PEERS.md): it writes an EOL
before every row and RTC at the end of a G3 strip, EOFB at the end of G4; its
MR K is 4 above 150 dpi vertically, else 2; its decoder does not stop at RTC,
so we ask for exactly the rows we expect.
"""

from __future__ import annotations

import ctypes
import os
import tempfile

import numpy as np
from numpy.typing import NDArray

from peers import library

COMPRESSION = {"MH": 3, "MR": 3, "MMR": 4}
T4_2D, T4_FILL = 0x1, 0x4

_TAG_WIDTH, _TAG_LENGTH, _TAG_BPS, _TAG_COMPRESSION = 256, 257, 258, 259
_TAG_PHOTOMETRIC, _TAG_FILLORDER, _TAG_SPP, _TAG_ROWSPERSTRIP = 262, 266, 277, 278
_TAG_XRES, _TAG_YRES, _TAG_PLANAR, _TAG_T4OPTIONS, _TAG_RESUNIT = 282, 283, 284, 292, 296


def _lib() -> ctypes.CDLL:
    lib = library("libtiff")
    if not getattr(lib, "_pyfax_ready", False):
        lib.TIFFOpen.restype = ctypes.c_void_p
        lib.TIFFOpen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        lib.TIFFClose.argtypes = [ctypes.c_void_p]
        for name in (
            "TIFFWriteRawStrip",
            "TIFFReadRawStrip",
            "TIFFWriteEncodedStrip",
            "TIFFReadEncodedStrip",
        ):
            fn = getattr(lib, name)
            fn.restype = ctypes.c_ssize_t
            fn.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_void_p, ctypes.c_ssize_t]
        lib.TIFFWriteScanline.restype = ctypes.c_int
        lib.TIFFWriteScanline.argtypes = [
            ctypes.c_void_p,
            ctypes.c_void_p,
            ctypes.c_uint32,
            ctypes.c_uint16,
        ]
        lib.TIFFRawStripSize.restype = ctypes.c_ssize_t
        lib.TIFFRawStripSize.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
        lib.TIFFSetField.restype = ctypes.c_int
        lib.TIFFSetWarningHandler.argtypes = [ctypes.c_void_p]
        lib.TIFFSetWarningHandler.restype = ctypes.c_void_p
        lib.TIFFSetWarningHandler(None)
        lib._pyfax_ready = True
    return lib


def _set_fields(
    lib: ctypes.CDLL, tif: int, width: int, rows: int, scheme: str, t4_options: int, yres_dpi: float
) -> None:
    # TIFFSetField is variadic: integer tags travel as int, rationals as double.
    def put(tag: int, value: ctypes.c_int | ctypes.c_double) -> None:
        if lib.TIFFSetField(ctypes.c_void_p(tif), ctypes.c_uint32(tag), value) != 1:
            raise RuntimeError(f"TIFFSetField({tag}) failed")

    for tag, v in (
        (_TAG_WIDTH, width),
        (_TAG_LENGTH, rows),
        (_TAG_BPS, 1),
        (_TAG_SPP, 1),
        (_TAG_COMPRESSION, COMPRESSION[scheme]),
        (_TAG_PHOTOMETRIC, 0),
        (_TAG_FILLORDER, 1),
        (_TAG_PLANAR, 1),
        (_TAG_ROWSPERSTRIP, rows),
        (_TAG_RESUNIT, 2),
    ):
        put(tag, ctypes.c_int(v))
    put(_TAG_XRES, ctypes.c_double(204.0))
    put(_TAG_YRES, ctypes.c_double(yres_dpi))
    if scheme != "MMR":
        put(_TAG_T4OPTIONS, ctypes.c_int(t4_options | (T4_2D if scheme == "MR" else 0)))


def _open(lib: ctypes.CDLL, path: str, mode: bytes) -> int:
    tif = lib.TIFFOpen(path.encode(), mode)
    if not tif:
        raise RuntimeError(f"TIFFOpen({path}) failed")
    return int(tif)


def encode(
    page: NDArray[np.bool_], scheme: str, *, byte_align: bool = False, yres_dpi: float = 196.0
) -> bytes:
    """The raw strip libtiff codes for ``page`` (True = black)."""
    lib = _lib()
    rows, width = page.shape
    packed = np.packbits(page, axis=1)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "page.tif")
        tif = _open(lib, path, b"w")
        _set_fields(lib, tif, width, rows, scheme, T4_FILL if byte_align else 0, yres_dpi)
        # Row by row: libtiff only appends RTC (in TIFFClose) on this path.
        buf = np.ascontiguousarray(packed)
        for row in range(rows):
            ok = lib.TIFFWriteScanline(ctypes.c_void_p(tif), buf[row].ctypes.data, row, 0)
            if ok != 1:
                lib.TIFFClose(ctypes.c_void_p(tif))
                raise RuntimeError(f"TIFFWriteScanline({row}) failed")
        lib.TIFFClose(ctypes.c_void_p(tif))
        tif = _open(lib, path, b"r")
        size = lib.TIFFRawStripSize(ctypes.c_void_p(tif), 0)
        raw = ctypes.create_string_buffer(size)
        got = lib.TIFFReadRawStrip(ctypes.c_void_p(tif), 0, raw, size)
        lib.TIFFClose(ctypes.c_void_p(tif))
    return raw.raw[:got]


class StripFile:
    """One TIFF file on a tmpfs (/dev/shm when present) that holds a page as one strip.

    Use it as a context manager, or call :meth:`close`, to remove the file.
    """

    def __init__(self) -> None:
        self._lib = _lib()
        self._dir = tempfile.TemporaryDirectory(
            dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
        self.path = os.path.join(self._dir.name, "page.tif")

    def __enter__(self) -> StripFile:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._dir.cleanup()

    def _create(self, width: int, rows: int, scheme: str) -> int:
        tif = _open(self._lib, self.path, b"w")
        _set_fields(self._lib, tif, width, rows, scheme, 0, 196.0)
        return tif

    def encode(self, packed: NDArray[np.uint8], width: int, scheme: str) -> None:
        """Have libtiff code one page (rows of packed bits, 1 = black) into the file."""
        tif = self._create(width, packed.shape[0], scheme)
        n = self._lib.TIFFWriteEncodedStrip(
            ctypes.c_void_p(tif), 0, packed.ctypes.data, packed.nbytes)
        self._lib.TIFFClose(ctypes.c_void_p(tif))
        if n < 0:
            raise RuntimeError("TIFFWriteEncodedStrip failed")

    def store_raw(self, data: bytes, width: int, rows: int, scheme: str) -> None:
        """Write an already coded strip ``data`` into the file, for :meth:`decode`."""
        tif = self._create(width, rows, scheme)
        n = self._lib.TIFFWriteRawStrip(ctypes.c_void_p(tif), 0, data, len(data))
        self._lib.TIFFClose(ctypes.c_void_p(tif))
        if n < 0:
            raise RuntimeError("TIFFWriteRawStrip failed")

    def decode(self, out: NDArray[np.uint8]) -> None:
        """Have libtiff decode the file's strip into ``out`` (rows of packed bits)."""
        tif = _open(self._lib, self.path, b"r")
        got = self._lib.TIFFReadEncodedStrip(ctypes.c_void_p(tif), 0, out.ctypes.data, out.nbytes)
        self._lib.TIFFClose(ctypes.c_void_p(tif))
        if got != out.nbytes:
            raise RuntimeError(f"libtiff decoded {got} of {out.nbytes} bytes")


def decode(data: bytes, width: int, rows: int, scheme: str) -> NDArray[np.bool_]:
    """The page libtiff decodes from the raw strip ``data`` (rows known)."""
    out = np.zeros((rows, (width + 7) // 8), np.uint8)
    with StripFile() as strip:
        strip.store_raw(data, width, rows, scheme)
        strip.decode(out)
    return np.unpackbits(out, axis=1)[:, :width].astype(bool)


def _get(lib: ctypes.CDLL, tif: int, tag: int, ctype: type) -> float:
    value = ctype()
    if lib.TIFFGetField(ctypes.c_void_p(tif), ctypes.c_uint32(tag), ctypes.byref(value)) != 1:
        raise RuntimeError(f"TIFFGetField({tag}) failed")
    return value.value  # type: ignore[no-any-return]


def read_file(path: str) -> list[dict[str, object]]:
    """Every page of a TIFF file as libtiff sees it: the image and its tags."""
    lib = _lib()
    lib.TIFFGetField.restype = ctypes.c_int
    lib.TIFFReadDirectory.argtypes = [ctypes.c_void_p]
    lib.TIFFReadScanline.argtypes = [
        ctypes.c_void_p,
        ctypes.c_void_p,
        ctypes.c_uint32,
        ctypes.c_uint16,
    ]
    tif = _open(lib, str(path), b"r")
    pages: list[dict[str, object]] = []
    try:
        while True:
            width = int(_get(lib, tif, _TAG_WIDTH, ctypes.c_uint32))
            rows = int(_get(lib, tif, _TAG_LENGTH, ctypes.c_uint32))
            image = np.zeros((rows, (width + 7) // 8), np.uint8)
            for row in range(rows):
                if lib.TIFFReadScanline(ctypes.c_void_p(tif), image[row].ctypes.data, row, 0) != 1:
                    raise RuntimeError(f"TIFFReadScanline({row}) failed")
            page: dict[str, object] = {
                "image": np.unpackbits(image, axis=1)[:, :width].astype(bool),
                "compression": int(_get(lib, tif, _TAG_COMPRESSION, ctypes.c_uint16)),
                "photometric": int(_get(lib, tif, _TAG_PHOTOMETRIC, ctypes.c_uint16)),
                "fillorder": int(_get(lib, tif, _TAG_FILLORDER, ctypes.c_uint16)),
                "xres": _get(lib, tif, _TAG_XRES, ctypes.c_float),
                "yres": _get(lib, tif, _TAG_YRES, ctypes.c_float),
                "resunit": int(_get(lib, tif, _TAG_RESUNIT, ctypes.c_uint16)),
            }
            if page["compression"] == 3:
                page["t4options"] = int(_get(lib, tif, _TAG_T4OPTIONS, ctypes.c_uint32))
            pages.append(page)
            if lib.TIFFReadDirectory(ctypes.c_void_p(tif)) != 1:
                return pages
    finally:
        lib.TIFFClose(ctypes.c_void_p(tif))
