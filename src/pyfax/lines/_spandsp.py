"""spandsp's fax terminal as the simulated remote machine (optional).

When asked (``LoopbackBackend(remote="spandsp")``), the loopback remote is
spandsp's ``fax_state_t`` answering as a receiver, loaded from the system
library ``libspandsp.so.2`` with ctypes: an independent implementation on
the far end of the simulated line. It keeps its pages in a TIFF file, which
spandsp completes when the terminal is freed; :attr:`received_pages` reads
them back then. Nothing here is needed for the default pyfax remote.

Facts used (spandsp 0.0.6 API): ``fax_init(NULL, calling)``,
``fax_get_t30_state``, ``fax_set_transmit_on_idle(s, 1)`` so that
``fax_tx`` fills every block, ``fax_rx`` modifies its buffer (so it gets a
copy), ``t30_set_rx_file``, ``t30_set_tx_ident``, ``t30_set_ecm_capability``,
``t30_set_supported_modems`` (V.27ter 1, V.29 2, V.17 4), the phase E
handler ``(state, user_data, completion_code)`` and ``fax_free``.
"""

from __future__ import annotations

import ctypes
import tempfile
from ctypes import CFUNCTYPE, POINTER, c_char_p, c_int, c_int16, c_void_p
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pyfax.errors import LineError
from pyfax.modem.base import Samples

__all__ = ["SpandspReceiver"]

_PHASE_E = CFUNCTYPE(None, c_void_p, c_void_p, c_int)
_MODEM_BITS = {"v27ter": 0x01, "v29": 0x02, "v17": 0x04}
_SONAME = "libspandsp.so.2"


@cache
def _lib() -> Any:
    try:
        lib = ctypes.CDLL(_SONAME)
    except OSError as exc:
        raise LineError(f"the spandsp remote needs {_SONAME} "
                        f"(apt-get install libspandsp2): {exc}") from None
    lib.fax_init.restype = c_void_p
    lib.fax_init.argtypes = [c_void_p, c_int]
    lib.fax_get_t30_state.restype = c_void_p
    lib.fax_get_t30_state.argtypes = [c_void_p]
    lib.fax_rx.argtypes = [c_void_p, POINTER(c_int16), c_int]
    lib.fax_tx.argtypes = [c_void_p, POINTER(c_int16), c_int]
    lib.fax_set_transmit_on_idle.argtypes = [c_void_p, c_int]
    lib.fax_free.argtypes = [c_void_p]
    lib.t30_set_rx_file.argtypes = [c_void_p, c_char_p, c_int]
    lib.t30_set_tx_ident.argtypes = [c_void_p, c_char_p]
    lib.t30_set_ecm_capability.argtypes = [c_void_p, c_int]
    lib.t30_set_supported_modems.argtypes = [c_void_p, c_int]
    lib.t30_set_phase_e_handler.argtypes = [c_void_p, _PHASE_E, c_void_p]
    lib.t30_completion_code_to_str.restype = c_char_p
    lib.t30_completion_code_to_str.argtypes = [c_int]
    return lib


class SpandspReceiver:
    """spandsp answering and receiving, with the block interface of a pyfax terminal.

    Args:
        ident: its CSI.
        ecm: offer ECM.
        modems: the fast modems it offers.
        tiff_path: where spandsp writes the pages (default: a temporary file).
    """

    def __init__(self, *, ident: str = "", ecm: bool = True,
                 modems: tuple[str, ...] = ("v17", "v29", "v27ter"),
                 tiff_path: str | Path | None = None) -> None:
        self._lib = _lib()
        if tiff_path is None:
            tiff_path = Path(tempfile.mkdtemp(prefix="pyfax-spandsp-")) / "rx.tif"
        self.tiff_path = Path(tiff_path)
        self._s = self._lib.fax_init(None, 0)
        if not self._s:
            raise LineError("spandsp fax_init failed")
        t30 = self._lib.fax_get_t30_state(self._s)
        self._lib.fax_set_transmit_on_idle(self._s, 1)
        self.completion: int | None = None
        self._handler = _PHASE_E(self._phase_e)  # kept alive as long as the terminal
        self._lib.t30_set_phase_e_handler(t30, self._handler, None)
        if ident:
            self._lib.t30_set_tx_ident(t30, ident.encode("ascii", "replace"))
        self._lib.t30_set_rx_file(t30, str(self.tiff_path).encode(), -1)
        self._lib.t30_set_ecm_capability(t30, int(ecm))
        self._lib.t30_set_supported_modems(t30, sum(_MODEM_BITS[m] for m in modems))
        self._pages: list[NDArray[np.bool_]] | None = None

    def _phase_e(self, _state: int, _user: int, code: int) -> None:
        self.completion = code

    @property
    def done(self) -> bool:
        """True once spandsp's phase E has run."""
        return self.completion is not None

    @property
    def completion_text(self) -> str:
        """spandsp's name for how the call ended."""
        if self.completion is None:
            return "not finished"
        return str(self._lib.t30_completion_code_to_str(self.completion).decode())

    def step(self, inp: Samples) -> Samples:
        """Hear ``inp``; return as many samples to send."""
        if not self._s:
            return np.zeros(len(inp), dtype=np.int16)
        heard = np.array(inp, dtype=np.int16, copy=True)  # fax_rx writes to its input
        self._lib.fax_rx(self._s, heard.ctypes.data_as(POINTER(c_int16)), len(heard))
        said = np.zeros(len(heard), dtype=np.int16)
        self._lib.fax_tx(self._s, said.ctypes.data_as(POINTER(c_int16)), len(said))
        return said

    def close(self) -> None:
        """Free the terminal, which completes the TIFF (idempotent)."""
        if self._s:
            self._lib.fax_free(self._s)
            self._s = None

    @property
    def received_pages(self) -> list[NDArray[np.bool_]]:
        """The pages spandsp kept (read from its TIFF once the terminal is closed)."""
        if self._s:
            return []
        if self._pages is None:
            from pyfax.t4 import read_tiff

            exists = self.tiff_path.exists() and self.tiff_path.stat().st_size > 0
            self._pages = [p.image for p in read_tiff(self.tiff_path)] if exists else []
        return list(self._pages)

    def __del__(self) -> None:
        self.close()
