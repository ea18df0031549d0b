"""Shared steps of the modem tests against spandsp (V.27ter, V.29, V.17).

Each ``check_*`` function is one round trip with its assertions, so that the
peer tests of every modem run the same checks:

* :func:`check_pyfax_to_spandsp`: our transmitter, spandsp's receiver.
* :func:`check_spandsp_to_pyfax`: spandsp's transmitter, our receiver.
* :func:`check_spandsp_tep`: spandsp sends the talker echo protection tone.
* :func:`pyfax_tep_burst` and :func:`check_both_receive`: we send it; both
  receivers must get the bits.

A modem is described by a :class:`PeerModem` (spandsp's name and our two
classes). :func:`transmit` runs any pyfax transmitter over a burst.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from peers.spandsp_modems import SpandspRx, SpandspTx

from pyfax.modem.base import ModemStatus, Receiver, Transmitter

Audio = NDArray[np.int16]
Bits = NDArray[np.uint8]

N_BITS = 20_000
TEP_BITS = 4000
TRAILING_SILENCE = 800  # samples after a burst, so the receiver drops its carrier
CLEAN_BURST = [ModemStatus.CARRIER_UP, ModemStatus.TRAINING_SUCCEEDED,
               ModemStatus.CARRIER_DOWN]


@dataclass(frozen=True)
class PeerModem:
    """A modem as both sides know it."""

    name: str  # spandsp's name ("v27ter", "v29", "v17")
    transmitter: Callable[..., Transmitter]  # (rate, *, tep=...) -> pyfax transmitter
    receiver: Callable[[int], Receiver]  # rate -> pyfax receiver


def random_bits(seed: int, n: int) -> Bits:
    """``n`` random data bits from a generator seeded with ``seed``."""
    return np.random.default_rng(seed).integers(0, 2, n, dtype=np.uint8)


def transmit(tx: Transmitter, bits: Bits, *, block: int = 160) -> Audio:
    """The whole burst of ``tx`` carrying ``bits``, asked for ``block`` samples at a time."""
    tx.put_bits(bits)
    tx.end_of_data()
    out = []
    while not tx.done:
        out.append(tx.tx(block))
    return np.concatenate(out)


def _with_silence(audio: Audio) -> Audio:
    return np.concatenate([audio, np.zeros(TRAILING_SILENCE, np.int16)])


def check_pyfax_to_spandsp(modem: PeerModem, rate: int) -> None:
    """spandsp receives N_BITS from our transmitter, exactly."""
    bits = random_bits(rate, N_BITS)
    rx = SpandspRx(modem.name, rate)
    got = rx.run(transmit(modem.transmitter(rate), bits))
    assert rx.trained
    assert len(got) >= N_BITS
    assert np.array_equal(got[:N_BITS], bits)


def check_spandsp_to_pyfax(modem: PeerModem, rate: int) -> None:
    """Our receiver gets N_BITS from spandsp's transmitter, exactly, in one clean burst."""
    bits = random_bits(rate + 1, N_BITS)
    audio = _with_silence(SpandspTx(modem.name, rate, bits).run())
    res = modem.receiver(rate).rx(audio)
    statuses = [e.status for e in res.events]
    assert statuses == CLEAN_BURST
    assert len(res.bits) >= N_BITS
    assert np.array_equal(res.bits[:N_BITS], bits)


def check_spandsp_tep(modem: PeerModem, rate: int) -> None:
    """Our receiver skips spandsp's talker echo protection tone and gets the bits."""
    bits = random_bits(5, TEP_BITS)
    audio = _with_silence(SpandspTx(modem.name, rate, bits, tep=True).run())
    res = modem.receiver(rate).rx(audio)
    assert [e.status for e in res.events] == CLEAN_BURST
    assert np.array_equal(res.bits[:TEP_BITS], bits)


def pyfax_tep_burst(modem: PeerModem, rate: int) -> tuple[Audio, Bits]:
    """Our burst with the tone in front (and its bits), checked for the tone."""
    bits = random_bits(6, TEP_BITS)
    tx = modem.transmitter(rate, tep=True)
    tx.put_bits(bits)
    tx.end_of_data()
    audio = _with_silence(tx.tx(100_000))
    assert np.max(np.abs(audio[200:1500])) > 5000  # 200 ms of unmodulated carrier
    return audio, bits


def check_both_receive(modem: PeerModem, rate: int, audio: Audio, bits: Bits) -> None:
    """Our receiver and spandsp's both get ``bits`` from ``audio``."""
    assert np.array_equal(modem.receiver(rate).rx(audio).bits[:len(bits)], bits)
    assert np.array_equal(SpandspRx(modem.name, rate).run(audio)[:len(bits)], bits)
