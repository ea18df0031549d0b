"""V.21 channel 2: pyfax against itself and against spandsp, clean and impaired."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pytest
from modem_peer_util import transmit
from numpy.typing import NDArray
from peers.spandsp_modems import SpandspRx, SpandspTx

from pyfax.errors import ModemError
from pyfax.modem._dsp import power_dbm0
from pyfax.modem.base import ModemStatus
from pyfax.modem.tones import CedGenerator, CngGenerator
from pyfax.modem.v21 import V21Receiver, V21Transmitter

Audio = NDArray[np.int16]
N_BITS = 2000
LEAD = np.zeros(400, np.int16)
TAIL = np.zeros(800, np.int16)


def pyfax_tx(bits: NDArray[np.uint8], *, block: int = 160, **kw: float) -> Audio:
    return transmit(V21Transmitter(**kw), bits, block=block)  # type: ignore[arg-type]


def pyfax_rx(audio: Audio, *, block: int | None = None,
             ) -> tuple[NDArray[np.uint8], list[ModemStatus]]:
    rx = V21Receiver()
    step = block or max(len(audio), 1)
    results = [rx.rx(audio[i:i + step]) for i in range(0, len(audio), step)]
    bits = np.concatenate([r.bits for r in results]) if results else np.zeros(0, np.uint8)
    return bits, [e.status for r in results for e in r.events]


@pytest.fixture
def bits(rng: np.random.Generator) -> NDArray[np.uint8]:
    return rng.integers(0, 2, N_BITS).astype(np.uint8)


def test_tones_and_level() -> None:
    tx_audio = pyfax_tx(np.ones(300, np.uint8))
    spectrum = np.abs(np.fft.rfft(tx_audio[:8000]))
    assert np.argmax(spectrum) == 1650  # 1 Hz bins over one second: mark
    space = pyfax_tx(np.zeros(300, np.uint8))
    assert np.argmax(np.abs(np.fft.rfft(space[:8000]))) == 1850
    assert power_dbm0(tx_audio) == pytest.approx(-10.0, abs=0.05)
    quiet = pyfax_tx(np.ones(30, np.uint8), level_dbm0=-20.0)
    assert power_dbm0(quiet) == pytest.approx(-20.0, abs=0.1)


def test_length_is_exact_and_phase_continuous(bits: NDArray[np.uint8]) -> None:
    audio = pyfax_tx(bits[:300])
    assert len(audio) == 8000  # 300 bits at 300 bit/s
    x = audio.astype(float)
    # continuous phase: no sample-to-sample jump larger than a 1850 Hz sine's slope allows
    assert np.max(np.abs(np.diff(x))) <= 2 * np.pi * 1850 / 8000 * np.max(np.abs(x)) * 1.01


def test_tx_block_size_independent(bits: NDArray[np.uint8]) -> None:
    whole = pyfax_tx(bits[:200], block=100_000)
    for block in (1, 7, 160):
        assert np.array_equal(pyfax_tx(bits[:200], block=block), whole)


def test_tx_idles_on_mark_and_rejects_misuse() -> None:
    tx = V21Transmitter()
    idle = tx.tx(800)
    assert np.argmax(np.abs(np.fft.rfft(idle))) == 1650 * 800 // 8000
    tx.end_of_data()
    assert tx.done and len(tx.tx(100)) == 0
    with pytest.raises(ModemError):
        tx.put_bits(np.ones(3, np.uint8))
    with pytest.raises(ModemError):
        V21Transmitter(2400)
    with pytest.raises(ModemError):
        V21Transmitter().put_bits(np.array([0, 2]))
    with pytest.raises(ModemError):
        V21Receiver(1200)


def test_self_round_trip_exact(bits: NDArray[np.uint8], impairment: Callable[..., Audio],
                               rng: np.random.Generator) -> None:
    audio = impairment(np.concatenate([LEAD, pyfax_tx(bits), TAIL]), rng)
    got, statuses = pyfax_rx(audio)
    assert statuses == [ModemStatus.CARRIER_UP, ModemStatus.CARRIER_DOWN]
    assert np.array_equal(got, bits)


@pytest.mark.parametrize("block", [1, 7, 160])
def test_rx_block_size_independent(bits: NDArray[np.uint8], block: int) -> None:
    n = 300 if block == 1 else N_BITS
    audio = np.concatenate([LEAD, pyfax_tx(bits[:n]), TAIL, pyfax_tx(bits[:50]), TAIL])
    whole, whole_events = pyfax_rx(audio)
    assert np.array_equal(whole, np.concatenate([bits[:n], bits[:50]]))
    got, events = pyfax_rx(audio, block=block)
    assert np.array_equal(got, whole) and events == whole_events


def test_events_carry_sample_index(bits: NDArray[np.uint8]) -> None:
    rx = V21Receiver()
    res = rx.rx(np.concatenate([LEAD, pyfax_tx(bits[:100]), TAIL]))
    up, down = res.events
    assert up.status is ModemStatus.CARRIER_UP and 400 <= up.sample_index < 400 + 40
    end = 400 + 100 * 80 // 3
    assert down.status is ModemStatus.CARRIER_DOWN and end <= down.sample_index < end + 100


def test_noise_and_silence_give_no_carrier(rng: np.random.Generator) -> None:
    rx = V21Receiver()
    noise = (rng.standard_normal(16000) * 20).astype(np.int16)  # about -56 dBm0
    res = rx.rx(np.concatenate([np.zeros(8000, np.int16), noise]))
    assert res.events == [] and res.bits.size == 0
    assert not rx.carrier_on


def test_garbage_never_raises(rng: np.random.Generator) -> None:
    rx = V21Receiver()
    for _ in range(20):
        n = int(rng.integers(0, 3000))
        rx.rx(rng.integers(-32768, 32768, n).astype(np.int16))
    rx.rx(np.full(4000, 32767, np.int16))
    rx.rx(np.zeros(0, np.int16))


def test_below_cutoff_is_ignored(bits: NDArray[np.uint8]) -> None:
    quiet = pyfax_tx(bits[:100], level_dbm0=-50.0)
    assert pyfax_rx(quiet)[1] == []
    # the default cutoff is -43 dBm0: 1 dB either side decides
    assert pyfax_rx(np.concatenate([pyfax_tx(bits[:100], level_dbm0=-44.0), TAIL]))[1] == []
    above, statuses = pyfax_rx(np.concatenate([pyfax_tx(bits[:100], level_dbm0=-42.0), TAIL]))
    assert statuses == [ModemStatus.CARRIER_UP, ModemStatus.CARRIER_DOWN]
    assert np.array_equal(above, bits[:100])
    rx = V21Receiver(cutoff_dbm0=-55.0)
    res = rx.rx(np.concatenate([LEAD, quiet, TAIL]))
    assert np.array_equal(res.bits, bits[:100])


@pytest.mark.peer
def test_spandsp_receives_pyfax(bits: NDArray[np.uint8], impairment: Callable[..., Audio],
                                rng: np.random.Generator) -> None:
    audio = impairment(np.concatenate([LEAD, pyfax_tx(bits), TAIL]), rng)
    srx = SpandspRx("v21", 300, cutoff_dbm0=-39.0)  # a fax terminal's V.21 cutoff
    got = srx.run(audio)
    # spandsp delivers a spurious bit before the first data bit, and more if the
    # noise before the burst already raised its carrier detector
    lead = next((k for k in range(20) if np.array_equal(got[k:k + N_BITS], bits)), None)
    assert lead is not None, "spandsp did not receive the bits"


@pytest.mark.peer
def test_pyfax_receives_spandsp(bits: NDArray[np.uint8], impairment: Callable[..., Audio],
                                rng: np.random.Generator) -> None:
    stx = SpandspTx("v21", 300, bits, level_dbm0=-10.0)
    audio = impairment(np.concatenate([LEAD, stx.run(), TAIL]), rng)
    got, statuses = pyfax_rx(audio)
    # spandsp sends one bit time of mark before its first data bit
    assert got[0] == 1
    assert np.array_equal(got[1:1 + N_BITS], bits)
    assert statuses[0] is ModemStatus.CARRIER_UP


def test_random_mixtures_in_random_blocks_never_raise_or_warn() -> None:
    rng = np.random.default_rng(5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(10):
            parts = []
            for kind in rng.integers(0, 4, 4):
                n = int(rng.integers(1, 3000))
                if kind == 0:
                    parts.append(np.zeros(n, np.int16))
                elif kind == 1:
                    parts.append(rng.integers(-32768, 32768, n).astype(np.int16))
                elif kind == 2:
                    level = float(rng.uniform(-50, 0))
                    parts.append(pyfax_tx(rng.integers(0, 2, 100).astype(np.uint8),
                                          level_dbm0=level))
                else:
                    parts.append((rng.standard_normal(n) * rng.uniform(1, 3000)).astype(np.int16))
            audio = np.concatenate(parts)
            rx = V21Receiver()
            i = 0
            while i < len(audio):
                step = int(rng.integers(0, 500))
                res = rx.rx(audio[i:i + step])
                assert set(res.bits.tolist()) <= {0, 1}
                i += step


@pytest.mark.parametrize("level_dbm0", [-10.0, 0.0])
def test_ced_and_cng_do_not_raise_carrier(bits: NDArray[np.uint8], level_dbm0: float) -> None:
    v21 = pyfax_tx(bits[:300])
    tones = (CedGenerator(level_dbm0=level_dbm0), CngGenerator(cycles=1, level_dbm0=level_dbm0))
    for tone in tones:
        # T.30: the answer tone, then a 75 ms gap, then the V.21 preamble
        got, statuses = pyfax_rx(np.concatenate([tone.tx(40_000), np.zeros(600, np.int16),
                                                 v21, TAIL]))
        assert statuses == [ModemStatus.CARRIER_UP, ModemStatus.CARRIER_DOWN]
        assert np.array_equal(got, bits[:300])
