"""One LinearReceiver looking for several trainings (V.17 long and short, §2.5)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from numpy.typing import NDArray

from pyfax.errors import ModemError
from pyfax.modem._qam_rx import LinearReceiver
from pyfax.modem._qam_spec import ModemProfile, SymbolDecider
from pyfax.modem._v17_profile import v17_profile
from pyfax.modem.base import ModemStatus, RxResult
from pyfax.modem.v17 import V17Transmitter
from pyfax.modem.v29 import v29_profile

UP, OK, DOWN, FAILED = (ModemStatus.CARRIER_UP, ModemStatus.TRAINING_SUCCEEDED,
                        ModemStatus.CARRIER_DOWN, ModemStatus.TRAINING_FAILED)
RATE = 9600


def _bits(n: int, seed: int) -> NDArray[np.uint8]:
    return np.random.default_rng(seed).integers(0, 2, n, dtype=np.uint8)


def _burst(bits: NDArray[np.uint8], short: bool) -> NDArray[np.int16]:
    tx = V17Transmitter(RATE, short_train=short)
    tx.put_bits(bits)
    tx.end_of_data()
    out = [tx.tx(8000) for _ in range(100) if not tx.done]
    return np.concatenate([*out, np.zeros(3000, np.int16)])


def _counting(profile: ModemProfile, made: list[str], name: str) -> ModemProfile:
    """The profile, noting each decider made (one per training tried)."""
    def new_decider() -> SymbolDecider:
        made.append(name)
        return profile.new_decider()
    return dataclasses.replace(profile, new_decider=new_decider)


def _receiver(made: list[str]) -> LinearReceiver:
    long = _counting(v17_profile(RATE), made, "long")
    short = _counting(v17_profile(RATE, short=True), made, "short")
    return LinearReceiver(long, retrain=(long, short))


def _run(rx: LinearReceiver, audio: NDArray[np.int16], cuts: list[int]) -> RxResult:
    parts = [rx.rx(p) for p in np.split(audio, cuts)]
    return RxResult(bits=np.concatenate([p.bits for p in parts]),
                    events=[e for p in parts for e in p.events])


def test_long_then_short_then_long_in_one_receiver() -> None:
    a, b, c = _bits(1500, 1), _bits(2500, 2), _bits(900, 3)
    audio = np.concatenate([_burst(a, False), _burst(b, True), _burst(c, False)])
    made: list[str] = []
    res = _run(_receiver(made), audio, [])
    assert [e.status for e in res.events] == [UP, OK, DOWN] * 3
    # One training tried per burst, except the last: the short one is tried
    # first (it matches the start of the long train), fails, hands over.
    assert made == ["long", "short", "short", "long"]
    got = res.bits
    for want in (a, b, c):
        start = next(i for i in range(got.size) if np.array_equal(got[i:i + 64], want[:64]))
        assert np.array_equal(got[start:start + want.size], want)
        got = got[start + want.size:]


def test_fallback_does_not_depend_on_block_size() -> None:
    audio = np.concatenate([_burst(_bits(600, 4), False), _burst(_bits(700, 5), False)])
    whole = _run(_receiver([]), audio, [])
    assert [e.status for e in whole.events] == [UP, OK, DOWN] * 2
    rng = np.random.default_rng(6)
    for step in (333, 4001):
        cuts = np.cumsum(rng.integers(1, step, audio.size // 100))
        cut = _run(_receiver([]), audio, [int(c) for c in cuts if c < audio.size])
        assert np.array_equal(cut.bits, whole.bits)
        assert cut.events == whole.events


def test_every_candidate_failing_is_one_training_failed() -> None:
    other = V17Transmitter(14400)  # the wrong rate: neither training decodes
    other.put_bits(_bits(3000, 7))
    other.end_of_data()
    audio = np.concatenate([other.tx(100_000), np.zeros(2000, np.int16)])
    rx = LinearReceiver(v17_profile(RATE))
    rx.expect((v17_profile(RATE, short=True), v17_profile(RATE)))
    res = rx.rx(audio)
    statuses = [e.status for e in res.events]
    assert statuses.count(FAILED) == 1 and OK not in statuses and res.bits.size == 0


def test_trainings_must_share_modem_and_rate() -> None:
    with pytest.raises(ModemError):
        LinearReceiver(v17_profile(RATE), retrain=(v17_profile(14400),))
    rx = LinearReceiver(v17_profile(RATE))
    with pytest.raises(ModemError):
        rx.expect((v29_profile(9600),))
    with pytest.raises(ModemError):
        rx.expect(())
