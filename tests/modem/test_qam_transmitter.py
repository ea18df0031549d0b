"""The shared PSK/QAM transmitter (V.29, V.27ter): level, streaming, ending, misuse."""

from __future__ import annotations

import numpy as np
import pytest

from pyfax.errors import ModemError
from pyfax.modem._dsp import power_dbm0
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
