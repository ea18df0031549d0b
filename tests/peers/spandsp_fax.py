"""spandsp's audio fax terminal (``fax_state_t``, Debian libspandsp2 0.0.6) through ctypes.

``SpandspFax(calling=True, tx_tiff=path)`` sends a TIFF; ``SpandspFax(calling=False,
rx_tiff=path)`` receives into one; ``all_sizes`` also offers B4 and A3 widths
and 300/400 dpi. ``step(inp) -> out`` is the block interface of
:class:`pyfax.t30.Terminal`. ``done`` turns true when spandsp's phase E
handler has run; ``completion`` is then its ``T30_ERR_*`` code
(``completion_text`` its name). ``close()`` frees the terminal, which
completes the received TIFF. ``log`` collects spandsp's own protocol log
when ``log_level`` is given (5 = flow).

The binding itself is pyfax's (:mod:`pyfax.lines._spandsp`, the optional
spandsp remote of the loopback line); this module loads the library through
:func:`peers.library` (skip, or fail in CI, when it is missing) and adds what
only the tests use: compressions, image sizes, resolutions, minimum scan line
time, spandsp's log, the remote's ident and the transfer statistics.
"""

from __future__ import annotations

import ctypes
from ctypes import CFUNCTYPE, POINTER, Structure, c_char_p, c_int, c_void_p
from typing import Any

from peers import library
from pyfax.lines._spandsp import MODEM_BITS, PHASE_E, SpandspTerminal, declare_fax_api

__all__ = ["COMPRESSION_BITS", "MODEM_BITS", "PHASE_E", "SpandspFax", "T30Stats"]

MESSAGE = CFUNCTYPE(None, c_int, c_char_p)

COMPRESSION_BITS = {"MH": 0x02, "MR": 0x04, "MMR": 0x08}
T30_ERR_OK = 0
T30_ERR_T1_EXPIRED = 3
T30_ERR_CANNOT_TRAIN = 6


class T30Stats(Structure):
    _fields_ = [(name, c_int) for name in (
        "bit_rate", "error_correcting_mode", "pages_tx", "pages_rx", "pages_in_file",
        "x_resolution", "y_resolution", "width", "length", "image_size", "encoding",
        "bad_rows", "longest_bad_row_run", "error_correcting_mode_retries", "current_status")]


def _lib() -> Any:
    lib = declare_fax_api(library("spandsp"))
    if not getattr(lib, "_pyfax_fax_test_typed", False):
        lib.fax_get_logging_state.restype = c_void_p
        lib.fax_get_logging_state.argtypes = [c_void_p]
        lib.t30_get_rx_ident.restype = c_char_p
        lib.t30_get_rx_ident.argtypes = [c_void_p]
        lib.t30_get_logging_state.restype = c_void_p
        lib.t30_get_logging_state.argtypes = [c_void_p]
        for name in ("t30_set_supported_compressions", "t30_set_supported_image_sizes",
                     "t30_set_supported_resolutions", "t30_set_minimum_scan_line_time"):
            getattr(lib, name).argtypes = [c_void_p, c_int]
        lib.t30_get_transfer_statistics.argtypes = [c_void_p, POINTER(T30Stats)]
        lib.span_log_set_level.argtypes = [c_void_p, c_int]
        lib.span_log_set_message_handler.argtypes = [c_void_p, MESSAGE]
        lib._pyfax_fax_test_typed = True
    return lib


class SpandspFax(SpandspTerminal):
    """One spandsp fax terminal on an audio line."""

    def __init__(self, *, calling: bool, tx_tiff: str | None = None, rx_tiff: str | None = None,
                 ecm: bool = True, modems: tuple[str, ...] = ("v17", "v29", "v27ter"),
                 compressions: tuple[str, ...] = ("MH", "MR", "MMR"), ident: str = "",
                 log_level: int | None = None, all_sizes: bool = False,
                 min_scan_ms: int | None = None, standard_only: bool = False,
                 image_sizes: int | None = None) -> None:
        super().__init__(calling=calling)
        self.log: list[str] = []
        self._msg = MESSAGE(self._message)
        self.set_ident(ident)
        if tx_tiff:
            self.set_tx_file(tx_tiff)
        if rx_tiff:
            self.set_rx_file(rx_tiff)
        self.set_ecm(ecm)
        if standard_only:  # R8 x 3.85 lines/mm only
            self._lib.t30_set_supported_resolutions(self._t30, 0x01 | 0x20000)
        if min_scan_ms is not None:
            self._lib.t30_set_minimum_scan_line_time(self._t30, min_scan_ms)
        if all_sizes:  # A4, B4 and A3 widths, A4, B4 and unlimited lengths, every resolution
            self._lib.t30_set_supported_image_sizes(self._t30, 0x07 | 0x10000 | 0x20000 | 0x40000)
            self._lib.t30_set_supported_resolutions(
                self._t30, 0x01 | 0x02 | 0x04 | 0x10000 | 0x20000 | 0x40000 | 0x100000 | 0x200000)
        if image_sizes is not None:  # t30_set_supported_image_sizes flags, e.g. A4 only
            self._lib.t30_set_supported_image_sizes(self._t30, image_sizes)
        self.set_modems(modems)
        self._lib.t30_set_supported_compressions(
            self._t30, sum(COMPRESSION_BITS[c] for c in compressions))
        if log_level is not None:
            for state in (self._lib.fax_get_logging_state(self._s),
                          self._lib.t30_get_logging_state(self._t30)):
                self._lib.span_log_set_message_handler(state, self._msg)
                self._lib.span_log_set_level(state, log_level | 0x0800 | 0x0200)

    @staticmethod
    def _load() -> Any:
        return _lib()

    def _message(self, _level: int, text: bytes) -> None:
        self.log.append(text.decode(errors="replace").rstrip())

    @property
    def remote_ident(self) -> str:
        raw = self._lib.t30_get_rx_ident(self._t30)
        return raw.decode(errors="replace").strip() if raw else ""

    def stats(self) -> T30Stats:
        st = T30Stats()
        self._lib.t30_get_transfer_statistics(self._t30, ctypes.byref(st))
        return st
