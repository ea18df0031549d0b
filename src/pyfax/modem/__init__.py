"""pyfax.modem: the fax physical layer (V.21 ch.2, V.27ter, V.29, V.17, CNG/CED, HDLC).

Streaming transmitters and receivers follow :mod:`pyfax.modem.base`. The
convenience API runs a whole burst::

    from pyfax import modem
    audio = modem.modulate("v29", 9600, bits)
    bits = modem.demodulate("v29", 9600, audio)

The V.27ter, V.29 and V.17 classes are imported lazily (``modem.V29Receiver``
loads :mod:`pyfax.modem.v29` on first use). Line impairments (G.711, noise,
level, echo, delay, frequency and clock offset), as whole-signal functions and
as streaming stages for simulated calls, are in :mod:`pyfax.modem.channel`.
"""

from __future__ import annotations

import importlib
from typing import Any

from pyfax.modem import channel
from pyfax.modem.api import (
    MODEMS,
    ModemEntry,
    demodulate,
    modem_class,
    modulate,
    receiver,
    transmitter,
)
from pyfax.modem.base import (
    SAMPLE_RATE_HZ,
    Bits,
    ModemEvent,
    ModemStatus,
    Receiver,
    RxResult,
    Samples,
    Transmitter,
)
from pyfax.modem.hdlc import HdlcDeframer, HdlcFrame, HdlcFramer, crc16_itu
from pyfax.modem.tones import CedGenerator, CngGenerator, FaxTone, ToneDetector, ToneEvent
from pyfax.modem.v21 import V21Receiver, V21Transmitter

__all__ = [
    "MODEMS",
    "SAMPLE_RATE_HZ",
    "Bits",
    "CedGenerator",
    "CngGenerator",
    "FaxTone",
    "HdlcDeframer",
    "HdlcFrame",
    "HdlcFramer",
    "ModemEntry",
    "ModemEvent",
    "ModemStatus",
    "Receiver",
    "RxResult",
    "Samples",
    "ToneDetector",
    "ToneEvent",
    "Transmitter",
    "V21Receiver",
    "V21Transmitter",
    "channel",
    "crc16_itu",
    "demodulate",
    "modem_class",
    "modulate",
    "receiver",
    "transmitter",
]

_LAZY = {cls: entry.module for entry in MODEMS.values()
         for cls in (entry.tx_class, entry.rx_class)}


def __getattr__(name: str) -> Any:
    """Import the other modems' classes on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pyfax.modem' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
