"""The convenience API: registry, errors, lazy imports and whole-burst round trips."""

from __future__ import annotations

import numpy as np
import pytest

from pyfax import modem
from pyfax.errors import ModemError
from pyfax.modem._dsp import power_dbm0
from pyfax.modem.api import MODEMS


def test_registry_names_and_rates() -> None:
    assert MODEMS["v21"].rates_bps == (300,)
    assert MODEMS["v27ter"].rates_bps == (2400, 4800)
    assert MODEMS["v29"].rates_bps == (4800, 7200, 9600)
    assert MODEMS["v17"].rates_bps == (7200, 9600, 12000, 14400)
    assert set(modem.__all__) >= {"modulate", "demodulate", "V21Transmitter", "HdlcFramer"}


@pytest.mark.parametrize("name,rate", [("v22", 1200), ("v21", 600), ("v29", 2400), ("V17", 14400)])
def test_unknown_modem_or_rate(name: str, rate: int) -> None:
    with pytest.raises(ModemError):
        modem.modulate(name, rate, np.zeros(8, np.uint8))
    with pytest.raises(ModemError):
        modem.demodulate(name, rate, np.zeros(8, np.int16))


def test_bad_bits_and_audio() -> None:
    with pytest.raises(ModemError):
        modem.modulate("v21", 300, [0, 1, 2])
    with pytest.raises(ModemError):
        modem.modulate("v21", 300, np.array([0.5, 1.0]))
    with pytest.raises(ModemError):
        modem.demodulate("v21", 300, np.zeros((2, 8), np.int16))
    with pytest.raises(ModemError):
        modem.modem_class("v21", 300, role="both")


def test_v21_round_trip_through_the_api(rng: np.random.Generator) -> None:
    bits = rng.integers(0, 2, 1000).astype(np.uint8)
    audio = modem.modulate("v21", 300, bits)
    assert audio.dtype == np.int16 and len(audio) == 1000 * 80 // 3 + 1
    got = modem.demodulate("v21", 300, audio)
    assert got.dtype == np.uint8 and np.array_equal(got, bits)
    quiet = modem.modulate("v21", 300, bits, level_dbm0=-40.0)
    assert np.array_equal(modem.demodulate("v21", 300, quiet), bits)
    assert modem.demodulate("v21", 300, np.zeros(8000, np.int16)).size == 0


def test_lazy_attributes() -> None:
    assert modem.V21Receiver is modem.modem_class("v21", 300, role="rx")
    with pytest.raises(AttributeError):
        _ = modem.NoSuchModem  # type: ignore[attr-defined]


@pytest.mark.parametrize("name,rate", [(n, r) for n, e in MODEMS.items() for r in e.rates_bps])
def test_every_registered_modem_round_trips(name: str, rate: int,
                                            rng: np.random.Generator) -> None:
    try:
        modem.modem_class(name, rate, role="tx")
        modem.modem_class(name, rate, role="rx")
    except ModemError as exc:
        pytest.skip(f"not implemented yet: {exc}")
    bits = rng.integers(0, 2, 3000).astype(np.uint8)
    got = modem.demodulate(name, rate, modem.modulate(name, rate, bits))
    assert np.array_equal(got[: bits.size], bits)


@pytest.mark.parametrize("name", list(MODEMS))
def test_every_transmitter_takes_level_dbm0(name: str, rng: np.random.Generator) -> None:
    rate = MODEMS[name].rates_bps[-1]
    try:
        modem.modem_class(name, rate, role="tx")
    except ModemError as exc:
        pytest.skip(f"not implemented yet: {exc}")
    bits = rng.integers(0, 2, 2000).astype(np.uint8)
    for kwargs, level in (({}, -10.0), ({"level_dbm0": -20.0}, -20.0)):
        audio = modem.modulate(name, rate, bits, **kwargs)
        assert power_dbm0(audio[audio != 0]) == pytest.approx(level, abs=0.3)
