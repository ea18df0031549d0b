"""V.27ter against spandsp, both directions, every rate, clean line."""

from __future__ import annotations

import numpy as np
import pytest
from peers.spandsp_modems import SpandspRx, SpandspTx

from pyfax.modem.base import ModemStatus
from pyfax.modem.v27ter import V27terReceiver, V27terTransmitter

N_BITS = 20_000


def _transmit(rate: int, bits: np.ndarray) -> np.ndarray:
    tx = V27terTransmitter(rate)
    tx.put_bits(bits)
    tx.end_of_data()
    out = []
    while not tx.done:
        out.append(tx.tx(160))
    return np.concatenate(out)


@pytest.mark.peer
@pytest.mark.parametrize("rate", [4800, 2400])
def test_pyfax_to_spandsp(rate: int) -> None:
    bits = np.random.default_rng(rate).integers(0, 2, N_BITS, dtype=np.uint8)
    rx = SpandspRx("v27ter", rate)
    got = rx.run(_transmit(rate, bits))
    assert rx.trained
    assert len(got) >= N_BITS
    assert np.array_equal(got[:N_BITS], bits)


@pytest.mark.peer
@pytest.mark.parametrize("rate", [4800, 2400])
def test_spandsp_to_pyfax(rate: int) -> None:
    bits = np.random.default_rng(rate + 1).integers(0, 2, N_BITS, dtype=np.uint8)
    audio = np.concatenate([SpandspTx("v27ter", rate, bits).run(), np.zeros(800, np.int16)])
    res = V27terReceiver(rate).rx(audio)
    statuses = [e.status for e in res.events]
    assert statuses == [ModemStatus.CARRIER_UP, ModemStatus.TRAINING_SUCCEEDED,
                        ModemStatus.CARRIER_DOWN]
    assert len(res.bits) >= N_BITS
    assert np.array_equal(res.bits[:N_BITS], bits)


@pytest.mark.peer
@pytest.mark.parametrize("rate", [4800, 2400])
def test_spandsp_with_talker_echo_protection_tone(rate: int) -> None:
    bits = np.random.default_rng(5).integers(0, 2, 4000, dtype=np.uint8)
    audio = np.concatenate([SpandspTx("v27ter", rate, bits, tep=True).run(),
                            np.zeros(800, np.int16)])
    res = V27terReceiver(rate).rx(audio)
    assert [e.status for e in res.events] == [
        ModemStatus.CARRIER_UP, ModemStatus.TRAINING_SUCCEEDED, ModemStatus.CARRIER_DOWN]
    assert np.array_equal(res.bits[:4000], bits)


@pytest.mark.peer
@pytest.mark.parametrize("rate", [4800, 2400])
def test_pyfax_talker_echo_protection_tone_both_receivers(rate: int) -> None:
    bits = np.random.default_rng(6).integers(0, 2, 4000, dtype=np.uint8)
    tx = V27terTransmitter(rate, tep=True)
    tx.put_bits(bits)
    tx.end_of_data()
    audio = np.concatenate([tx.tx(100_000), np.zeros(800, np.int16)])
    assert np.max(np.abs(audio[200:1500])) > 5000  # 200 ms of 1800 Hz carrier
    assert np.array_equal(V27terReceiver(rate).rx(audio).bits[:4000], bits)
    assert np.array_equal(SpandspRx("v27ter", rate).run(audio)[:4000], bits)
