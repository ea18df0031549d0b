"""Streaming line stages of pyfax.modem.channel: block-size independence, slips, wrappers."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from pyfax.errors import ModemError
from pyfax.modem import channel

FS = 8000
Stage = Callable[[NDArray[np.int16]], NDArray[np.int16]]


def tones(n: int, seed: int = 7) -> NDArray[np.int16]:
    """Two tones and some wide-band noise: enough to show any block-size dependence."""
    t = np.arange(n) / FS
    x = 6000 * np.sin(2 * np.pi * 1000 * t) + 3000 * np.sin(2 * np.pi * 2400 * t + 1.0)
    x += np.random.default_rng(seed).standard_normal(n) * 500
    return np.rint(x).astype(np.int16)


def in_blocks(stage: Stage, x: NDArray[np.int16], size: int) -> NDArray[np.int16]:
    blocks = [x[i:i + size] for i in range(0, len(x), size)]
    outs = [stage(b) for b in blocks]
    assert [len(o) for o in outs] == [len(b) for b in blocks]
    return np.concatenate(outs)


STAGES: dict[str, Callable[[], Stage]] = {
    "gain": lambda: lambda b: channel.gain_db(b, -7.5),
    "ulaw": lambda: channel.g711_ulaw_roundtrip,
    "alaw": lambda: channel.g711_alaw_roundtrip,
    "noise": lambda: channel.WhiteNoise(-40.0, np.random.default_rng(3)),
    "delay": lambda: channel.DelayLine(12.5),
    "no-delay": lambda: channel.DelayLine(0.0),
    "echo": lambda: channel.EchoPath(20.0, -12.0),
    "freq+7": lambda: channel.FrequencyShifter(7.0),
    "freq-50": lambda: channel.FrequencyShifter(-50.0, phase_rad=1.0),
    "clock+100": lambda: channel.ClockDrift(100.0),
    "clock-100": lambda: channel.ClockDrift(-100.0),
    "clock+10000": lambda: channel.ClockDrift(10_000.0),  # slips three times in 2.5 s
    "clock-10000": lambda: channel.ClockDrift(-10_000.0),  # slips once
}


@pytest.mark.parametrize("name", list(STAGES))
@pytest.mark.parametrize("size", [1, 7, 160])
def test_stage_output_does_not_depend_on_block_size(name: str, size: int) -> None:
    x = tones(20_000)
    whole = STAGES[name]()(x)
    assert whole.dtype == np.int16 and len(whole) == len(x)
    assert np.array_equal(in_blocks(STAGES[name](), x, size), whole)


def test_empty_blocks_change_nothing() -> None:
    x = tones(4000)
    for name, make in STAGES.items():
        stage = make()
        out = [stage(x[:1000]), stage(x[:0]), stage(x[1000:])]
        assert len(out[1]) == 0, name
        assert np.array_equal(np.concatenate(out), make()(x)), name


def test_whole_signal_noise_is_the_stage() -> None:
    x = tones(5000)
    got = channel.awgn(x, None, np.random.default_rng(9), noise_dbm0=-35.0)
    assert np.array_equal(got, channel.WhiteNoise(-35.0, np.random.default_rng(9))(x))
    assert not np.array_equal(got, x)


def test_echo_and_delay_stages() -> None:
    impulse = np.zeros(400, np.int16)
    impulse[[0, 200]] = 10000
    e = channel.EchoPath(5.0, -6.0)(impulse)
    assert e[40] == e[240] == round(10000 * 10 ** (-6 / 20))
    assert np.count_nonzero(e) == 4 and np.array_equal(e, channel.echo(impulse, 5.0, -6.0))
    line = channel.DelayLine(2.0)
    d = np.concatenate([line(impulse[:10]), line(impulse[10:])])
    assert np.flatnonzero(d).tolist() == [16, 216]
    assert np.array_equal(channel.delay(impulse, 2.0)[:400], d)
    for bad in (lambda: channel.DelayLine(-1.0), lambda: channel.EchoPath(-0.5, -6.0)):
        with pytest.raises(ModemError):
            bad()


def test_frequency_shifter_runs_31_samples_late_and_frequency_offset_does_not() -> None:
    n = np.arange(8000)
    x = np.rint(8000 * np.sin(2 * np.pi * 1000 * n / FS)).astype(np.int16)
    expected = 8000 * np.sin(2 * np.pi * 1008 * n / FS)  # carrier phase zero at sample 0
    err = channel.frequency_offset(x, 8.0)[200:-200] - expected[200:-200]
    assert np.max(np.abs(err)) < 0.02 * 8000  # the Hilbert FIR's ±0.09 dB ripple
    late = channel.FrequencyShifter(8.0, phase_rad=-2 * math.pi * 8 * 31 / FS)(x)
    err = late[231:-200] - expected[200:-231]
    assert np.max(np.abs(err)) < 0.02 * 8000


def lagged_positions(ppm: float, n_out: int) -> NDArray[np.float64]:
    """Where ClockDrift reads the input: 64 late, slipping by 64 to keep 16..207 of latency."""
    positions = np.empty(n_out)
    shift = 0
    for n in range(n_out):
        p = n - 64 + n * ppm * 1e-6 + shift
        if n - p < 16:
            shift -= 64
        elif n - p > 207:
            shift += 64
        positions[n] = n - 64 + n * ppm * 1e-6 + shift
    return positions


@pytest.mark.parametrize("ppm,n_slips", [(10_000.0, 3), (-10_000.0, 1), (300.0, 0)])
def test_clock_drift_reads_where_it_says_and_slips_like_an_elastic_store(
        ppm: float, n_slips: int) -> None:
    n = 20_000
    f_hz = 300.0  # low, so that interpolation error is far below the tolerance
    x = np.rint(10000 * np.sin(2 * np.pi * f_hz * np.arange(n) / FS)).astype(np.int16)
    stage = channel.ClockDrift(ppm)
    out = in_blocks(stage, x, 160)
    assert stage.slips == n_slips
    positions = lagged_positions(ppm, n)
    assert np.all((np.arange(n) - positions >= 16) & (np.arange(n) - positions <= 207))
    expected = 10000 * np.sin(2 * np.pi * f_hz * positions / FS)
    valid = positions >= 16  # past the silence the stage starts with
    assert np.max(np.abs(out[valid] - expected[valid])) <= 3
    assert len(stage.history) < 600  # history is trimmed as it goes


def test_clock_offset_is_the_stage_interpolator_without_elastic_buffer() -> None:
    x = tones(8000)
    y = channel.clock_offset(x, 0.0)
    assert np.max(np.abs(y[50:-50].astype(int) - x[50:-50])) <= 1
    drift = channel.ClockDrift(0.0)(x)
    assert np.max(np.abs(drift[64 + 50:-50].astype(int) - x[50:-64 - 50])) <= 1
    assert len(channel.clock_offset(np.zeros(0, np.int16), 100.0)) == 0
    for bad in (20_000.0, -10_001.0, math.nan):
        with pytest.raises(ModemError):
            channel.ClockDrift(bad)
        with pytest.raises(ModemError):
            channel.clock_offset(x, bad)


@settings(max_examples=25, deadline=None)
@given(sizes=st.lists(st.integers(0, 500), min_size=1, max_size=40),
       name=st.sampled_from(["clock+10000", "clock-10000", "freq-50", "echo", "noise"]))
def test_any_block_partition_gives_the_whole_signal_output(sizes: list[int], name: str) -> None:
    x = tones(16_000)  # long enough for both clock stages to slip
    whole = STAGES[name]()(x)
    stage = STAGES[name]()
    cycle = [*sizes, 1]  # empty blocks allowed; the final 1 keeps the cut moving
    outs, i, k = [], 0, 0
    while i < len(x):
        size = cycle[k % len(cycle)]
        outs.append(stage(x[i:i + size]))
        i, k = i + size, k + 1
    assert np.array_equal(np.concatenate(outs), whole)
