"""Shared fixtures for the modem tests: a seeded generator and line impairment chains.

A test that takes an ``impairment`` argument runs once per chain in
``IMPAIRMENTS`` (parametrised by ``pytest_generate_tests``); each chain is a
function ``(audio, rng) -> audio`` built from :mod:`pyfax.modem.channel`.
Tests may narrow the set with ``@pytest.mark.impairments("clean", "ulaw")``.
The steps shared by the tests against spandsp are in ``modem_peer_util``,
made importable here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from pyfax.modem import channel

Audio = NDArray[np.int16]
Impairment = Callable[[Audio, np.random.Generator], Audio]

SEED = 20261126

sys.path.insert(0, str(Path(__file__).parent))


def _all_together(audio: Audio, rng: np.random.Generator) -> Audio:
    line = channel.set_level_dbm0(audio, -30.0)
    line = channel.frequency_offset(line, 8.0)
    line = channel.clock_offset(line, 100.0)
    line = channel.awgn(line, 30.0, rng)
    return channel.g711_ulaw_roundtrip(line)


IMPAIRMENTS: dict[str, Impairment] = {
    "clean": lambda a, rng: a,
    "ulaw": lambda a, rng: channel.g711_ulaw_roundtrip(a),
    "alaw": lambda a, rng: channel.g711_alaw_roundtrip(a),
    "snr30": lambda a, rng: channel.awgn(a, 30.0, rng),
    "level-30": lambda a, rng: channel.set_level_dbm0(a, -30.0),
    "freq+8": lambda a, rng: channel.frequency_offset(a, 8.0),
    "freq-8": lambda a, rng: channel.frequency_offset(a, -8.0),
    "clock+100ppm": lambda a, rng: channel.clock_offset(a, 100.0),
    "clock-100ppm": lambda a, rng: channel.clock_offset(a, -100.0),
    "all": _all_together,
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "impairments(*names): limit the impairment chains")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "impairment" in metafunc.fixturenames:
        marker = metafunc.definition.get_closest_marker("impairments")
        names = list(marker.args) if marker else list(IMPAIRMENTS)
        metafunc.parametrize("impairment", [IMPAIRMENTS[n] for n in names], ids=names)


@pytest.fixture
def rng() -> np.random.Generator:
    """A generator seeded the same way in every test."""
    return np.random.default_rng(SEED)
