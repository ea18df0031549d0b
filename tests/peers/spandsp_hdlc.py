"""spandsp's HDLC transmitter and receiver (CRC-16) through ctypes, as test peers.

``spandsp_hdlc_bits(frames)`` returns the line bits spandsp's ``hdlc_tx``
produces for the frames (with its own flags and stuffing), and
``SpandspHdlcRx`` collects the frames spandsp's ``hdlc_rx`` hands up from line
bits, each as ``(data, ok)``.
"""

from __future__ import annotations

import ctypes
from ctypes import CFUNCTYPE, POINTER, c_int, c_size_t, c_uint8, c_void_p

import numpy as np
from numpy.typing import NDArray

from peers import library

FRAME_HANDLER = CFUNCTYPE(None, c_void_p, POINTER(c_uint8), c_int, c_int)
UNDERFLOW_HANDLER = CFUNCTYPE(None, c_void_p)


def _lib() -> ctypes.CDLL:
    lib = library("spandsp")
    if not getattr(lib, "_pyfax_hdlc_typed", False):
        lib.hdlc_tx_init.restype = c_void_p
        lib.hdlc_tx_init.argtypes = [c_void_p, c_int, c_int, c_int, UNDERFLOW_HANDLER, c_void_p]
        lib.hdlc_tx_frame.argtypes = [c_void_p, POINTER(c_uint8), c_size_t]
        lib.hdlc_tx_flags.argtypes = [c_void_p, c_int]
        lib.hdlc_tx_abort.argtypes = [c_void_p]
        lib.hdlc_tx_get_bit.argtypes = [c_void_p]
        lib.hdlc_tx_free.argtypes = [c_void_p]
        lib.hdlc_rx_init.restype = c_void_p
        lib.hdlc_rx_init.argtypes = [c_void_p, c_int, c_int, c_int, FRAME_HANDLER, c_void_p]
        lib.hdlc_rx_put_bit.argtypes = [c_void_p, c_int]
        lib.hdlc_rx_free.argtypes = [c_void_p]
        lib._pyfax_hdlc_typed = True
    return lib


def spandsp_hdlc_bits(frames: list[bytes], *, preamble_flags: int = 10,
                      trailing_bits: int = 32) -> NDArray[np.uint8]:
    """Line bits from spandsp's HDLC transmitter for ``frames`` (CRC-16)."""
    lib = _lib()
    state = {"underflows": 0}

    def on_underflow(_user: int) -> None:
        state["underflows"] += 1

    cb = UNDERFLOW_HANDLER(on_underflow)
    s = lib.hdlc_tx_init(None, 0, 1, 0, cb, None)
    out: list[int] = []
    try:
        lib.hdlc_tx_flags(s, preamble_flags)
        for frame in frames:
            buf = (c_uint8 * len(frame)).from_buffer_copy(frame)
            for _ in range(100_000):
                if lib.hdlc_tx_frame(s, buf, len(frame)) == 0:
                    break
                out.append(lib.hdlc_tx_get_bit(s))
        before = state["underflows"]
        for _ in range(100_000):
            out.append(lib.hdlc_tx_get_bit(s))
            if state["underflows"] > before:
                break
        out.extend(lib.hdlc_tx_get_bit(s) for _ in range(trailing_bits))
    finally:
        lib.hdlc_tx_free(s)
    return np.array(out, dtype=np.uint8)


class SpandspHdlcRx:
    """spandsp's HDLC receiver (CRC-16, bad frames reported); ``frames`` collects them."""

    def __init__(self) -> None:
        self._lib = _lib()
        self.frames: list[tuple[bytes, bool]] = []
        self._cb = FRAME_HANDLER(self._on_frame)
        self._s = self._lib.hdlc_rx_init(None, 0, 1, 1, self._cb, None)

    def _on_frame(self, _user: int, pkt: ctypes._Pointer[c_uint8], length: int, ok: int) -> None:
        if length < 0 or not pkt:  # a status report, not a frame
            return
        self.frames.append((ctypes.string_at(pkt, length), bool(ok)))

    def put_bits(self, bits: NDArray[np.uint8] | list[int]) -> None:
        put = self._lib.hdlc_rx_put_bit
        for bit in np.asarray(bits).tolist():
            put(self._s, int(bit))

    def __del__(self) -> None:
        if getattr(self, "_s", None):
            self._lib.hdlc_rx_free(self._s)
            self._s = None
