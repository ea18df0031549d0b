"""Linear-modem receivers whose carrier starts at their very first sample.

A receiver that is started just as a burst begins (T.30 switches to the
receive modem late, or a recording is cut at the first sample) hears no
silence at all before the training. Every V.29, V.27ter and V.17 rate must
still train and deliver exact bits, whatever the block size, both through
the public receiver classes and through the shared ``LinearReceiver`` alone.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from numpy.typing import NDArray

from pyfax.modem._qam_rx import LinearReceiver
from pyfax.modem._v17_profile import v17_profile
from pyfax.modem.base import ModemStatus, Receiver, Transmitter
from pyfax.modem.v17 import V17Receiver, V17Transmitter
from pyfax.modem.v27ter import V27terReceiver, V27terTransmitter, v27ter_profile
from pyfax.modem.v29 import V29Receiver, V29Transmitter, v29_profile

N_BITS = 1200
UP, OK, DOWN = (ModemStatus.CARRIER_UP, ModemStatus.TRAINING_SUCCEEDED,
                ModemStatus.CARRIER_DOWN)
CASES = [("v29", r) for r in (9600, 7200, 4800)] + [("v27ter", r) for r in (4800, 2400)] + [
    ("v17", r) for r in (14400, 12000, 9600, 7200)]


def _tx(modem: str, rate: int, short: bool) -> Transmitter:
    if modem == "v17":
        return V17Transmitter(rate, short_train=short)
    return V29Transmitter(rate) if modem == "v29" else V27terTransmitter(rate)


def _rx(modem: str, rate: int, short: bool) -> Receiver:
    if modem == "v17":
        return V17Receiver(rate, short_train=short)
    return V29Receiver(rate) if modem == "v29" else V27terReceiver(rate)


def _bits(rate: int) -> NDArray[np.uint8]:
    return np.random.default_rng(rate + 11).integers(0, 2, N_BITS, dtype=np.uint8)


@cache
def _audio(modem: str, rate: int, short: bool = False) -> NDArray[np.int16]:
    """One burst with every leading zero sample cut off, then some silence."""
    tx = _tx(modem, rate, short)
    tx.put_bits(_bits(rate))
    tx.end_of_data()
    out = [tx.tx(4000) for _ in range(100) if not tx.done]
    audio = np.concatenate(out)
    first = int(np.flatnonzero(audio)[0])
    return np.concatenate([audio[first:], np.zeros(1000, np.int16)])


def _run(rx: Receiver, audio: NDArray[np.int16], block: int) -> tuple[
        NDArray[np.uint8], list[ModemStatus]]:
    bits, statuses = [], []
    for i in range(0, len(audio), block):
        res = rx.rx(audio[i:i + block])
        bits.append(res.bits)
        statuses.extend(e.status for e in res.events)
    return np.concatenate(bits), statuses


@pytest.mark.parametrize(("modem", "rate"), CASES)
@pytest.mark.parametrize("block", [160, 100_000])
def test_carrier_at_the_first_sample(modem: str, rate: int, block: int) -> None:
    audio = _audio(modem, rate)
    assert audio[0] != 0
    bits, statuses = _run(_rx(modem, rate, False), audio, block)
    assert statuses == [UP, OK, DOWN]
    assert np.array_equal(bits[:N_BITS], _bits(rate))


@pytest.mark.parametrize(("modem", "rate"), [c for c in CASES if c[0] != "v17"] + [
    ("v17", 14400), ("v17", 7200)])
def test_shared_receiver_alone(modem: str, rate: int) -> None:
    """No wrapper and no pre-roll: the framework itself copes."""
    profile = {"v29": v29_profile, "v27ter": v27ter_profile, "v17": v17_profile}[modem](rate)
    bits, statuses = _run(LinearReceiver(profile), _audio(modem, rate), 1000)
    assert statuses == [UP, OK, DOWN]
    assert np.array_equal(bits[:N_BITS], _bits(rate))


@pytest.mark.parametrize("rate", [14400, 9600])
def test_v17_short_train_at_the_first_sample(rate: int) -> None:
    audio = _audio("v17", rate, short=True)
    bits, statuses = _run(_rx("v17", rate, True), audio, 160)
    assert statuses == [UP, OK, DOWN]
    assert np.array_equal(bits[:N_BITS], _bits(rate))


@pytest.mark.slow
@pytest.mark.parametrize(("modem", "rate"), [("v29", 9600), ("v27ter", 4800), ("v17", 9600)])
def test_any_block_size(modem: str, rate: int) -> None:
    audio = _audio(modem, rate)
    whole = _run(_rx(modem, rate, False), audio, len(audio))
    cuts = np.cumsum(np.random.default_rng(rate).integers(1, 500, 200))
    for block in (1, 7):
        bits, statuses = _run(_rx(modem, rate, False), audio, block)
        assert np.array_equal(bits, whole[0]) and statuses == whole[1], block
    rx = _rx(modem, rate, False)
    parts = [rx.rx(p) for p in np.split(audio, cuts[cuts < len(audio)])]
    assert np.array_equal(np.concatenate([p.bits for p in parts]), whole[0])
