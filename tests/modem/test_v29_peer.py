"""V.29 against spandsp, both directions, every rate, clean line."""

from __future__ import annotations

import numpy as np
import pytest
from modem_peer_util import (
    PeerModem,
    check_both_receive,
    check_pyfax_to_spandsp,
    check_spandsp_tep,
    check_spandsp_to_pyfax,
    pyfax_tep_burst,
)

from pyfax.modem.v29 import V29Receiver, V29Transmitter

MODEM = PeerModem("v29", V29Transmitter, V29Receiver)


@pytest.mark.peer
@pytest.mark.parametrize("rate", [9600, 7200, 4800])
def test_pyfax_to_spandsp(rate: int) -> None:
    check_pyfax_to_spandsp(MODEM, rate)


@pytest.mark.peer
@pytest.mark.parametrize("rate", [9600, 7200, 4800])
def test_spandsp_to_pyfax(rate: int) -> None:
    check_spandsp_to_pyfax(MODEM, rate)


@pytest.mark.peer
def test_spandsp_with_talker_echo_protection_tone() -> None:
    check_spandsp_tep(MODEM, 9600)


@pytest.mark.peer
def test_pyfax_talker_echo_protection_tone_both_receivers() -> None:
    audio, bits = pyfax_tep_burst(MODEM, 9600)
    # 200 ms of 1700 Hz carrier, then segment 1's silence.
    assert np.max(np.abs(audio[1680:1720])) < 100
    check_both_receive(MODEM, 9600, audio, bits)
