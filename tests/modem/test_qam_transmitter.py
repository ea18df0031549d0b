"""The shared PSK/QAM transmitter (V.29, V.27ter): level, streaming, ending, misuse."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np
import pytest
from scipy import signal

from pyfax.errors import ModemError
from pyfax.modem._dsp import power_dbm0
from pyfax.modem._qam_spec import ModemProfile
from pyfax.modem._qam_tx import LinearTransmitter
from pyfax.modem.v27ter import V27terTransmitter, v27ter_profile
from pyfax.modem.v29 import V29Transmitter, v29_profile

TX = [(V29Transmitter, 9600), (V29Transmitter, 7200), (V29Transmitter, 4800),
      (V27terTransmitter, 4800), (V27terTransmitter, 2400)]


def _run(tx: V29Transmitter | V27terTransmitter, block: int) -> np.ndarray:
    out = []
    for _ in range(100_000):
        if tx.done:
            break
        out.append(tx.tx(block))
    return np.concatenate(out)


@pytest.mark.parametrize(("cls", "rate"), TX)
@pytest.mark.parametrize("level", [-10.0, -25.0])
def test_data_level_is_as_asked(cls: type, rate: int, level: float) -> None:
    tx = cls(rate, level_dbm0=level)
    tx.put_bits(np.random.default_rng(1).integers(0, 2, 40_000, dtype=np.uint8))
    tx.end_of_data()
    audio = _run(tx, 160)
    middle = audio[len(audio) // 3: 2 * len(audio) // 3]  # data only
    assert abs(power_dbm0(middle) - level) < 0.5


@pytest.mark.parametrize(("cls", "rate"), TX)
def test_output_does_not_depend_on_block_size(cls: type, rate: int) -> None:
    bits = np.random.default_rng(2).integers(0, 2, 3000, dtype=np.uint8)
    runs = []
    for block in (1, 37, 160, 100_000):
        tx = cls(rate)
        tx.put_bits(bits[:1000])
        tx.put_bits(bits[1000:])
        tx.end_of_data()
        runs.append(_run(tx, block))
    for other in runs[1:]:
        assert np.array_equal(runs[0], other)


def test_training_starts_with_silence_then_signal() -> None:
    audio = _run(_ended(V29Transmitter(9600)), 160)
    # Segment 1: 48 symbols (160 samples) of no signal (V.29 Table 3).
    assert np.max(np.abs(audio[:140])) < 50
    assert power_dbm0(audio[300:1000]) > -13.0


def _ended(tx: V29Transmitter) -> V29Transmitter:
    tx.end_of_data()
    return tx


def test_idle_ones_while_data_runs_dry_and_tail_after_end() -> None:
    tx = V29Transmitter(9600)
    first = tx.tx(8000)  # training and then idle ones, no bits queued
    assert len(first) == 8000 and not tx.done
    tx.put_bits(np.zeros(96, np.uint8))
    tx.end_of_data()
    rest = _run(tx, 1000)
    assert tx.done
    assert len(tx.tx(160)) == 0
    # 96 bits = 24 symbols, 32 tail symbols and the pulse tail: about 60 symbols.
    assert 150 < len(rest) < 250


def test_misuse_raises_modem_error() -> None:
    with pytest.raises(ModemError):
        V29Transmitter(2400)
    with pytest.raises(ModemError):
        V27terTransmitter(9600)
    with pytest.raises(ModemError):
        V29Transmitter(9600, level_dbm0=10.0)
    tx = V27terTransmitter(4800)
    with pytest.raises(ModemError):
        tx.put_bits(np.array([0, 2], np.uint8))
    for bad in ([1, -1], np.array([0, -1]), np.array([0, 256])):
        with pytest.raises(ModemError):
            tx.put_bits(bad)  # type: ignore[arg-type]
    with pytest.raises(ModemError):
        tx.tx(-1)
    tx.end_of_data()
    with pytest.raises(ModemError):
        tx.put_bits(np.ones(3, np.uint8))


def test_v29_training_symbols_follow_table_3() -> None:
    plan = v29_profile(9600).new_plan()
    assert plan.silence_symbols == 48
    assert len(plan.periodic) == 128 and len(plan.known) == 384
    assert set(plan.periodic.tolist()) == {3 - 3j, -3 + 0j}
    assert set(plan.known.tolist()) == {3 + 0j, -3 + 3j}
    # The segment 3 generator 1 + x^-6 + x^-7 started at 0101010 begins 0,1,0,1,0,1,...
    first = (plan.known[:8] == -3 + 3j).astype(int).tolist()
    assert first[:6] == [0, 1, 0, 1, 0, 1]
    assert plan.ones_symbols == 48


def test_v27ter_training_follows_table_3() -> None:
    plan = v27ter_profile(4800).new_plan()
    assert plan.silence_symbols == 32
    assert len(plan.periodic) == 50 and len(plan.known) == 1074
    # Segment 3: continuous 180° reversals.
    assert np.allclose(plan.periodic[1:], -plan.periodic[:-1])
    # Segment 4: only 0° or 180° changes.
    ratio = plan.known[1:] / plan.known[:-1]
    assert np.allclose(np.abs(ratio.imag), 0) and np.allclose(np.abs(ratio.real), 1)
    assert plan.ones_symbols == 8


def _burst(profile: ModemProfile, bits: np.ndarray) -> np.ndarray:
    tx = LinearTransmitter(profile)
    tx.put_bits(bits)
    tx.end_of_data()
    out = [tx.tx(1000) for _ in range(1000) if not tx.done]
    assert tx.done
    return np.concatenate(out)


def test_post_tail_silence_extends_the_burst_with_zeros() -> None:
    bits = np.random.default_rng(8).integers(0, 2, 999, dtype=np.uint8)
    base = v29_profile(9600)
    plan = base.new_plan()
    quiet = dataclasses.replace(base, new_plan=lambda: dataclasses.replace(
        plan, post_tail_silence_symbols=48))
    plain, padded = _burst(base, bits), _burst(quiet, bits)
    assert np.array_equal(padded[:plain.size], plain)
    assert np.all(padded[plain.size:] == 0)
    # the burst now ends 48 symbols, not the pulse's span, after the tail
    extra = (48 - base.spec.tx_span_symbols) * 10 / 3
    assert abs(padded.size - plain.size - extra) <= 1


def test_timing_phase_moves_the_pulses_not_the_level() -> None:
    """A timing phase of -3/10 symbol (one sample at 2400 baud) delays the
    baseband by one sample: the envelope of the output moves by one sample."""
    bits = np.random.default_rng(9).integers(0, 2, 2000, dtype=np.uint8)
    base = v29_profile(9600)
    late = dataclasses.replace(base, spec=dataclasses.replace(
        base.spec, tx_timing_symbols=Fraction(-3, 10)))
    a, b = _burst(base, bits).astype(float), _burst(late, bits).astype(float)
    mid = slice(1000, 3000)  # training and data, away from the ends
    # analytic signals: the carrier times the baseband (the band is 200-3200 Hz)
    za, zb = signal.hilbert(a), signal.hilbert(b)
    expected = za[999:2999] * np.exp(2j * np.pi * 1700 / 8000)  # a's baseband, one sample on
    err = np.abs(zb[mid] - expected)
    assert np.sqrt(np.mean(err**2) / np.mean(np.abs(zb[mid]) ** 2)) < 0.01
    # and without the delay they differ
    assert np.sqrt(np.mean(np.abs(zb[mid] - za[mid]) ** 2) / np.mean(np.abs(zb[mid]) ** 2)) > 0.3
    assert abs(power_dbm0(a[2000:3000]) - power_dbm0(b[2000:3000])) < 0.1
