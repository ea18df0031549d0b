"""spandsp's audio fax terminal (``fax_state_t``, Debian libspandsp2 0.0.6) through ctypes.

``SpandspFax(calling=True, tx_tiff=path)`` sends a TIFF; ``SpandspFax(calling=False,
rx_tiff=path)`` receives into one; ``all_sizes`` also offers B4 and A3 widths
and 300/400 dpi. ``step(inp) -> out`` is the block interface of
:class:`pyfax.t30.Terminal`. ``done`` turns true when spandsp's phase E
handler has run; ``completion`` is then its ``T30_ERR_*`` code
(``completion_text`` its name). ``close()`` frees the terminal, which
completes the received TIFF. ``log`` collects spandsp's own protocol log
when ``log_level`` is given (5 = flow).
"""

from __future__ import annotations

import ctypes
from ctypes import CFUNCTYPE, POINTER, Structure, c_char_p, c_int, c_int16, c_void_p

import numpy as np
from numpy.typing import NDArray

from peers import library

PHASE_E = CFUNCTYPE(None, c_void_p, c_void_p, c_int)
MESSAGE = CFUNCTYPE(None, c_int, c_char_p)

T30_SUPPORT_V27TER = 0x01
T30_SUPPORT_V29 = 0x02
T30_SUPPORT_V17 = 0x04
MODEM_BITS = {"v27ter": T30_SUPPORT_V27TER, "v29": T30_SUPPORT_V29, "v17": T30_SUPPORT_V17}
COMPRESSION_BITS = {"MH": 0x02, "MR": 0x04, "MMR": 0x08}
T30_ERR_OK = 0
T30_ERR_T1_EXPIRED = 3
T30_ERR_CANNOT_TRAIN = 6


class T30Stats(Structure):
    _fields_ = [(name, c_int) for name in (
        "bit_rate", "error_correcting_mode", "pages_tx", "pages_rx", "pages_in_file",
        "x_resolution", "y_resolution", "width", "length", "image_size", "encoding",
        "bad_rows", "longest_bad_row_run", "error_correcting_mode_retries", "current_status")]


def _lib() -> ctypes.CDLL:
    lib = library("spandsp")
    if not getattr(lib, "_pyfax_fax_typed", False):
        lib.fax_init.restype = c_void_p
        lib.fax_init.argtypes = [c_void_p, c_int]
        lib.fax_get_t30_state.restype = c_void_p
        lib.fax_get_t30_state.argtypes = [c_void_p]
        lib.fax_get_logging_state.restype = c_void_p
        lib.fax_get_logging_state.argtypes = [c_void_p]
        lib.fax_rx.argtypes = [c_void_p, POINTER(c_int16), c_int]
        lib.fax_tx.argtypes = [c_void_p, POINTER(c_int16), c_int]
        lib.fax_set_transmit_on_idle.argtypes = [c_void_p, c_int]
        lib.fax_free.argtypes = [c_void_p]
        lib.t30_set_tx_file.argtypes = [c_void_p, c_char_p, c_int, c_int]
        lib.t30_set_rx_file.argtypes = [c_void_p, c_char_p, c_int]
        lib.t30_set_tx_ident.argtypes = [c_void_p, c_char_p]
        lib.t30_get_rx_ident.restype = c_char_p
        lib.t30_get_rx_ident.argtypes = [c_void_p]
        lib.t30_get_logging_state.restype = c_void_p
        lib.t30_get_logging_state.argtypes = [c_void_p]
        for name in ("t30_set_ecm_capability", "t30_set_supported_modems",
                     "t30_set_supported_compressions", "t30_set_supported_image_sizes",
                     "t30_set_supported_resolutions", "t30_set_minimum_scan_line_time"):
            getattr(lib, name).argtypes = [c_void_p, c_int]
        lib.t30_set_phase_e_handler.argtypes = [c_void_p, PHASE_E, c_void_p]
        lib.t30_get_transfer_statistics.argtypes = [c_void_p, POINTER(T30Stats)]
        lib.t30_completion_code_to_str.restype = c_char_p
        lib.t30_completion_code_to_str.argtypes = [c_int]
        lib.span_log_set_level.argtypes = [c_void_p, c_int]
        lib.span_log_set_message_handler.argtypes = [c_void_p, MESSAGE]
        lib._pyfax_fax_typed = True
    return lib


class SpandspFax:
    """One spandsp fax terminal on an audio line."""

    def __init__(self, *, calling: bool, tx_tiff: str | None = None, rx_tiff: str | None = None,
                 ecm: bool = True, modems: tuple[str, ...] = ("v17", "v29", "v27ter"),
                 compressions: tuple[str, ...] = ("MH", "MR", "MMR"), ident: str = "",
                 log_level: int | None = None, all_sizes: bool = False,
                 min_scan_ms: int | None = None, standard_only: bool = False) -> None:
        self._lib = _lib()
        self._s = self._lib.fax_init(None, int(calling))
        if not self._s:
            raise RuntimeError("fax_init failed")
        self._t30 = self._lib.fax_get_t30_state(self._s)
        self._lib.fax_set_transmit_on_idle(self._s, 1)
        self.completion: int | None = None
        self.log: list[str] = []
        self._cb = PHASE_E(self._phase_e)
        self._msg = MESSAGE(self._message)
        self._lib.t30_set_phase_e_handler(self._t30, self._cb, None)
        if ident:
            self._lib.t30_set_tx_ident(self._t30, ident.encode())
        if tx_tiff:
            self._lib.t30_set_tx_file(self._t30, tx_tiff.encode(), -1, -1)
        if rx_tiff:
            self._lib.t30_set_rx_file(self._t30, rx_tiff.encode(), -1)
        self._lib.t30_set_ecm_capability(self._t30, int(ecm))
        if standard_only:  # R8 x 3.85 lines/mm only
            self._lib.t30_set_supported_resolutions(self._t30, 0x01 | 0x20000)
        if min_scan_ms is not None:
            self._lib.t30_set_minimum_scan_line_time(self._t30, min_scan_ms)
        if all_sizes:  # A4, B4 and A3 widths, A4, B4 and unlimited lengths, every resolution
            self._lib.t30_set_supported_image_sizes(self._t30, 0x07 | 0x10000 | 0x20000 | 0x40000)
            self._lib.t30_set_supported_resolutions(
                self._t30, 0x01 | 0x02 | 0x04 | 0x10000 | 0x20000 | 0x40000 | 0x100000 | 0x200000)
        self._lib.t30_set_supported_modems(self._t30, sum(MODEM_BITS[m] for m in modems))
        self._lib.t30_set_supported_compressions(
            self._t30, sum(COMPRESSION_BITS[c] for c in compressions))
        if log_level is not None:
            for state in (self._lib.fax_get_logging_state(self._s),
                          self._lib.t30_get_logging_state(self._t30)):
                self._lib.span_log_set_message_handler(state, self._msg)
                self._lib.span_log_set_level(state, log_level | 0x0800 | 0x0200)

    def _phase_e(self, _s: int, _user: int, code: int) -> None:
        self.completion = code

    def _message(self, _level: int, text: bytes) -> None:
        self.log.append(text.decode(errors="replace").rstrip())

    @property
    def done(self) -> bool:
        return self.completion is not None

    @property
    def completion_text(self) -> str:
        if self.completion is None:
            return "not finished"
        return self._lib.t30_completion_code_to_str(self.completion).decode()

    @property
    def remote_ident(self) -> str:
        raw = self._lib.t30_get_rx_ident(self._t30)
        return raw.decode(errors="replace").strip() if raw else ""

    def stats(self) -> T30Stats:
        st = T30Stats()
        self._lib.t30_get_transfer_statistics(self._t30, ctypes.byref(st))
        return st

    def step(self, inp: NDArray[np.int16]) -> NDArray[np.int16]:
        """Feed ``inp`` (copied: fax_rx writes to it); return as many samples to send."""
        buf = np.array(inp, dtype=np.int16, copy=True)
        self._lib.fax_rx(self._s, buf.ctypes.data_as(POINTER(c_int16)), len(buf))
        out = np.zeros(len(buf), dtype=np.int16)
        self._lib.fax_tx(self._s, out.ctypes.data_as(POINTER(c_int16)), len(out))
        return out

    def close(self) -> None:
        """Free the terminal (completes a received TIFF)."""
        if self._s:
            self._lib.fax_free(self._s)
            self._s = None

    def __del__(self) -> None:
        self.close()
