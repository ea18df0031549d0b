"""spandsp's modems through ctypes, for the benchmarks (which cannot import tests/).

Two ways to feed and drain spandsp:

* ``source="python"`` / ``sink="python"``: a Python callback per bit, as a
  Python program driving spandsp would do;
* ``source="bert"`` / ``sink="bert"``: spandsp's own BERT pattern generator
  and checker (``bert_get_bit``/``bert_put_bit``) plugged straight in as the
  C callbacks, so no Python runs per bit: spandsp's own speed.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from ctypes import CFUNCTYPE, POINTER, Structure, c_char_p, c_float, c_int, c_int16, c_void_p
from functools import cache

import numpy as np
from numpy.typing import NDArray

GET_BIT = CFUNCTYPE(c_int, c_void_p)
PUT_BIT = CFUNCTYPE(None, c_void_p, c_int)
STATUS = CFUNCTYPE(None, c_void_p, c_int)
SIG_STATUS_TRAINING_SUCCEEDED = -4
SIG_STATUS_END_OF_DATA = -7
BERT_PATTERN_ITU_O152_11 = 11
FSK_V21CH2 = 1
FSK_FRAME_MODE_SYNC = 1


class _FskSpec(Structure):
    _fields_ = [("name", c_char_p), ("freq_zero", c_int), ("freq_one", c_int),
                ("tx_level", c_int), ("min_level", c_int), ("baud_rate", c_int)]


@cache
def load() -> ctypes.CDLL | None:
    """libspandsp.so.2 with the signatures typed, or None when it is not installed."""
    try:
        lib = ctypes.CDLL("libspandsp.so.2")
    except OSError:
        return None
    for m in ("v17", "v29", "v27ter"):
        getattr(lib, f"{m}_tx_init").restype = c_void_p
        getattr(lib, f"{m}_tx_init").argtypes = [c_void_p, c_int, c_int, c_void_p, c_void_p]
        getattr(lib, f"{m}_rx_init").restype = c_void_p
        getattr(lib, f"{m}_rx_init").argtypes = [c_void_p, c_int, c_void_p, c_void_p]
        getattr(lib, f"{m}_rx_signal_cutoff").argtypes = [c_void_p, c_float]
    lib.fsk_tx_init.restype = c_void_p
    lib.fsk_tx_init.argtypes = [c_void_p, POINTER(_FskSpec), c_void_p, c_void_p]
    lib.fsk_rx_init.restype = c_void_p
    lib.fsk_rx_init.argtypes = [c_void_p, POINTER(_FskSpec), c_int, c_void_p, c_void_p]
    lib.fsk_rx_signal_cutoff.argtypes = [c_void_p, c_float]
    for m in ("v17", "v29", "v27ter", "fsk"):
        for d in ("tx", "rx"):
            getattr(lib, f"{m}_{d}").argtypes = [c_void_p, POINTER(c_int16), c_int]
            getattr(lib, f"{m}_{d}_free").argtypes = [c_void_p]
    lib.bert_init.restype = c_void_p
    lib.bert_init.argtypes = [c_void_p, c_int, c_int, c_int, c_int]
    lib.bert_free.argtypes = [c_void_p]
    return lib


def _prefix(modem: str) -> str:
    return "fsk" if modem == "v21" else modem


def _fsk_spec(lib: ctypes.CDLL) -> ctypes._Pointer[_FskSpec]:
    return ctypes.pointer((_FskSpec * 10).in_dll(lib, "preset_fsk_specs")[FSK_V21CH2])


class Tx:
    """A spandsp transmitter fed by Python bits or by spandsp's BERT generator."""

    def __init__(self, lib: ctypes.CDLL, modem: str, bit_rate: int,
                 bits: Sequence[int] | NDArray[np.uint8] | None = None,
                 *, source: str = "python") -> None:
        self._lib, self.modem = lib, modem
        self._bits = [] if bits is None else [int(b) for b in bits]
        self._pos = 0
        if source == "python":
            self._cb = GET_BIT(self._get_bit)
            fn, user = ctypes.cast(self._cb, c_void_p), None
        else:
            self._bert = lib.bert_init(None, 0, BERT_PATTERN_ITU_O152_11, 8, 20)
            fn, user = ctypes.cast(lib.bert_get_bit, c_void_p), self._bert
        if modem == "v21":
            self._spec = _fsk_spec(lib)
            self._s = lib.fsk_tx_init(None, self._spec, fn, user)
        else:
            self._s = getattr(lib, f"{modem}_tx_init")(None, bit_rate, 0, fn, user)

    def _get_bit(self, _user: int) -> int:
        if self._pos >= len(self._bits):
            return SIG_STATUS_END_OF_DATA
        self._pos += 1
        return self._bits[self._pos - 1]

    def tx(self, n_samples: int) -> NDArray[np.int16]:
        buf = np.zeros(n_samples, np.int16)
        n = getattr(self._lib, f"{_prefix(self.modem)}_tx")(
            self._s, buf.ctypes.data_as(POINTER(c_int16)), n_samples)
        return buf[:n]

    def run(self, n_samples: int, *, block: int = 160) -> NDArray[np.int16]:
        """Up to ``n_samples`` samples, or fewer if the modem stops first."""
        out = []
        for start in range(0, n_samples, block):
            chunk = self.tx(min(block, n_samples - start))
            out.append(chunk)
            if len(chunk) < min(block, n_samples - start):
                break
        return np.concatenate(out) if out else np.zeros(0, np.int16)

    def __del__(self) -> None:
        if getattr(self, "_s", None):
            getattr(self._lib, f"{_prefix(self.modem)}_tx_free")(self._s)
        if getattr(self, "_bert", None):
            self._lib.bert_free(self._bert)


class Rx:
    """A spandsp receiver draining into a Python list or spandsp's BERT checker."""

    def __init__(self, lib: ctypes.CDLL, modem: str, bit_rate: int, *, sink: str = "python",
                 cutoff_dbm0: float | None = None) -> None:
        self._lib, self.modem = lib, modem
        self.bits: list[int] = []
        self.events: list[int] = []
        if sink == "python":
            self._cb = PUT_BIT(self._put_bit)
            fn, user = ctypes.cast(self._cb, c_void_p), None
        else:
            self._bert = lib.bert_init(None, 0, BERT_PATTERN_ITU_O152_11, 8, 20)
            fn, user = ctypes.cast(lib.bert_put_bit, c_void_p), self._bert
        if modem == "v21":
            self._spec = _fsk_spec(lib)
            self._s = lib.fsk_rx_init(None, self._spec, FSK_FRAME_MODE_SYNC, fn, user)
        else:
            self._s = getattr(lib, f"{modem}_rx_init")(None, bit_rate, fn, user)
        if cutoff_dbm0 is not None:
            getattr(lib, f"{_prefix(modem)}_rx_signal_cutoff")(self._s, cutoff_dbm0)
        # statuses (a handful per run) go to Python, so the BERT sink sees only bits
        self._status_cb = STATUS(lambda _user, status: self.events.append(status))
        set_handler = getattr(lib, f"{_prefix(modem)}_rx_set_modem_status_handler")
        set_handler.argtypes = [c_void_p, STATUS, c_void_p]
        set_handler(self._s, self._status_cb, None)

    def _put_bit(self, _user: int, bit: int) -> None:
        if bit < 0:
            self.events.append(bit)
        else:
            self.bits.append(bit)

    def rx(self, audio: NDArray[np.int16], *, block: int = 160) -> None:
        fn = getattr(self._lib, f"{_prefix(self.modem)}_rx")
        data = np.array(audio, np.int16, copy=True)
        for i in range(0, len(data), block):
            chunk = data[i:i + block]
            fn(self._s, chunk.ctypes.data_as(POINTER(c_int16)), len(chunk))

    def __del__(self) -> None:
        if getattr(self, "_s", None):
            getattr(self._lib, f"{_prefix(self.modem)}_rx_free")(self._s)
        if getattr(self, "_bert", None):
            self._lib.bert_free(self._bert)
