"""spandsp's modem connect tones (CNG, CED/ANS) through ctypes, as test peers.

``spandsp_tone_audio(kind, n_samples)`` is what ``modem_connect_tones_tx``
generates, and ``SpandspToneRx(kind)`` runs ``modem_connect_tones_rx`` and
records each report as ``(code, sample_index)``.
"""

from __future__ import annotations

import ctypes
from ctypes import CFUNCTYPE, POINTER, c_int, c_int16, c_void_p

import numpy as np
from numpy.typing import NDArray

from peers import library

MODEM_CONNECT_TONES_NONE = 0
MODEM_CONNECT_TONES_FAX_CNG = 1
MODEM_CONNECT_TONES_ANS = 2  # CED
MODEM_CONNECT_TONES_FAX_PREAMBLE = 6
MODEM_CONNECT_TONES_FAX_CED_OR_PREAMBLE = 7

TONE_REPORT = CFUNCTYPE(None, c_void_p, c_int, c_int, c_int)


def _lib() -> ctypes.CDLL:
    lib = library("spandsp")
    if not getattr(lib, "_pyfax_tones_typed", False):
        lib.modem_connect_tones_tx_init.restype = c_void_p
        lib.modem_connect_tones_tx_init.argtypes = [c_void_p, c_int]
        lib.modem_connect_tones_tx.argtypes = [c_void_p, POINTER(c_int16), c_int]
        lib.modem_connect_tones_tx_free.argtypes = [c_void_p]
        lib.modem_connect_tones_rx_init.restype = c_void_p
        lib.modem_connect_tones_rx_init.argtypes = [c_void_p, c_int, TONE_REPORT, c_void_p]
        lib.modem_connect_tones_rx.argtypes = [c_void_p, POINTER(c_int16), c_int]
        lib.modem_connect_tones_rx_get.argtypes = [c_void_p]
        lib.modem_connect_tones_rx_free.argtypes = [c_void_p]
        lib._pyfax_tones_typed = True
    return lib


def spandsp_tone_audio(kind: int, n_samples: int) -> NDArray[np.int16]:
    """Up to ``n_samples`` of spandsp's generated tone ``kind``."""
    lib = _lib()
    s = lib.modem_connect_tones_tx_init(None, kind)
    try:
        buf = np.zeros(n_samples, np.int16)
        n = lib.modem_connect_tones_tx(s, buf.ctypes.data_as(POINTER(c_int16)), n_samples)
    finally:
        lib.modem_connect_tones_tx_free(s)
    return buf[:n]


class SpandspToneRx:
    """spandsp's connect-tone detector; ``reports`` are ``(code, sample_index)``."""

    def __init__(self, kind: int) -> None:
        self._lib = _lib()
        self.reports: list[tuple[int, int]] = []
        self._n = 0
        self._cb = TONE_REPORT(self._on_tone)
        self._s = self._lib.modem_connect_tones_rx_init(None, kind, self._cb, None)

    def _on_tone(self, _user: int, code: int, _level: int, _delay: int) -> None:
        self.reports.append((code, self._n))

    def rx(self, audio: NDArray[np.int16], *, block: int = 160) -> None:
        for i in range(0, len(audio), block):
            chunk = np.array(audio[i:i + block], np.int16, copy=True)
            self._n = i + len(chunk)
            self._lib.modem_connect_tones_rx(
                self._s, chunk.ctypes.data_as(POINTER(c_int16)), len(chunk))

    def __del__(self) -> None:
        if getattr(self, "_s", None):
            self._lib.modem_connect_tones_rx_free(self._s)
            self._s = None
