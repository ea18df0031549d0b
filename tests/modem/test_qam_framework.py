"""The linear-modem framework's hooks and acquisition, on their own."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from pyfax.modem import channel as ch
from pyfax.modem._qam_acquire import acquire, periodic_score
from pyfax.modem._qam_frontend import BasebandBuffer
from pyfax.modem._qam_rx import LinearReceiver
from pyfax.modem._qam_spec import ModemProfile, SymbolDecider, Symbols
from pyfax.modem._qam_tx import LinearTransmitter
from pyfax.modem.base import Bits, ModemStatus
from pyfax.modem.v27ter import v27ter_profile
from pyfax.modem.v29 import v29_profile


class _SpyDecider:
    """Wraps a decider and counts the symbols it is handed."""

    def __init__(self, inner: SymbolDecider) -> None:
        self.inner = inner
        self.symbols = 0

    def decide(self, z: Symbols) -> tuple[Symbols, Bits]:
        self.symbols += len(z)
        return self.inner.decide(z)

    def flush(self) -> Bits:
        return self.inner.flush()


def test_decider_hook_is_used() -> None:
    base = v27ter_profile(2400)
    spies: list[_SpyDecider] = []

    def new_decider() -> SymbolDecider:
        spies.append(_SpyDecider(base.new_decider()))
        return spies[-1]

    profile: ModemProfile = dataclasses.replace(base, new_decider=new_decider)
    bits = np.random.default_rng(1).integers(0, 2, 1000, dtype=np.uint8)
    tx = LinearTransmitter(profile)
    tx.put_bits(bits)
    tx.end_of_data()
    audio = np.concatenate([tx.tx(50_000), np.zeros(800, np.int16)])
    res = LinearReceiver(profile).rx(audio)
    assert np.array_equal(res.bits[:1000], bits)
    assert len(spies) == 1 and spies[0].symbols >= 500 + 8


@pytest.mark.parametrize("offset_hz", [-8.0, 0.0, 8.0])
def test_acquisition_measures_carrier_offset(offset_hz: float) -> None:
    profile = v29_profile(9600)
    tx = LinearTransmitter(profile)
    tx.end_of_data()
    audio = ch.frequency_offset(tx.tx(20_000), offset_hz)
    buf = BasebandBuffer(profile.spec)
    buf.append(audio.astype(np.float64), keep_from=0)
    start = 48 * 10 / 3  # segment 2 begins after 48 symbols of silence
    acq = acquire(buf, start, profile.spec, profile.new_plan())
    assert acq is not None
    measured_hz = acq.omega / (2 * np.pi) * 4800  # radians per T/2 sample
    assert abs(measured_hz - offset_hz) < 0.5
    assert acq.mse < 0.01


def test_periodic_score_separates_abab_from_data() -> None:
    rng = np.random.default_rng(2)
    abab = np.tile([1 + 1j, 0.5 - 0.2j, -1 - 1j, -0.5 + 0.2j], 30)
    data = rng.standard_normal(120) + 1j * rng.standard_normal(120)
    assert periodic_score(abab).min() > 0.99
    assert periodic_score(data).max() < 0.6


def test_receiver_reports_training_failed_on_a_wrong_rate() -> None:
    tx = LinearTransmitter(v29_profile(9600))
    tx.put_bits(np.ones(4800, np.uint8))
    tx.end_of_data()
    audio = np.concatenate([tx.tx(50_000), np.zeros(800, np.int16)])
    res = LinearReceiver(v29_profile(7200)).rx(audio)
    statuses = [e.status for e in res.events]
    assert ModemStatus.TRAINING_SUCCEEDED not in statuses
    assert ModemStatus.TRAINING_FAILED in statuses
    assert len(res.bits) == 0
