"""spandsp's fax terminal as the simulated remote machine (optional).

When asked (``LoopbackBackend(remote="spandsp")``), the loopback remote is
spandsp's ``fax_state_t`` answering as a receiver, loaded from the system
library ``libspandsp.so.2`` with ctypes: an independent implementation on
the far end of the simulated line. It keeps its pages in a TIFF file, which
spandsp completes when the terminal is freed; :attr:`received_pages` reads
them back then. Nothing here is needed for the default pyfax remote.

This is pyfax's one binding of spandsp's fax terminal: :func:`declare_fax_api`
types the functions on a loaded library, :class:`SpandspTerminal` is one
terminal with the block interface of a pyfax terminal, and
:class:`SpandspReceiver` is the answering remote. The test peer
(``tests/peers/spandsp_fax.py``) builds on the same three.

Facts used (spandsp 0.0.6 API): ``fax_init(NULL, calling)``,
``fax_get_t30_state``, ``fax_set_transmit_on_idle(s, 1)`` so that
``fax_tx`` fills every block, ``fax_rx`` modifies its buffer (so it gets a
copy), ``t30_set_tx_file``, ``t30_set_rx_file``, ``t30_set_tx_ident``,
``t30_set_ecm_capability``, ``t30_set_supported_modems`` (V.27ter 1,
V.29 2, V.17 4), the phase E handler ``(state, user_data,
completion_code)`` and ``fax_free``.
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

__all__ = ["MODEM_BITS", "PHASE_E", "SpandspReceiver", "SpandspTerminal", "declare_fax_api"]

PHASE_E = CFUNCTYPE(None, c_void_p, c_void_p, c_int)
"""The phase E handler: ``(t30 state, user_data, completion_code)``."""
MODEM_BITS = {"v27ter": 0x01, "v29": 0x02, "v17": 0x04}
"""spandsp's ``T30_SUPPORT_*`` bit of each fast modem."""
_SONAME = "libspandsp.so.2"
_ALL_MODEMS = ("v17", "v29", "v27ter")


def declare_fax_api(lib: Any) -> Any:
    """Give the fax terminal functions of ``lib`` their C types (once per library object).

    Args:
        lib: ``libspandsp.so.2`` loaded with ctypes.

    Returns:
        ``lib`` itself.
    """
    if getattr(lib, "_pyfax_fax_typed", False):
        return lib
    lib.fax_init.restype = c_void_p
    lib.fax_init.argtypes = [c_void_p, c_int]
    lib.fax_get_t30_state.restype = c_void_p
    lib.fax_get_t30_state.argtypes = [c_void_p]
    lib.fax_rx.argtypes = [c_void_p, POINTER(c_int16), c_int]
    lib.fax_tx.argtypes = [c_void_p, POINTER(c_int16), c_int]
    lib.fax_set_transmit_on_idle.argtypes = [c_void_p, c_int]
    lib.fax_free.argtypes = [c_void_p]
    lib.t30_set_tx_file.argtypes = [c_void_p, c_char_p, c_int, c_int]
    lib.t30_set_rx_file.argtypes = [c_void_p, c_char_p, c_int]
    lib.t30_set_tx_ident.argtypes = [c_void_p, c_char_p]
    lib.t30_set_ecm_capability.argtypes = [c_void_p, c_int]
    lib.t30_set_supported_modems.argtypes = [c_void_p, c_int]
    lib.t30_set_phase_e_handler.argtypes = [c_void_p, PHASE_E, c_void_p]
    lib.t30_completion_code_to_str.restype = c_char_p
    lib.t30_completion_code_to_str.argtypes = [c_int]
    lib._pyfax_fax_typed = True
    return lib


@cache
def _lib() -> Any:
    try:
        lib = ctypes.CDLL(_SONAME)
    except OSError as exc:
        raise LineError(f"the spandsp remote needs {_SONAME} "
                        f"(apt-get install libspandsp2): {exc}") from None
    return declare_fax_api(lib)


class SpandspTerminal:
    """One spandsp fax terminal (``fax_state_t``), with the block interface of a pyfax terminal.

    The constructor only opens the terminal and installs the phase E
    handler; the ``set_*`` methods configure it before the call starts.

    Args:
        calling: originate the call (else answer it).

    Raises:
        LineError: when spandsp is missing or ``fax_init`` fails.
    """

    def __init__(self, *, calling: bool) -> None:
        self._lib = self._load()
        self._s = self._lib.fax_init(None, int(calling))
        if not self._s:
            raise LineError("spandsp fax_init failed")
        self._t30 = self._lib.fax_get_t30_state(self._s)
        self._lib.fax_set_transmit_on_idle(self._s, 1)
        self.completion: int | None = None
        self._handler = PHASE_E(self._phase_e)  # kept alive as long as the terminal
        self._lib.t30_set_phase_e_handler(self._t30, self._handler, None)

    @staticmethod
    def _load() -> Any:
        """The typed library (subclasses may load it another way)."""
        return _lib()

    def set_ident(self, ident: str) -> None:
        """Send ``ident`` as its TSI or CSI (nothing when empty)."""
        if ident:
            self._lib.t30_set_tx_ident(self._t30, ident.encode("ascii", "replace"))

    def set_tx_file(self, path: str | Path) -> None:
        """Send the pages of the TIFF at ``path``."""
        self._lib.t30_set_tx_file(self._t30, str(path).encode(), -1, -1)

    def set_rx_file(self, path: str | Path) -> None:
        """Write received pages to a TIFF at ``path`` (complete after :meth:`close`)."""
        self._lib.t30_set_rx_file(self._t30, str(path).encode(), -1)

    def set_ecm(self, ecm: bool) -> None:
        """Offer (or refuse) ECM."""
        self._lib.t30_set_ecm_capability(self._t30, int(ecm))

    def set_modems(self, modems: tuple[str, ...]) -> None:
        """Offer these fast modems ("v17", "v29", "v27ter")."""
        self._lib.t30_set_supported_modems(self._t30, sum(MODEM_BITS[m] for m in modems))

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
        """Hear ``inp``; return as many samples to send (silence once closed)."""
        if not self._s:
            return np.zeros(len(inp), dtype=np.int16)
        heard = np.array(inp, dtype=np.int16, copy=True)  # fax_rx writes to its input
        self._lib.fax_rx(self._s, heard.ctypes.data_as(POINTER(c_int16)), len(heard))
        said = np.zeros(len(heard), dtype=np.int16)
        self._lib.fax_tx(self._s, said.ctypes.data_as(POINTER(c_int16)), len(said))
        return said

    def close(self) -> None:
        """Free the terminal, which completes a received TIFF (idempotent)."""
        if getattr(self, "_s", None):
            self._lib.fax_free(self._s)
            self._s = None

    def __del__(self) -> None:
        self.close()


class SpandspReceiver(SpandspTerminal):
    """spandsp answering and receiving, with the block interface of a pyfax terminal.

    Args:
        ident: its CSI.
        ecm: offer ECM.
        modems: the fast modems it offers.
        tiff_path: where spandsp writes the pages (default: a temporary file).

    Raises:
        LineError: when spandsp is missing or ``fax_init`` fails.
    """

    def __init__(self, *, ident: str = "", ecm: bool = True,
                 modems: tuple[str, ...] = _ALL_MODEMS,
                 tiff_path: str | Path | None = None) -> None:
        super().__init__(calling=False)
        if tiff_path is None:
            tiff_path = Path(tempfile.mkdtemp(prefix="pyfax-spandsp-")) / "rx.tif"
        self.tiff_path = Path(tiff_path)
        self.set_ident(ident)
        self.set_rx_file(self.tiff_path)
        self.set_ecm(ecm)
        self.set_modems(modems)
        self._pages: list[NDArray[np.bool_]] | None = None

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
