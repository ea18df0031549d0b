"""Line impairments: levels, noise, G.711, frequency and clock offsets, echo, delay."""

from __future__ import annotations

import ctypes
import doctest
import importlib
from ctypes import POINTER, c_int, c_int16, c_uint8, c_void_p

import numpy as np
import pytest
from numpy.typing import NDArray
from peers import library

from pyfax.errors import ModemError
from pyfax.modem import channel
from pyfax.modem._dsp import dbm0_to_amplitude, power_dbm0

FS = 8000


def sine(freq_hz: float, n: int, level_dbm0: float = -10.0) -> NDArray[np.int16]:
    t = np.arange(n) / FS
    return np.rint(dbm0_to_amplitude(level_dbm0) * np.sin(2 * np.pi * freq_hz * t)).astype(np.int16)


def peak_hz(x: NDArray[np.int16]) -> float:
    spec = np.abs(np.fft.rfft(x.astype(float) * np.hanning(len(x)), 8 * len(x)))
    return float(np.argmax(spec) * FS / (8 * len(x)))


def test_gain_and_level() -> None:
    x = sine(1000, 8000)
    assert power_dbm0(x) == pytest.approx(-10.0, abs=0.01)
    assert power_dbm0(channel.gain_db(x, -6.0)) == pytest.approx(-16.0, abs=0.02)
    assert power_dbm0(channel.set_level_dbm0(x, -30.0)) == pytest.approx(-30.0, abs=0.05)
    assert channel.gain_db(x, 40.0).max() == 32767  # saturates rather than wrapping
    with pytest.raises(ModemError):
        channel.set_level_dbm0(np.zeros(10, np.int16), -10.0)


def test_awgn_snr_is_measured(rng: np.random.Generator) -> None:
    x = sine(1000, 80000)
    y = channel.awgn(x, 20.0, rng)
    noise = y.astype(float) - x
    snr = 10 * np.log10(np.mean(x.astype(float) ** 2) / np.mean(noise**2))
    assert snr == pytest.approx(20.0, abs=0.1)
    n = channel.awgn(np.zeros(80000, np.int16), None, rng, noise_dbm0=-40.0)
    assert power_dbm0(n) == pytest.approx(-40.0, abs=0.1)
    same = channel.awgn(x, 20.0, np.random.default_rng(1))
    assert np.array_equal(same, channel.awgn(x, 20.0, np.random.default_rng(1)))
    with pytest.raises(ModemError):
        channel.awgn(x, 20.0, rng, noise_dbm0=-40.0)


def test_g711_known_codewords() -> None:
    # G.711 Table 2a/2b: zero, the extremes and a mid-range value
    assert channel.ulaw_encode([0, 32767, -32768, 1000, -1000]).tolist() == [
        0xFF, 0x80, 0x00, 0xCE, 0x4E]
    assert channel.ulaw_decode([0xFF, 0x7F, 0x80, 0x00, 0xCE]).tolist() == [
        0, 0, 32124, -32124, 988]
    assert channel.alaw_encode([0, -1, 32767, -32768, 1000]).tolist() == [
        0xD5, 0x55, 0xAA, 0x2A, 0xFA]
    assert channel.alaw_decode([0xD5, 0x55, 0xAA, 0x2A, 0xFA]).tolist() == [
        8, -8, 32256, -32256, 1008]


@pytest.mark.parametrize("law", ["ulaw", "alaw"])
def test_g711_is_idempotent_monotonic_and_accurate(law: str) -> None:
    enc = getattr(channel, f"{law}_encode")
    dec = getattr(channel, f"{law}_decode")
    levels = dec(np.arange(256))
    assert np.array_equal(dec(enc(levels)), levels)  # every level is its own codeword
    ramp = np.arange(-32768, 32768, dtype=np.int64)
    out = dec(enc(ramp)).astype(np.int64)
    assert np.all(np.diff(out) >= 0)
    x = sine(1004, 8000, -10.0)
    y = getattr(channel, f"g711_{law}_roundtrip")(x)
    sqnr = 10 * np.log10(np.mean(x.astype(float) ** 2) / np.mean((y.astype(float) - x) ** 2))
    assert 35.0 < sqnr < 40.0  # G.711's SQNR at -10 dBm0 is about 38 dB


@pytest.mark.peer
@pytest.mark.parametrize("law,mode", [("alaw", 0), ("ulaw", 1)])
def test_g711_matches_spandsp(law: str, mode: int) -> None:
    lib = library("spandsp")
    lib.g711_init.restype = c_void_p
    lib.g711_init.argtypes = [c_void_p, c_int]
    lib.g711_decode.argtypes = [c_void_p, POINTER(c_int16), POINTER(c_uint8), c_int]
    lib.g711_encode.argtypes = [c_void_p, POINTER(c_uint8), POINTER(c_int16), c_int]
    lib.g711_free.argtypes = [c_void_p]
    state = lib.g711_init(None, mode)
    codes = np.arange(256, dtype=np.uint8)
    theirs = np.zeros(256, np.int16)
    lib.g711_decode(state, theirs.ctypes.data_as(POINTER(c_int16)),
                    codes.ctypes.data_as(POINTER(c_uint8)), 256)
    assert np.array_equal(getattr(channel, f"{law}_decode")(codes), theirs)
    ramp = np.arange(-32768, 32768).astype(np.int16)
    their_codes = np.zeros(ramp.size, np.uint8)
    lib.g711_encode(state, their_codes.ctypes.data_as(POINTER(c_uint8)),
                    ramp.ctypes.data_as(POINTER(c_int16)), ramp.size)
    lib.g711_free(ctypes.c_void_p(state))
    ours = getattr(channel, f"{law}_encode")(ramp)
    # identical for positive samples; for negative ones spandsp's µ-law takes
    # |x| where G.191 takes |x| - 1, which moves each decision level by one LSB
    positive = ramp >= 0
    assert np.array_equal(ours[positive], their_codes[positive])
    assert np.mean(ours == their_codes) > 0.995
    assert np.all(np.abs(ours.astype(int) - their_codes.astype(int)) <= 1)


def test_frequency_offset_moves_the_tone() -> None:
    x = sine(1000, 16000)
    assert peak_hz(channel.frequency_offset(x, 8.0)) == pytest.approx(1008.0, abs=0.2)
    assert peak_hz(channel.frequency_offset(x, -8.0)) == pytest.approx(992.0, abs=0.2)
    assert power_dbm0(channel.frequency_offset(x, 8.0)[100:-100]) == pytest.approx(-10.0, abs=0.1)


def test_clock_offset_stretches_time() -> None:
    x = sine(1000, 80000)
    y = channel.clock_offset(x, 100.0)
    assert len(y) == pytest.approx(80000 / 1.0001, abs=1)
    assert peak_hz(y) == pytest.approx(1000.1, abs=0.02)
    assert peak_hz(channel.clock_offset(x, -100.0)) == pytest.approx(999.9, abs=0.02)
    # band-limited interpolation: a zero offset reproduces the signal closely
    z = channel.clock_offset(x, 0.0)
    assert np.max(np.abs(z[50:-50].astype(int) - x[50:-50])) <= 1
    with pytest.raises(ModemError):
        channel.clock_offset(x, 50_000.0)


def test_echo_and_delay() -> None:
    impulse = np.zeros(100, np.int16)
    impulse[0] = 10000
    e = channel.echo(impulse, 5.0, -6.0)
    assert e[0] == 10000 and e[40] == round(10000 * 10 ** (-6 / 20)) and e[1:40].max() == 0
    d = channel.delay(impulse, 2.0)
    assert len(d) == 116 and d[16] == 10000 and d[:16].max() == 0
    with pytest.raises(ModemError):
        channel.delay(impulse, -1.0)


@pytest.mark.parametrize("module", ["_dsp", "channel", "hdlc"])
def test_doctests(module: str) -> None:
    mod = importlib.import_module(f"pyfax.modem.{module}")
    failed, attempted = doctest.testmod(mod)
    assert attempted > 0 and failed == 0
