"""V.17 receiver: loopback, streaming, retrains, and never raising on bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from modem_peer_util import transmit

from pyfax.errors import ModemError
from pyfax.modem.base import ModemStatus
from pyfax.modem.v17 import V17Receiver, V17Transmitter

UP, DOWN = ModemStatus.CARRIER_UP, ModemStatus.CARRIER_DOWN
OK, FAILED = ModemStatus.TRAINING_SUCCEEDED, ModemStatus.TRAINING_FAILED


def _burst(rate: int, bits: np.ndarray, *, short: bool = False) -> np.ndarray:
    return transmit(V17Transmitter(rate, short_train=short), bits, block=8000)


def _bits(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 2, n).astype(np.uint8)


def _gap(n: int = 4000) -> np.ndarray:
    return np.zeros(n, np.int16)


@pytest.mark.parametrize("rate", [7200, 9600, 12000, 14400])
def test_loopback_is_exact(rate: int) -> None:
    bits = _bits(5000, rate)
    res = V17Receiver(rate).rx(np.concatenate([_gap(100), _burst(rate, bits), _gap(800)]))
    assert [e.status for e in res.events] == [UP, OK, DOWN]
    assert np.array_equal(res.bits[: bits.size], bits)


def test_output_and_events_do_not_depend_on_block_size() -> None:
    bits = _bits(2500, 1)
    audio = np.concatenate([_gap(123), _burst(9600, bits), _gap(700)])
    whole = V17Receiver(9600).rx(audio)
    rng = np.random.default_rng(5)
    cuts = np.cumsum(rng.integers(1, 700, 400))
    for pieces in ([audio[i:i + 1] for i in range(audio.size)],
                   [audio[i:i + 7] for i in range(0, audio.size, 7)],
                   [audio[i:i + 160] for i in range(0, audio.size, 160)],
                   np.split(audio, cuts[cuts < audio.size])):
        rx = V17Receiver(9600)
        results = [rx.rx(p) for p in pieces]
        assert np.array_equal(np.concatenate([r.bits for r in results]), whole.bits)
        assert [e for r in results for e in r.events] == whole.events


def test_event_sample_indices_are_plausible() -> None:
    audio = np.concatenate([_gap(1000), _burst(14400, _bits(1000, 2)), _gap(2000)])
    events = V17Receiver(14400).rx(audio).events
    up, ok, down = (e.sample_index for e in events)
    assert 1000 <= up < 1040  # the power meter needs a few samples
    assert up + 10_000 < ok < up + 12_000  # after 3296 training symbols and segment 4
    assert audio.size - 2000 - 200 < down < audio.size - 2000 + 200


def test_short_train_follows_a_long_one() -> None:
    first, second = _bits(3000, 3), _bits(8000, 4)
    audio = np.concatenate([_burst(14400, first), _gap(), _burst(14400, second, short=True),
                            _gap(800)])
    res = V17Receiver(14400).rx(audio)
    assert [e.status for e in res.events] == [UP, OK, DOWN, UP, OK, DOWN]
    assert np.array_equal(res.bits[: first.size], first)
    start = next(i for i in range(first.size, res.bits.size)
                 if np.array_equal(res.bits[i:i + 64], second[:64]))
    assert np.array_equal(res.bits[start:start + second.size], second)


def test_long_train_is_recognised_when_a_short_one_was_expected() -> None:
    first, second = _bits(2000, 5), _bits(3000, 6)
    audio = np.concatenate([_burst(9600, first), _gap(), _burst(9600, second), _gap(800)])
    res = V17Receiver(9600).rx(audio)
    assert [e.status for e in res.events] == [UP, OK, DOWN, UP, OK, DOWN]
    start = next(i for i in range(first.size, res.bits.size)
                 if np.array_equal(res.bits[i:i + 64], second[:64]))
    assert np.array_equal(res.bits[start:start + second.size], second)


def test_restart_asks_for_a_long_train() -> None:
    rx = V17Receiver(7200)
    rx.rx(np.concatenate([_burst(7200, _bits(500, 7)), _gap()]))
    rx.restart(short_train=False)
    bits = _bits(1000, 8)
    res = rx.rx(np.concatenate([_burst(7200, bits), _gap(800)]))
    assert [e.status for e in res.events] == [UP, OK, DOWN]
    assert np.array_equal(res.bits[: bits.size], bits)


def test_wrong_rate_does_not_train() -> None:
    audio = np.concatenate([_burst(14400, _bits(3000, 9)), _gap(800)])
    statuses = [e.status for e in V17Receiver(7200).rx(audio).events]
    assert OK not in statuses and FAILED in statuses


@pytest.mark.parametrize("kind", ["silence", "noise", "garbage", "tone1800", "tone1100"])
def test_bad_input_gives_statuses_never_bits_or_exceptions(kind: str) -> None:
    rng = np.random.default_rng(11)
    t = np.arange(40_000) / 8000
    audio = {
        "silence": np.zeros(40_000),
        "noise": rng.standard_normal(40_000) * 3000,
        "garbage": rng.integers(-32768, 32767, 40_000),
        "tone1800": 8000 * np.sin(2 * np.pi * 1800 * t),
        "tone1100": 8000 * np.sin(2 * np.pi * 1100 * t),
    }[kind].astype(np.int16)
    res = V17Receiver(14400).rx(audio)
    statuses = [e.status for e in res.events]
    assert res.bits.size == 0
    assert OK not in statuses
    if kind != "silence":
        assert statuses[:2] == [UP, FAILED]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(-32768, 32767), min_size=0, max_size=3000),
       st.integers(1, 500))
def test_arbitrary_samples_never_raise(samples: list[int], block: int) -> None:
    rx = V17Receiver(12000)
    audio = np.asarray(samples, dtype=np.int16)
    for i in range(0, audio.size, block):
        rx.rx(audio[i:i + block])


def test_unknown_rate_is_a_modem_error() -> None:
    with pytest.raises(ModemError):
        V17Receiver(4800)
