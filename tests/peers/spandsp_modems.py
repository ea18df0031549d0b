"""spandsp's modems (Debian libspandsp2, 0.0.6) through ctypes, as test peers.

``SpandspTx(modem, rate, bits)`` transmits the given data bits (spandsp's
``get_bit`` side) and ``SpandspRx(modem, rate)`` receives, collecting the data
bits (``put_bit`` >= 0) and the status events (its modem status handler)
separately. Modem names match :mod:`pyfax.modem`: "v21", "v27ter", "v29", "v17".

With ``bert=True`` spandsp's own BERT pattern generator and checker
(``bert_get_bit``/``bert_put_bit``, pattern O.152 2^11 - 1) are plugged straight
in as the C callbacks, so no Python runs per bit: spandsp's own speed, as
``benchmarks/modem_bench.py`` measures it against a Python callback per bit.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from ctypes import CFUNCTYPE, POINTER, Structure, c_char_p, c_float, c_int, c_int16, c_void_p
from typing import Any

import numpy as np
from numpy.typing import NDArray

from peers import library

GET_BIT = CFUNCTYPE(c_int, c_void_p)
PUT_BIT = CFUNCTYPE(None, c_void_p, c_int)
STATUS = CFUNCTYPE(None, c_void_p, c_int)

SIG_STATUS_CARRIER_DOWN = -1
SIG_STATUS_CARRIER_UP = -2
SIG_STATUS_TRAINING_IN_PROGRESS = -3
SIG_STATUS_TRAINING_SUCCEEDED = -4
SIG_STATUS_TRAINING_FAILED = -5
SIG_STATUS_END_OF_DATA = -7

FSK_V21CH2 = 1
FSK_FRAME_MODE_SYNC = 1
BERT_PATTERN_ITU_O152_11 = 11


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
                lib.v17_rx_restart.argtypes = [c_void_p, c_int, c_int]
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
        for m in ("v17", "v29", "v27ter", "fsk"):
            getattr(lib, f"{m}_rx_set_modem_status_handler").argtypes = [c_void_p, STATUS,
                                                                         c_void_p]
        lib.bert_init.restype = c_void_p
        lib.bert_init.argtypes = [c_void_p, c_int, c_int, c_int, c_int]
        lib.bert_free.argtypes = [c_void_p]
        lib._pyfax_modems_typed = True
    return lib


def _v21_spec(lib: ctypes.CDLL) -> ctypes._Pointer[FskSpec]:
    specs = (FskSpec * 10).in_dll(lib, "preset_fsk_specs")
    return ctypes.pointer(specs[FSK_V21CH2])


def _bit_callback(lib: ctypes.CDLL, proto: type, bert_fn: str, python_fn: Callable[..., object],
                  bert: bool) -> tuple[Any, int | None]:
    """The C callback (of type ``proto``) and its user data: ``python_fn``, or spandsp's
    ``bert_fn`` with a new BERT state (``bert_state_t *``, O.152 2^11 - 1 pattern)."""
    if not bert:
        return proto(python_fn), None
    return proto((bert_fn, lib)), lib.bert_init(None, 0, BERT_PATTERN_ITU_O152_11, 8, 20)


class SpandspTx:
    """A spandsp transmitter that sends ``bits`` and then ends its data.

    With ``bert`` it sends spandsp's BERT pattern instead, without end.
    ``short_train`` (V.17 only) restarts it for the short training of a
    burst that follows a long one (``v17_tx_restart``).
    """

    def __init__(self, modem: str, bit_rate: int,
                 bits: NDArray[np.uint8] | list[int] | None = None, *, bert: bool = False,
                 tep: bool = False, level_dbm0: float | None = None,
                 short_train: bool = False) -> None:
        self._lib = _lib()
        self.modem = modem
        self._bits = [] if bits is None else [int(b) for b in bits]
        self._pos = 0
        self._cb, self._bert = _bit_callback(self._lib, GET_BIT, "bert_get_bit", self._get_bit,
                                             bert)
        if modem == "v21":
            self._spec = _v21_spec(self._lib)
            self._s = self._lib.fsk_tx_init(None, self._spec, self._cb, self._bert)
            self._prefix = "fsk"
        else:
            init = getattr(self._lib, f"{modem}_tx_init")
            self._s = init(None, bit_rate, int(tep), self._cb, self._bert)
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

    def run_for(self, n_samples: int, *, block: int = 160) -> NDArray[np.int16]:
        """Up to ``n_samples`` of audio, or fewer if the transmitter stops first."""
        out: list[NDArray[np.int16]] = []
        for start in range(0, n_samples, block):
            want = min(block, n_samples - start)
            out.append(self.tx(want))
            if len(out[-1]) < want:
                break
        return np.concatenate(out) if out else np.zeros(0, np.int16)

    def __del__(self) -> None:
        if getattr(self, "_s", None):
            getattr(self._lib, f"{self._prefix}_tx_free")(self._s)
            self._s = None
        if getattr(self, "_bert", None):
            self._lib.bert_free(self._bert)
            self._bert = None


class SpandspRx:
    """A spandsp receiver; ``bits`` are the data bits, ``events`` the statuses.

    With ``bert`` the bits go to spandsp's BERT checker instead (``bits`` stays empty).
    """

    def __init__(self, modem: str, bit_rate: int, *, bert: bool = False,
                 cutoff_dbm0: float | None = None) -> None:
        self._lib = _lib()
        self.modem = modem
        self.bits: list[int] = []
        self.events: list[int] = []
        self._cb, self._bert = _bit_callback(self._lib, PUT_BIT, "bert_put_bit", self._put_bit,
                                             bert)
        if modem == "v21":
            self._spec = _v21_spec(self._lib)
            self._s = self._lib.fsk_rx_init(None, self._spec, FSK_FRAME_MODE_SYNC, self._cb,
                                            self._bert)
            self._prefix = "fsk"
        else:
            self._s = getattr(self._lib, f"{modem}_rx_init")(None, bit_rate, self._cb, self._bert)
            self._prefix = modem
        if not self._s:
            raise ValueError(f"spandsp refused {modem} at {bit_rate} bit/s")
        if cutoff_dbm0 is not None:
            getattr(self._lib, f"{self._prefix}_rx_signal_cutoff")(self._s, cutoff_dbm0)
        # Statuses (a handful per burst) come here rather than through put_bit,
        # so that a BERT checker sees only bits.
        self._status_cb = STATUS(lambda _user, status: self.events.append(status))
        getattr(self._lib, f"{self._prefix}_rx_set_modem_status_handler")(
            self._s, self._status_cb, None)

    def _put_bit(self, _user: int, bit: int) -> None:
        if bit < 0:
            self.events.append(bit)
        else:
            self.bits.append(bit)

    def rx(self, samples: NDArray[np.int16]) -> None:
        buf = np.array(samples, dtype=np.int16, copy=True)
        getattr(self._lib, f"{self._prefix}_rx")(
            self._s, buf.ctypes.data_as(POINTER(c_int16)), len(buf))

    def feed(self, audio: NDArray[np.int16], *, block: int = 160) -> None:
        """Hand ``audio`` to the receiver ``block`` samples at a time."""
        buf = np.array(audio, dtype=np.int16, copy=True)
        rx = getattr(self._lib, f"{self._prefix}_rx")
        for i in range(0, len(buf), block):
            chunk = buf[i:i + block]
            rx(self._s, chunk.ctypes.data_as(POINTER(c_int16)), len(chunk))

    def run(self, audio: NDArray[np.int16], *, block: int = 160,
            tail_samples: int = 1600) -> NDArray[np.uint8]:
        """Feed ``audio`` then ``tail_samples`` of silence; return the data bits."""
        full = np.concatenate([np.asarray(audio, np.int16), np.zeros(tail_samples, np.int16)])
        self.feed(full, block=block)
        return np.array(self.bits, dtype=np.uint8)

    @property
    def trained(self) -> bool:
        return SIG_STATUS_TRAINING_SUCCEEDED in self.events

    def restart_short(self, bit_rate: int) -> None:
        """Expect a V.17 short train next (``v17_rx_restart(s, rate, 1)``), as spandsp's
        fax terminal does for every page after the first training; the events so far
        are forgotten."""
        if self.modem != "v17":
            raise ValueError(f"spandsp has no short train for {self.modem}")
        self._lib.v17_rx_restart(self._s, bit_rate, 1)
        self.events.clear()

    def __del__(self) -> None:
        if getattr(self, "_s", None):
            getattr(self._lib, f"{self._prefix}_rx_free")(self._s)
            self._s = None
        if getattr(self, "_bert", None):
            self._lib.bert_free(self._bert)
            self._bert = None
