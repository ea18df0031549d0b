"""V.29 against spandsp, both directions, every rate, clean line."""

from __future__ import annotations

import modem_peer_util as peer
import numpy as np
import pytest

from pyfax.modem.v29 import V29Receiver, V29Transmitter

MODEM = peer.PeerModem("v29", V29Transmitter, V29Receiver)


@pytest.mark.peer
@pytest.mark.parametrize("rate", [9600, 7200, 4800])
def test_pyfax_to_spandsp(rate: int) -> None:
    peer.check_pyfax_to_spandsp(MODEM, rate)


@pytest.mark.peer
@pytest.mark.parametrize("rate", [9600, 7200, 4800])
def test_spandsp_to_pyfax(rate: int) -> None:
    peer.check_spandsp_to_pyfax(MODEM, rate)


@pytest.mark.peer
def test_spandsp_with_talker_echo_protection_tone() -> None:
    peer.check_spandsp_tep(MODEM, 9600)


@pytest.mark.peer
def test_pyfax_talker_echo_protection_tone_both_receivers() -> None:
    audio, bits = peer.pyfax_tep_burst(MODEM, 9600)
    # 200 ms of 1700 Hz carrier, then segment 1's silence.
    assert np.max(np.abs(audio[1680:1720])) < 100
    peer.check_both_receive(MODEM, 9600, audio, bits)
