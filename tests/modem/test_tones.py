"""CNG and CED: generators, the detector under noise and speech, and spandsp both ways."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray
from peers.spandsp_tones import (
    MODEM_CONNECT_TONES_ANS,
    MODEM_CONNECT_TONES_FAX_CED_OR_PREAMBLE,
    MODEM_CONNECT_TONES_FAX_CNG,
    SpandspToneRx,
    spandsp_tone_audio,
)
from scipy import signal

from pyfax.errors import ModemError
from pyfax.modem import channel
from pyfax.modem._dsp import power_dbm0
from pyfax.modem.tones import CedGenerator, CngGenerator, FaxTone, ToneDetector, ToneEvent

Audio = NDArray[np.int16]
SILENCE = np.zeros(4000, np.int16)


def detect(audio: Audio, *, block: int | None = None) -> list[ToneEvent]:
    d = ToneDetector()
    step = block or max(len(audio), 1)
    return [e for i in range(0, len(audio), step) for e in d.rx(audio[i:i + step])]


def speech_band_noise(n: int, level_dbm0: float, rng: np.random.Generator) -> Audio:
    b, a = signal.butter(6, [300, 3400], btype="bandpass", fs=8000)
    noise = signal.lfilter(b, a, rng.standard_normal(n))
    return channel.set_level_dbm0(noise * 1000, level_dbm0)


def speech_like(n: int, rng: np.random.Generator) -> Audio:
    """Voiced and unvoiced 100 ms segments through moving formants, with syllabic AM."""
    out = np.zeros(n)
    seg = 800
    for start in range(0, n, seg):
        if rng.random() < 0.6:  # voiced: a glottal pulse train at 90-250 Hz
            excitation = np.zeros(seg)
            excitation[:: int(8000 / rng.uniform(90, 250))] = 1.0
        else:
            excitation = rng.standard_normal(seg) * 0.1
        y = excitation
        for f_hz, bw_hz in ((rng.uniform(300, 900), 80), (rng.uniform(900, 2500), 120),
                            (rng.uniform(2500, 3400), 200)):
            r = np.exp(-np.pi * bw_hz / 8000)
            y = signal.lfilter([1.0], [1.0, -2 * r * np.cos(2 * np.pi * f_hz / 8000), r * r], y)
        out[start:start + seg] = y[: n - start]
    out *= 0.6 + 0.4 * np.sin(2 * np.pi * 4 * np.arange(n) / 8000)
    return channel.set_level_dbm0(out, -15.0)


def test_cng_cadence_frequency_and_level() -> None:
    cng = CngGenerator(cycles=2).tx(100_000)
    assert len(cng) == 2 * 28000
    on = np.flatnonzero(cng != 0)
    assert on[0] <= 1 and on[-1] == 28000 + 3999 and np.all(cng[4000:28000] == 0)
    assert np.argmax(np.abs(np.fft.rfft(cng[:4000]))) == 1100 * 4000 // 8000
    assert power_dbm0(cng[:4000]) == pytest.approx(-10.0, abs=0.05)
    endless = CngGenerator()
    assert len(endless.tx(80_000)) == 80_000 and not endless.done
    endless.stop()
    assert endless.done and len(endless.tx(10)) == 0


def test_ced_duration_and_blocks() -> None:
    ced = CedGenerator(duration_s=3.0, level_dbm0=-12.0)
    whole = ced.tx(10**6)
    assert len(whole) == 24000 and ced.done
    assert np.argmax(np.abs(np.fft.rfft(whole[:8000]))) == 2100
    assert power_dbm0(whole) == pytest.approx(-12.0, abs=0.05)
    parts = CedGenerator(duration_s=3.0, level_dbm0=-12.0)
    assert np.array_equal(np.concatenate([parts.tx(7) for _ in range(3430)]), whole)
    for bad in (2.5, 4.1):
        with pytest.raises(ModemError):
            CedGenerator(duration_s=bad)


def test_detects_clean_tones_with_timing() -> None:
    events = detect(np.concatenate([SILENCE, CngGenerator(cycles=2).tx(10**6)]))
    assert [(e.tone, e.present) for e in events] == [(FaxTone.CNG, True), (FaxTone.CNG, False)] * 2
    assert 4000 + 2400 <= events[0].sample_index <= 4000 + 2500  # after min_on_s
    assert 8000 <= events[1].sample_index <= 8000 + 500  # after the hangover
    events = detect(np.concatenate([SILENCE, CedGenerator().tx(10**6), SILENCE]))
    assert [(e.tone, e.present) for e in events] == [(FaxTone.CED, True), (FaxTone.CED, False)]


@pytest.mark.parametrize("block", [1, 7, 160])
def test_detector_block_size_independent(block: int, rng: np.random.Generator) -> None:
    audio = np.concatenate([SILENCE, CngGenerator(cycles=1).tx(6000), SILENCE,
                            CedGenerator().tx(10**6)])
    audio = channel.awgn(audio, 10.0, rng)
    n = 12000 if block == 1 else len(audio)
    assert detect(audio[:n], block=block) == detect(audio[:n])


@pytest.mark.parametrize("seed", range(3))
def test_tones_hold_up_in_speech_band_noise_at_10db(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for gen, tone, offset_hz in ((CngGenerator(cycles=1), FaxTone.CNG, 30.0),
                                 (CedGenerator(), FaxTone.CED, 12.0)):
        clean = np.concatenate([SILENCE, gen.tx(30_000), SILENCE])
        for shift in (-offset_hz, 0.0, offset_hz):
            x = channel.frequency_offset(clean, shift).astype(float)
            noise = speech_band_noise(len(x), power_dbm0(x[4000:8000]) - 10.0, rng)
            events = detect(channel.g711_alaw_roundtrip(x + noise))
            assert [(e.tone, e.present) for e in events] == [(tone, True), (tone, False)], shift


@pytest.mark.parametrize("seed", range(4))
def test_speech_and_noise_alone_never_trigger(seed: int) -> None:
    rng = np.random.default_rng(seed)
    assert detect(speech_like(80_000, rng)) == []
    assert detect(speech_band_noise(40_000, -10.0, rng)) == []


def test_quiet_tones_below_cutoff_are_ignored() -> None:
    assert detect(CedGenerator(level_dbm0=-50.0).tx(10**6)) == []
    with pytest.raises(ModemError):
        ToneDetector(min_on_s=0)


@pytest.mark.peer
def test_spandsp_detects_our_tones() -> None:
    rx = SpandspToneRx(MODEM_CONNECT_TONES_FAX_CNG)
    rx.rx(np.concatenate([SILENCE, CngGenerator(cycles=2).tx(10**6)]))
    assert [code for code, _ in rx.reports] == [MODEM_CONNECT_TONES_FAX_CNG, 0] * 2
    for kind in (MODEM_CONNECT_TONES_ANS, MODEM_CONNECT_TONES_FAX_CED_OR_PREAMBLE):
        rx = SpandspToneRx(kind)
        rx.rx(np.concatenate([SILENCE, CedGenerator().tx(10**6), SILENCE]))
        assert [code for code, _ in rx.reports] == [MODEM_CONNECT_TONES_ANS, 0]


@pytest.mark.peer
def test_we_detect_spandsp_tones(rng: np.random.Generator) -> None:
    cng = np.concatenate([SILENCE, spandsp_tone_audio(MODEM_CONNECT_TONES_FAX_CNG, 64_000)])
    events = detect(channel.awgn(cng, 20.0, rng))
    assert [(e.tone, e.present) for e in events][:4] == [(FaxTone.CNG, True),
                                                         (FaxTone.CNG, False)] * 2
    ced = spandsp_tone_audio(MODEM_CONNECT_TONES_ANS, 40_000)
    events = detect(np.concatenate([SILENCE, ced, SILENCE]))
    assert [(e.tone, e.present) for e in events] == [(FaxTone.CED, True), (FaxTone.CED, False)]


@pytest.mark.parametrize("formants", [((700, 80), (1100, 60), (2500, 150)),
                                      ((500, 80), (2100, 60), (3000, 150)),
                                      ((550, 80), (1100, 50), (2400, 150))])
def test_sustained_vowel_on_a_tone_harmonic_does_not_trigger(
        formants: tuple[tuple[float, float], ...]) -> None:
    # two seconds of a 100 Hz vowel whose formant sits on 1100 or 2100 Hz
    excitation = np.zeros(16000)
    excitation[::80] = 1.0
    y = excitation
    for f_hz, bw_hz in formants:
        r = np.exp(-np.pi * bw_hz / 8000)
        y = signal.lfilter([1.0], [1.0, -2 * r * np.cos(2 * np.pi * f_hz / 8000), r * r], y)
    assert detect(channel.set_level_dbm0(y, -12.0)) == []
