"""V.17 transmitter (the shared LinearTransmitter with the V.17 profile): streaming,
level, tail, errors, spandsp's timing, and spandsp's receiver."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np
import pytest
from peers.spandsp_modems import SpandspRx, SpandspTx

from pyfax.errors import ModemError
from pyfax.modem._dsp import power_dbm0
from pyfax.modem._qam_tx import LinearTransmitter
from pyfax.modem._v17_profile import v17_profile
from pyfax.modem._v17_training import make_training
from pyfax.modem.v17 import V17Transmitter

RATES = (7200, 9600, 12000, 14400)


def _run(tx: V17Transmitter, block: int) -> np.ndarray:
    out = []
    for _ in range(100_000):
        chunk = tx.tx(block)
        out.append(chunk)
        if tx.done:
            break
    assert tx.done
    return np.concatenate(out)


def _burst(rate: int, bits: np.ndarray, *, short: bool = False, block: int = 160,
           level_dbm0: float = -10.0) -> np.ndarray:
    tx = V17Transmitter(rate, short_train=short, level_dbm0=level_dbm0)
    tx.put_bits(bits)
    tx.end_of_data()
    return _run(tx, block)


def test_output_does_not_depend_on_block_size() -> None:
    bits = np.random.default_rng(2).integers(0, 2, 900).astype(np.uint8)
    whole = _burst(9600, bits, block=1_000_000)
    for block in (1, 7, 160):
        assert np.array_equal(_burst(9600, bits, block=block), whole)


def test_bits_may_arrive_in_pieces() -> None:
    bits = np.random.default_rng(3).integers(0, 2, 1000).astype(np.uint8)
    tx = V17Transmitter(14400)
    for i in range(0, 1000, 13):
        tx.put_bits(bits[i:i + 13])
    tx.end_of_data()
    assert np.array_equal(_run(tx, 160), _burst(14400, bits))


@pytest.mark.parametrize("level", [-10.0, -20.0, -5.0])
def test_transmit_level(level: float) -> None:
    bits = np.random.default_rng(4).integers(0, 2, 20_000).astype(np.uint8)
    audio = _burst(14400, bits, level_dbm0=level)
    assert abs(power_dbm0(audio[12_000:-2_000]) - level) < 0.5


def test_training_layout() -> None:
    long, short = make_training(False), make_training(True)
    assert long.symbols.size == 256 + 2976 + 64
    assert short.symbols.size == 256 + 38
    assert np.array_equal(long.symbols[:38 + 256], short.symbols)


def test_bad_use_raises_modem_error() -> None:
    with pytest.raises(ModemError):
        V17Transmitter(4800)
    with pytest.raises(ModemError):
        V17Transmitter(9600, level_dbm0=20.0)
    tx = V17Transmitter(9600)
    with pytest.raises(ModemError):
        tx.put_bits(np.array([0, 1, 2]))
    tx.end_of_data()
    with pytest.raises(ModemError):
        tx.put_bits(np.ones(4, np.uint8))
    with pytest.raises(ModemError):
        tx.tx(-1)


def test_finished_transmitter_returns_nothing() -> None:
    tx = V17Transmitter(7200)
    tx.end_of_data()
    _run(tx, 4000)
    assert tx.tx(160).size == 0


@pytest.mark.peer
@pytest.mark.parametrize("rate", RATES)
def test_spandsp_receives_pyfax_long_train(rate: int) -> None:
    bits = np.random.default_rng(rate).integers(0, 2, 20_000).astype(np.uint8)
    rx = SpandspRx("v17", rate)
    got = rx.run(_burst(rate, bits))
    assert rx.trained
    assert got.size >= bits.size
    assert np.array_equal(got[: bits.size], bits)


@pytest.mark.peer
@pytest.mark.parametrize("rate", [14400, 9600])
def test_spandsp_accepts_pyfax_short_train_after_long(rate: int) -> None:
    rng = np.random.default_rng(rate + 1)
    first = rng.integers(0, 2, 2_000).astype(np.uint8)
    second = rng.integers(0, 2, 20_000).astype(np.uint8)
    gap = np.zeros(4_000, np.int16)
    audio = np.concatenate([_burst(rate, first), gap, _burst(rate, second, short=True)])
    rx = SpandspRx("v17", rate)
    got = rx.run(audio)
    assert rx.events.count(-4) == 2  # trained twice, the second time on the short train
    assert np.array_equal(got[: first.size], first)
    # spandsp delivers the first burst's tail (ones, then noise as the carrier
    # fades) before the second burst's data
    tail = got[first.size:]
    n_tail = next(i for i in range(tail.size) if np.array_equal(tail[i:i + 64], second[:64]))
    assert n_tail < 500
    assert np.array_equal(tail[n_tail:n_tail + second.size], second)


@pytest.mark.peer
def test_pyfax_short_train_matches_spandsp_short_train_waveform() -> None:
    """Same symbols, same timing: the two short trains correlate almost perfectly."""
    bits = np.ones(600, np.uint8)
    theirs = SpandspTx("v17", 14400, bits, short_train=True).run().astype(float)[:1700]
    ours = _burst(14400, bits, short=True, level_dbm0=-14.0).astype(float)[:1700]
    corr = np.dot(theirs, ours) / np.sqrt(np.dot(theirs, theirs) * np.dot(ours, ours))
    assert corr > 0.98


def test_tail_is_ones_then_48_silent_symbols() -> None:
    audio = _burst(9600, np.ones(960, np.uint8))
    silent = np.flatnonzero(audio)[-1] + 1
    # 48 symbols (160 samples) of silence, less the last pulse's decay
    assert audio.size - silent in range(120, 161)
    # before them, the 32 symbols of ones carry the full signal
    assert power_dbm0(audio[silent - 120:silent - 20]) > -13.0


@pytest.mark.peer
@pytest.mark.parametrize(("phase", "ok"), [(Fraction(-13, 20), True), (Fraction(0), False)])
def test_timing_phase_is_spandsps(phase: Fraction, ok: bool) -> None:
    """The spec's timing phase is what makes the short train match spandsp's."""
    bits = np.ones(600, np.uint8)
    theirs = SpandspTx("v17", 14400, bits, short_train=True).run().astype(float)[:1700]
    profile = v17_profile(14400, short=True)
    assert profile.spec.tx_timing_symbols == Fraction(-13, 20)
    profile = dataclasses.replace(profile, spec=dataclasses.replace(
        profile.spec, tx_timing_symbols=phase))
    tx = LinearTransmitter(profile, level_dbm0=-14.0)
    tx.put_bits(bits)
    tx.end_of_data()
    ours = tx.tx(1700).astype(float)
    corr = np.dot(theirs, ours) / np.sqrt(np.dot(theirs, theirs) * np.dot(ours, ours))
    assert bool(corr > 0.99) is ok and bool(corr < 0.6) is not ok


@pytest.mark.peer
@pytest.mark.parametrize("rate", [14400, 7200])
def test_v17_profile_drives_the_shared_transmitter(rate: int) -> None:
    """The V.17 profile's encoder and plan, through the shared transmitter."""
    bits = np.random.default_rng(rate + 7).integers(0, 2, 5_000).astype(np.uint8)
    tx = LinearTransmitter(v17_profile(rate))
    tx.put_bits(bits)
    tx.end_of_data()
    audio = [tx.tx(4000)]
    while not tx.done:
        audio.append(tx.tx(4000))
    rx = SpandspRx("v17", rate)
    got = rx.run(np.concatenate(audio))
    assert np.array_equal(got[: bits.size], bits)
