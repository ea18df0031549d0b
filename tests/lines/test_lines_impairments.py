"""Line impairment specs: thin specs over pyfax.modem.channel's streaming stages."""

from __future__ import annotations

import numpy as np
import pytest

from pyfax.errors import LineError
from pyfax.lines import G711, ClockOffset, Delay, Echo, FrequencyOffset, Gain, Noise
from pyfax.lines.impairments import chain
from pyfax.modem import channel


def _tone(hz: float, n: int, amp: float = 8000.0) -> np.ndarray:
    return (amp * np.sin(2 * np.pi * hz * np.arange(n) / 8000)).astype(np.int16)


def _blocks(x: np.ndarray, sizes: list[int]) -> list[np.ndarray]:
    out, i, k = [], 0, 0
    while i < len(x):
        n = sizes[k % len(sizes)]
        out.append(x[i:i + n])
        i, k = i + n, k + 1
    return out


def test_stateless_stages_match_the_channel_functions() -> None:
    x = _tone(1000, 4000)
    for imp, ref in [(G711("ulaw"), channel.g711_ulaw_roundtrip(x)),
                     (G711("alaw"), channel.g711_alaw_roundtrip(x)),
                     (Gain(-10), channel.gain_db(x, -10))]:
        stage = imp.stage()
        out = np.concatenate([stage(b) for b in _blocks(x, [160, 7, 333])])
        assert np.array_equal(out, ref)
    with pytest.raises(LineError):
        G711("mulaw")


def test_specs_build_the_channel_stages() -> None:
    x = _tone(1200, 3000)
    pairs = [(Delay(12.5), channel.DelayLine(12.5)), (Echo(20, -12), channel.EchoPath(20, -12)),
             (FrequencyOffset(7.0), channel.FrequencyShifter(7.0)),
             (ClockOffset(100), channel.ClockDrift(100)),
             (Noise(-40, seed=3), channel.WhiteNoise(-40, np.random.default_rng(3))),
             (Noise(snr_db=30, signal_dbm0=-24, seed=4),
              channel.WhiteNoise(-54, np.random.default_rng(4)))]
    for spec, stage in pairs:
        made = spec.stage()
        assert type(made) is type(stage)
        assert np.array_equal(made(x), stage(x)), spec


@pytest.mark.parametrize("imp", [Delay(12.5), Echo(20, -12), FrequencyOffset(7.0),
                                 ClockOffset(100), ClockOffset(-1000), Noise(-40, seed=3)])
def test_stateful_stages_do_not_depend_on_block_size(imp) -> None:
    x = _tone(1200, 8000)
    whole = imp.stage()(x)
    assert len(whole) == len(x) and np.std(whole.astype(float) - x) > 50
    for sizes in ([160, 1, 77, 400], [1], [7], [160]):
        stage = imp.stage()
        cut = np.concatenate([stage(b) for b in _blocks(x, sizes)])
        assert np.array_equal(whole, cut), sizes


def test_a_whole_line_does_not_depend_on_block_size() -> None:
    line = [Gain(-10), Delay(60), FrequencyOffset(5), ClockOffset(50), G711("alaw"),
            Noise(-55, seed=2), Echo(8, -25)]
    x = _tone(1700, 6000)
    whole = chain(line)(x)
    for size in (1, 7, 160):
        run = chain(line)
        assert np.array_equal(np.concatenate([run(b) for b in _blocks(x, [size])]), whole)


def test_bad_specs_are_line_errors_when_built() -> None:
    nan = float("nan")
    bad: list[tuple[type, tuple[float, ...]]] = [
        (Delay, (-1,)), (Delay, (nan,)), (Echo, (0, -20)), (Echo, (-5, -20)), (Echo, (nan, -20)),
        (ClockOffset, (1500,)), (ClockOffset, (-1001,)), (ClockOffset, (nan,))]
    for kind, args in bad:
        with pytest.raises(LineError):
            kind(*args)


def test_delay_and_frequency_offset_do_what_they_say() -> None:
    x = _tone(1000, 8000)
    delayed = Delay(10).stage()(x)
    assert np.array_equal(delayed[80:], x[:-80]) and not np.any(delayed[:80])
    shifted = FrequencyOffset(50).stage()(x).astype(float)[1000:]
    spectrum = np.abs(np.fft.rfft(shifted * np.hanning(len(shifted))))
    peak_hz = np.argmax(spectrum) * 8000 / len(shifted)
    assert abs(peak_hz - 1050) < 3
    slow = chain([ClockOffset(1000)])(x)  # 1000 ppm: 8 samples fewer per second
    assert np.argmax(np.abs(np.fft.rfft(slow[:7900] * np.hanning(7900)))) * 8000 / 7900 == \
        pytest.approx(1001, abs=2)


def test_clock_offset_slips_like_an_elastic_buffer() -> None:
    for ppm, n_slips in ((100.0, 2), (-100.0, 1)):
        stage = ClockOffset(ppm).stage()
        x = _tone(1000, 8000 * 20)  # 20 s: 16 samples of drift each way
        out = np.concatenate([stage(b) for b in _blocks(x, [160])])
        assert len(out) == len(x)
        assert stage.slips == 0  # 16 samples fit the elastic buffer
        tail = out[-8000:].astype(float)
        peak = np.argmax(np.abs(np.fft.rfft(tail * np.hanning(8000)))) * 8000 / 8000
        assert peak == pytest.approx(1000, abs=1.5)
        stage = ClockOffset(10 * ppm).stage()
        for b in _blocks(x, [160]):
            stage(b)
        # 160 samples of drift; slips of 64 keep the latency within 16..207 samples
        assert stage.slips == n_slips
