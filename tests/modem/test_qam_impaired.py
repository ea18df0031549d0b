"""V.29 9600 and V.27ter 4800 through impaired lines, against spandsp, both directions.

Each impairment is one line of ``pyfax.modem.channel``; the audio gets 50 ms of
silence in front and 100 ms behind, as a line would. Our receiver must give
zero bit errors on both our audio and spandsp's; spandsp's receiver must give
zero bit errors on ours, with its carrier cutoff set where PEERS.md says.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np
import pytest
from numpy.typing import NDArray
from peers.spandsp_modems import SpandspRx, SpandspTx

from pyfax.modem import channel as ch
from pyfax.modem.v27ter import V27terReceiver, V27terTransmitter
from pyfax.modem.v29 import V29Receiver, V29Transmitter

N_BITS = 20_000
Audio = NDArray[np.int16]


def _all_together(audio: Audio, sign: int) -> Audio:
    a = ch.frequency_offset(audio, 8.0 * sign)
    a = ch.clock_offset(a, 100.0 * sign)
    a = ch.gain_db(a, -20.0)  # -10 dBm0 -> -30 dBm0
    a = ch.awgn(a, 30.0, np.random.default_rng(11))
    return ch.g711_ulaw_roundtrip(a)


IMPAIRMENTS: dict[str, Callable[[Audio], Audio]] = {
    "ulaw": ch.g711_ulaw_roundtrip,
    "alaw": ch.g711_alaw_roundtrip,
    "noise-30dB": lambda a: ch.awgn(a, 30.0, np.random.default_rng(7)),
    "level-30dBm0": lambda a: ch.gain_db(a, -20.0),
    "carrier+8Hz": lambda a: ch.frequency_offset(a, 8.0),
    "carrier-8Hz": lambda a: ch.frequency_offset(a, -8.0),
    "clock+100ppm": lambda a: ch.clock_offset(a, 100.0),
    "clock-100ppm": lambda a: ch.clock_offset(a, -100.0),
    "all+": lambda a: _all_together(a, 1),
    "all-": lambda a: _all_together(a, -1),
}
# spandsp's receiver hears nothing below its cutoff, and with noise at -40 dBm0
# in front of the signal a -45.5 dBm0 cutoff makes it train on the noise.
_SPANDSP_CUTOFF = {"noise-30dB": -35.0, "level-30dBm0": -45.5, "all+": -45.5, "all-": -45.5}

MODEMS = {
    "v29": (9600, V29Transmitter, V29Receiver),
    "v27ter": (4800, V27terTransmitter, V27terReceiver),
}


@cache
def _bits(modem: str) -> NDArray[np.uint8]:
    return np.random.default_rng(len(modem)).integers(0, 2, N_BITS, dtype=np.uint8)


def _framed(audio: Audio) -> Audio:
    return np.concatenate([np.zeros(400, np.int16), audio, np.zeros(800, np.int16)])


@cache
def _ours(modem: str) -> Audio:
    rate, tx_cls, _ = MODEMS[modem]
    tx = tx_cls(rate)
    tx.put_bits(_bits(modem))
    tx.end_of_data()
    return _framed(np.concatenate([tx.tx(8000) for _ in range(100) if not tx.done]))


@cache
def _theirs(modem: str) -> Audio:
    rate = MODEMS[modem][0]
    return _framed(SpandspTx(modem, rate, _bits(modem)).run())


def _pyfax_errors(modem: str, audio: Audio) -> int:
    rate, _, rx_cls = MODEMS[modem]
    got = rx_cls(rate).rx(audio).bits
    assert len(got) >= N_BITS, f"only {len(got)} bits"
    return int(np.count_nonzero(got[:N_BITS] != _bits(modem)))


def _spandsp_errors(modem: str, audio: Audio, line: str) -> int:
    rx = SpandspRx(modem, MODEMS[modem][0], cutoff_dbm0=_SPANDSP_CUTOFF.get(line))
    got = rx.run(audio)
    assert len(got) >= N_BITS, f"spandsp delivered only {len(got)} bits"
    return int(np.count_nonzero(got[:N_BITS] != _bits(modem)))


@pytest.mark.peer
@pytest.mark.slow
@pytest.mark.parametrize("line", list(IMPAIRMENTS))
@pytest.mark.parametrize("modem", list(MODEMS))
def test_pyfax_receives_impaired(modem: str, line: str) -> None:
    impair = IMPAIRMENTS[line]
    assert _pyfax_errors(modem, impair(_ours(modem))) == 0
    assert _pyfax_errors(modem, impair(_theirs(modem))) == 0


@pytest.mark.peer
@pytest.mark.slow
@pytest.mark.parametrize("line", list(IMPAIRMENTS))
@pytest.mark.parametrize("modem", list(MODEMS))
def test_spandsp_receives_impaired(modem: str, line: str) -> None:
    impair = IMPAIRMENTS[line]
    errors = _spandsp_errors(modem, impair(_ours(modem)), line)
    if modem == "v27ter" and ("ppm" in line or line.startswith("all")):
        # spandsp 0.0.6's V.27ter receiver does not track a 100 ppm clock
        # offset even on its own signal (a few hundred errors): ours must do
        # no worse than spandsp's own transmitter through the same line.
        own = _spandsp_errors(modem, impair(_theirs(modem)), line)
        assert own > 0, "spandsp now copes: make this a zero-error check"
        assert errors <= 2 * own + 50
    else:
        assert errors == 0


@pytest.mark.peer
@pytest.mark.parametrize("ppm", [50.0, -50.0])
def test_spandsp_v27ter_receives_50ppm(ppm: float) -> None:
    audio = ch.clock_offset(_ours("v27ter"), ppm)
    assert _spandsp_errors("v27ter", audio, "clock") == 0


@pytest.mark.peer
@pytest.mark.slow
@pytest.mark.parametrize(("modem", "rate"), [("v29", 7200), ("v29", 4800), ("v27ter", 2400)])
def test_other_rates_all_impairments_together(modem: str, rate: int) -> None:
    bits = np.random.default_rng(rate).integers(0, 2, N_BITS, dtype=np.uint8)
    tx_cls, rx_cls = MODEMS[modem][1], MODEMS[modem][2]
    tx = tx_cls(rate)
    tx.put_bits(bits)
    tx.end_of_data()
    ours = _framed(np.concatenate([tx.tx(8000) for _ in range(100) if not tx.done]))
    theirs = _framed(SpandspTx(modem, rate, bits).run())
    for audio in (ours, theirs):
        got = rx_cls(rate).rx(_all_together(audio, 1)).bits
        assert len(got) >= N_BITS
        assert np.array_equal(got[:N_BITS], bits)
