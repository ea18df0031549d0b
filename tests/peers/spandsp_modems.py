"""spandsp's modems (Debian libspandsp2, 0.0.6) through ctypes, as test peers.

``SpandspTx(modem, rate, bits)`` transmits the given data bits (spandsp's
``get_bit`` side) and ``SpandspRx(modem, rate)`` receives, collecting the data
bits (``put_bit`` >= 0) and the status events (``put_bit`` < 0) separately.
Modem names match :mod:`pyfax.modem`: "v21", "v27ter", "v29", "v17".
"""

from __future__ import annotations

import ctypes
from ctypes import CFUNCTYPE, POINTER, Structure, c_char_p, c_float, c_int, c_int16, c_void_p

import numpy as np
from numpy.typing import NDArray

from peers import library

GET_BIT = CFUNCTYPE(c_int, c_void_p)
PUT_BIT = CFUNCTYPE(None, c_void_p, c_int)

SIG_STATUS_CARRIER_DOWN = -1
SIG_STATUS_CARRIER_UP = -2
SIG_STATUS_TRAINING_IN_PROGRESS = -3
SIG_STATUS_TRAINING_SUCCEEDED = -4
SIG_STATUS_TRAINING_FAILED = -5
SIG_STATUS_END_OF_DATA = -7

FSK_V21CH2 = 1
FSK_FRAME_MODE_SYNC = 1


class FskSpec(Structure):
    _fields_ = [("name", c_char_p), ("freq_zero", c_int), ("freq_one", c_int),
                ("tx_level", c_int), ("min_level", c_int), ("baud_rate", c_int)]


def _lib() -> ctypes.CDLL:
    lib = library("spandsp")
    if not getattr(lib, "_pyfax_modems_typed", False):
        for m in ("v17", "v29", "v27ter"):
            getattr(lib, f"{m}_tx_init").restype = c_void_p
            getattr(lib, f"{m}_tx_init").argtypes = [c_void_p, c_int, c_int, GET_BIT, c_void_p]
            getattr(lib, f"{m}_tx").argtypes = [c_void_p, POINTER(c_int16), c_int]
            getattr(lib, f"{m}_tx_power").argtypes = [c_void_p, c_float]
            getattr(lib, f"{m}_tx_free").argtypes = [c_void_p]
            if m == "v17":
                lib.v17_tx_restart.argtypes = [c_void_p, c_int, c_int, c_int]
            getattr(lib, f"{m}_rx_init").restype = c_void_p
            getattr(lib, f"{m}_rx_init").argtypes = [c_void_p, c_int, PUT_BIT, c_void_p]
            getattr(lib, f"{m}_rx").argtypes = [c_void_p, POINTER(c_int16), c_int]
            getattr(lib, f"{m}_rx_signal_cutoff").argtypes = [c_void_p, c_float]
            getattr(lib, f"{m}_rx_free").argtypes = [c_void_p]
        lib.fsk_tx_init.restype = c_void_p
        lib.fsk_tx_init.argtypes = [c_void_p, POINTER(FskSpec), GET_BIT, c_void_p]
        lib.fsk_tx.argtypes = [c_void_p, POINTER(c_int16), c_int]
        lib.fsk_tx_power.argtypes = [c_void_p, c_float]
        lib.fsk_tx_free.argtypes = [c_void_p]
        lib.fsk_rx_init.restype = c_void_p
        lib.fsk_rx_init.argtypes = [c_void_p, POINTER(FskSpec), c_int, PUT_BIT, c_void_p]
        lib.fsk_rx.argtypes = [c_void_p, POINTER(c_int16), c_int]
        lib.fsk_rx_signal_cutoff.argtypes = [c_void_p, c_float]
        lib.fsk_rx_free.argtypes = [c_void_p]
        lib._pyfax_modems_typed = True
    return lib


def _v21_spec(lib: ctypes.CDLL) -> ctypes._Pointer[FskSpec]:
    specs = (FskSpec * 10).in_dll(lib, "preset_fsk_specs")
    return ctypes.pointer(specs[FSK_V21CH2])


class SpandspTx:
    """A spandsp transmitter that sends ``bits`` and then ends its data.

    ``short_train`` (V.17 only) restarts it for the short training of a
    burst that follows a long one (``v17_tx_restart``).
    """

    def __init__(self, modem: str, bit_rate: int, bits: NDArray[np.uint8] | list[int],
                 *, tep: bool = False, level_dbm0: float | None = None,
                 short_train: bool = False) -> None:
        self._lib = _lib()
        self.modem = modem
        self._bits = [int(b) for b in bits]
        self._pos = 0
        self._cb = GET_BIT(self._get_bit)
        if modem == "v21":
            self._spec = _v21_spec(self._lib)
            self._s = self._lib.fsk_tx_init(None, self._spec, self._cb, None)
            self._prefix = "fsk"
        else:
            init = getattr(self._lib, f"{modem}_tx_init")
            self._s = init(None, bit_rate, int(tep), self._cb, None)
            self._prefix = modem
        if not self._s:
            raise ValueError(f"spandsp refused {modem} at {bit_rate} bit/s")
        if short_train:
            if modem != "v17":
                raise ValueError(f"spandsp has no short train for {modem}")
            self._lib.v17_tx_restart(self._s, bit_rate, int(tep), 1)
        if level_dbm0 is not None:
            getattr(self._lib, f"{self._prefix}_tx_power")(self._s, level_dbm0)

    def _get_bit(self, _user: int) -> int:
        if self._pos >= len(self._bits):
            return SIG_STATUS_END_OF_DATA
        bit = self._bits[self._pos]
        self._pos += 1
        return bit

    def tx(self, n_samples: int) -> NDArray[np.int16]:
        buf = np.zeros(n_samples, dtype=np.int16)
        n = getattr(self._lib, f"{self._prefix}_tx")(
            self._s, buf.ctypes.data_as(POINTER(c_int16)), n_samples)
        return buf[:n]

    def run(self, *, block: int = 160, max_s: float = 600.0) -> NDArray[np.int16]:
        """All the audio until the transmitter stops (V.21 never stops by itself:
        it is cut 0.1 s after the last bit was taken)."""
        out: list[NDArray[np.int16]] = []
        extra = 0
        for _ in range(int(max_s * 8000 / block)):
            chunk = self.tx(block)
            out.append(chunk)
            if len(chunk) < block:
                break
            if self.modem == "v21" and self._pos >= len(self._bits):
                extra += block
                if extra >= 800:
                    break
        return np.concatenate(out) if out else np.zeros(0, np.int16)

    def __del__(self) -> None:
        if getattr(self, "_s", None):
            getattr(self._lib, f"{self._prefix}_tx_free")(self._s)
            self._s = None


class SpandspRx:
    """A spandsp receiver; ``bits`` are the data bits, ``events`` the statuses."""

    def __init__(self, modem: str, bit_rate: int, *, cutoff_dbm0: float | None = None) -> None:
        self._lib = _lib()
        self.modem = modem
        self.bits: list[int] = []
        self.events: list[int] = []
        self._cb = PUT_BIT(self._put_bit)
        if modem == "v21":
            self._spec = _v21_spec(self._lib)
            self._s = self._lib.fsk_rx_init(None, self._spec, FSK_FRAME_MODE_SYNC, self._cb, None)
            self._prefix = "fsk"
        else:
            self._s = getattr(self._lib, f"{modem}_rx_init")(None, bit_rate, self._cb, None)
            self._prefix = modem
        if not self._s:
            raise ValueError(f"spandsp refused {modem} at {bit_rate} bit/s")
        if cutoff_dbm0 is not None:
            getattr(self._lib, f"{self._prefix}_rx_signal_cutoff")(self._s, cutoff_dbm0)

    def _put_bit(self, _user: int, bit: int) -> None:
        if bit < 0:
            self.events.append(bit)
        else:
            self.bits.append(bit)

    def rx(self, samples: NDArray[np.int16]) -> None:
        buf = np.array(samples, dtype=np.int16, copy=True)
        getattr(self._lib, f"{self._prefix}_rx")(
            self._s, buf.ctypes.data_as(POINTER(c_int16)), len(buf))

    def run(self, audio: NDArray[np.int16], *, block: int = 160,
            tail_samples: int = 1600) -> NDArray[np.uint8]:
        """Feed ``audio`` then ``tail_samples`` of silence; return the data bits."""
        full = np.concatenate([np.asarray(audio, np.int16), np.zeros(tail_samples, np.int16)])
        for i in range(0, len(full), block):
            self.rx(full[i:i + block])
        return np.array(self.bits, dtype=np.uint8)

    @property
    def trained(self) -> bool:
        return SIG_STATUS_TRAINING_SUCCEEDED in self.events

    def __del__(self) -> None:
        if getattr(self, "_s", None):
            getattr(self._lib, f"{self._prefix}_rx_free")(self._s)
            self._s = None
