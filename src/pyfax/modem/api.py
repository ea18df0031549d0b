"""The modem convenience API and registry: modulate and demodulate whole bursts.

``modulate(name, bit_rate, bits)`` runs a transmitter over the bits (its full
training, the bits, its own tail) and returns the int16 audio;
``demodulate(name, bit_rate, audio)`` runs the matching receiver over the
audio, then over a quarter second of silence so it can flush its last bits,
and returns the data bits it delivered. The registry maps each modem name to
its module and classes, which are imported only when first used, so that
``import pyfax.modem`` never depends on every modem being present.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from pyfax.errors import ModemError
from pyfax.modem.base import SAMPLE_RATE_HZ, Bits, Receiver, Samples, Transmitter

__all__ = [
    "MODEMS",
    "ModemEntry",
    "demodulate",
    "modem_class",
    "modulate",
    "receiver",
    "transmitter",
]

_BLOCK = 4000
_FLUSH_SAMPLES = SAMPLE_RATE_HZ // 4
_MAX_TRAINING_S = 30.0  # no modem's training and tail come near this


@dataclass(frozen=True, slots=True)
class ModemEntry:
    """Where a modem lives and what rates it supports."""

    module: str
    tx_class: str
    rx_class: str
    rates_bps: tuple[int, ...]


MODEMS: dict[str, ModemEntry] = {
    "v21": ModemEntry("pyfax.modem.v21", "V21Transmitter", "V21Receiver", (300,)),
    "v27ter": ModemEntry("pyfax.modem.v27ter", "V27terTransmitter", "V27terReceiver",
                         (2400, 4800)),
    "v29": ModemEntry("pyfax.modem.v29", "V29Transmitter", "V29Receiver", (4800, 7200, 9600)),
    "v17": ModemEntry("pyfax.modem.v17", "V17Transmitter", "V17Receiver",
                      (7200, 9600, 12000, 14400)),
}


def _entry(name: str, bit_rate: int) -> ModemEntry:
    entry = MODEMS.get(name)
    if entry is None:
        raise ModemError(f"unknown modem {name!r}; known: {', '.join(MODEMS)}")
    if bit_rate not in entry.rates_bps:
        raise ModemError(f"{name} does not run at {bit_rate} bit/s; rates: {entry.rates_bps}")
    return entry


def modem_class(name: str, bit_rate: int, *, role: str) -> Any:
    """The transmitter (``role="tx"``) or receiver (``role="rx"``) class of a modem.

    Raises:
        ModemError: for an unknown modem, rate or role, or a modem not yet available.
    """
    entry = _entry(name, bit_rate)
    if role not in ("tx", "rx"):
        raise ModemError(f"role must be 'tx' or 'rx', not {role!r}")
    class_name = entry.tx_class if role == "tx" else entry.rx_class
    try:
        return getattr(importlib.import_module(entry.module), class_name)
    except (ImportError, AttributeError) as exc:
        raise ModemError(f"{name} {role} ({entry.module}.{class_name}) is not available: "
                         f"{exc}") from exc


def transmitter(name: str, bit_rate: int, **kwargs: Any) -> Transmitter:
    """A new transmitter for ``name`` at ``bit_rate``; keywords go to its constructor."""
    tx: Transmitter = modem_class(name, bit_rate, role="tx")(bit_rate, **kwargs)
    return tx


def receiver(name: str, bit_rate: int, **kwargs: Any) -> Receiver:
    """A new receiver for ``name`` at ``bit_rate``; keywords go to its constructor."""
    rx: Receiver = modem_class(name, bit_rate, role="rx")(bit_rate, **kwargs)
    return rx


def _as_bits(bits: ArrayLike) -> Bits:
    b = np.asarray(bits).reshape(-1)
    if b.size and (not np.issubdtype(b.dtype, np.integer) and b.dtype != np.bool_):
        raise ModemError(f"bits must be integers 0/1, got dtype {b.dtype}")
    if b.size and (b.min() < 0 or b.max() > 1):
        raise ModemError("bits must be 0 or 1")
    return b.astype(np.uint8)


def modulate(name: str, bit_rate: int, bits: ArrayLike, **kwargs: Any) -> Samples:
    """int16 audio at 8 kHz: the modem's training, the bits, then its tail.

    Args:
        name: "v21", "v27ter", "v29" or "v17".
        bit_rate: a rate the modem supports, in bit/s.
        bits: the data bits, 0/1, in line order (before scrambling).
        **kwargs: passed to the transmitter (e.g. ``level_dbm0``).

    Raises:
        ModemError: for an unknown modem or rate, bad bits, or a transmitter
            that does not finish.
    """
    data = _as_bits(bits)
    tx = transmitter(name, bit_rate, **kwargs)
    tx.put_bits(data)
    tx.end_of_data()
    max_blocks = int((data.size / bit_rate + _MAX_TRAINING_S) * SAMPLE_RATE_HZ / _BLOCK) + 1
    out: list[Samples] = []
    for _ in range(max_blocks):
        if tx.done:
            break
        out.append(tx.tx(_BLOCK))
    else:
        raise ModemError(f"{name} transmitter did not finish within its time bound")
    return np.concatenate(out) if out else np.zeros(0, np.int16)


def demodulate(name: str, bit_rate: int, audio: ArrayLike, **kwargs: Any) -> Bits:
    """The data bits a receiver delivers for ``audio`` (after it trained).

    Args:
        name: "v21", "v27ter", "v29" or "v17".
        bit_rate: a rate the modem supports, in bit/s.
        audio: int16 samples at 8 kHz.
        **kwargs: passed to the receiver (e.g. ``cutoff_dbm0`` for V.21).

    Raises:
        ModemError: for an unknown modem or rate, or audio that is not 1-D.
    """
    samples = np.asarray(audio)
    if samples.ndim != 1:
        raise ModemError(f"audio must be one-dimensional, got shape {samples.shape}")
    rx = receiver(name, bit_rate, **kwargs)
    parts = [rx.rx(samples.astype(np.int16)).bits,
             rx.rx(np.zeros(_FLUSH_SAMPLES, np.int16)).bits]
    return np.concatenate(parts).astype(np.uint8)
