"""The shared PSK/QAM receiver: streaming, robustness, status events (V.29, V.27ter)."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from numpy.typing import NDArray

from pyfax.errors import ModemError
from pyfax.modem.base import ModemStatus, RxResult
from pyfax.modem.v27ter import V27terReceiver, V27terTransmitter
from pyfax.modem.v29 import V29Receiver, V29Transmitter

N_BITS = 3000
CASES = [("v29", 9600), ("v29", 7200), ("v27ter", 4800), ("v27ter", 2400)]


def _classes(modem: str) -> tuple[type, type]:
    if modem == "v29":
        return V29Transmitter, V29Receiver
    return V27terTransmitter, V27terReceiver


@cache
def _bits(rate: int) -> NDArray[np.uint8]:
    return np.random.default_rng(rate).integers(0, 2, N_BITS, dtype=np.uint8)


@cache
def _audio(modem: str, rate: int) -> NDArray[np.int16]:
    tx_cls, _ = _classes(modem)
    tx = tx_cls(rate)
    tx.put_bits(_bits(rate))
    tx.end_of_data()
    out = [tx.tx(1000) for _ in range(200) if not tx.done]
    return np.concatenate([np.zeros(333, np.int16), *out, np.zeros(1200, np.int16)])


def _run(modem: str, rate: int, audio: NDArray[np.int16], block: int) -> RxResult:
    rx = _classes(modem)[1](rate)
    bits, events = [], []
    for i in range(0, len(audio), block):
        r = rx.rx(audio[i:i + block])
        bits.append(r.bits)
        events.extend(r.events)
    return RxResult(bits=np.concatenate(bits), events=events)


@pytest.mark.parametrize(("modem", "rate"), CASES)
def test_round_trip_and_events(modem: str, rate: int) -> None:
    res = _run(modem, rate, _audio(modem, rate), 160)
    assert np.array_equal(res.bits[:N_BITS], _bits(rate))
    assert [e.status for e in res.events] == [
        ModemStatus.CARRIER_UP, ModemStatus.TRAINING_SUCCEEDED, ModemStatus.CARRIER_DOWN]
    up, trained, down = (e.sample_index for e in res.events)
    assert 333 <= up < trained < down <= len(_audio(modem, rate))


@pytest.mark.slow
@pytest.mark.parametrize(("modem", "rate"), [("v29", 9600), ("v27ter", 4800)])
def test_block_size_independent(modem: str, rate: int) -> None:
    audio = _audio(modem, rate)
    whole = _run(modem, rate, audio, len(audio))
    for block in (1, 7, 160):
        cut = _run(modem, rate, audio, block)
        assert np.array_equal(cut.bits, whole.bits), block
        assert cut.events == whole.events, block


@pytest.mark.parametrize(("modem", "rate"), [("v29", 9600), ("v27ter", 4800)])
def test_silence_gives_nothing(modem: str, rate: int) -> None:
    res = _classes(modem)[1](rate).rx(np.zeros(16000, np.int16))
    assert res.events == [] and len(res.bits) == 0


@pytest.mark.parametrize(("modem", "rate"), [("v29", 9600), ("v27ter", 4800)])
@pytest.mark.parametrize("kind", ["noise", "full-scale", "tone", "clipped-square"])
def test_garbage_fails_training_never_raises(modem: str, rate: int, kind: str) -> None:
    rng = np.random.default_rng(9)
    n = 24000
    if kind == "noise":
        audio = (rng.standard_normal(n) * 3000).astype(np.int16)
    elif kind == "full-scale":
        audio = rng.integers(-32768, 32768, n).astype(np.int16)
    elif kind == "tone":
        audio = (8000 * np.sin(2 * np.pi * 1700 * np.arange(n) / 8000)).astype(np.int16)
    else:
        audio = np.where(np.sin(2 * np.pi * 1200 * np.arange(n) / 8000) > 0, 32767,
                         -32768).astype(np.int16)
    audio = np.concatenate([audio, np.zeros(2000, np.int16)])
    res = _run(modem, rate, audio, 500)
    statuses = [e.status for e in res.events]
    assert ModemStatus.TRAINING_SUCCEEDED not in statuses
    assert ModemStatus.TRAINING_FAILED in statuses
    assert statuses[0] is ModemStatus.CARRIER_UP
    assert statuses[-1] is ModemStatus.CARRIER_DOWN
    assert len(res.bits) == 0


def test_trains_after_noise_burst() -> None:
    # Garbage first (training fails), then a real V.29 burst: the receiver re-arms.
    rng = np.random.default_rng(3)
    noise = (rng.standard_normal(6000) * 3000).astype(np.int16)
    audio = np.concatenate([noise, np.zeros(800, np.int16), _audio("v29", 9600)])
    res = _run("v29", 9600, audio, 160)
    assert np.array_equal(res.bits[:N_BITS], _bits(9600))
    assert ModemStatus.TRAINING_FAILED in [e.status for e in res.events]


def test_quiet_signal_below_cutoff_is_ignored() -> None:
    audio = (_audio("v29", 9600).astype(np.float64) * 10 ** (-40 / 20)).astype(np.int16)
    res = V29Receiver(9600).rx(audio)  # about -50 dBm0, cutoff -43 dBm0
    assert res.events == []
    res = V29Receiver(9600, cutoff_dbm0=-55.0).rx(audio)
    assert np.array_equal(res.bits[:N_BITS], _bits(9600))


def test_two_bursts_in_a_row() -> None:
    audio = np.concatenate([_audio("v27ter", 4800), _audio("v27ter", 4800)])
    res = _run("v27ter", 4800, audio, 160)
    assert [e.status for e in res.events].count(ModemStatus.TRAINING_SUCCEEDED) == 2
    first_len = len(_run("v27ter", 4800, _audio("v27ter", 4800), 160).bits)
    assert np.array_equal(res.bits[first_len:first_len + N_BITS], _bits(4800))


def test_bad_arguments_raise_modem_error() -> None:
    with pytest.raises(ModemError):
        V29Receiver(14400)
    with pytest.raises(ModemError):
        V27terReceiver(9600)
    with pytest.raises(ModemError):
        V29Receiver(9600).rx(np.zeros((2, 2), np.int16))
    with pytest.raises(ModemError):
        V29Receiver(9600, cutoff_dbm0=20.0)


@pytest.mark.parametrize("seed", range(4))
def test_random_mixtures_never_raise(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    real = _audio("v29", 9600)
    pieces = []
    for _ in range(8):
        kind = rng.integers(0, 5)
        n = int(rng.integers(1, 4000))
        if kind == 0:
            pieces.append(np.zeros(n, np.int16))
        elif kind == 1:
            pieces.append((rng.standard_normal(n) * rng.uniform(10, 20000)).astype(np.int16))
        elif kind == 2:
            f = rng.uniform(300, 3400)
            pieces.append((9000 * np.sin(2 * np.pi * f * np.arange(n) / 8000)).astype(np.int16))
        elif kind == 3:
            start = int(rng.integers(0, len(real) - n))
            pieces.append(real[start:start + n])
        else:
            pieces.append(rng.integers(-32768, 32768, n).astype(np.int16))
    audio = np.concatenate(pieces)
    for modem, rate in CASES:
        rx = _classes(modem)[1](rate)
        pos = 0
        while pos < len(audio):
            step = int(rng.integers(1, 3000))
            res = rx.rx(audio[pos:pos + step])
            assert res.bits.dtype == np.uint8
            assert all(e.sample_index <= pos + step for e in res.events)
            pos += step


@pytest.mark.parametrize(("modem", "rate"), [("v29", 9600), ("v27ter", 4800)])
def test_equaliser_handles_line_distortion(modem: str, rate: int) -> None:
    # A 6th-order Butterworth 300-3400 Hz band-pass (strong group-delay
    # distortion at the band edges) and a 2 ms echo 12 dB down.
    from scipy import signal

    from pyfax.modem import channel

    b, a = signal.butter(6, [300, 3400], btype="bandpass", fs=8000)
    shaped = signal.lfilter(b, a, _audio(modem, rate).astype(np.float64))
    line = channel.echo(np.clip(np.rint(shaped), -32768, 32767).astype(np.int16), 2.0, -12.0)
    res = _classes(modem)[1](rate).rx(line)
    assert np.array_equal(res.bits[:N_BITS], _bits(rate))


def test_block_size_independent_through_a_failed_training() -> None:
    rng = np.random.default_rng(8)
    noise = (rng.standard_normal(9000) * 3000).astype(np.int16)
    audio = np.concatenate([noise, _audio("v29", 9600)])
    whole = _run("v29", 9600, audio, len(audio))
    assert ModemStatus.TRAINING_FAILED in [e.status for e in whole.events]
    for block in (7, 160):
        cut = _run("v29", 9600, audio, block)
        assert cut.events == whole.events, block
        assert np.array_equal(cut.bits, whole.bits), block
