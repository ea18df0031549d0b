"""V.27ter against spandsp, both directions, every rate, clean line."""

from __future__ import annotations

import modem_peer_util as peer
import pytest

from pyfax.modem.v27ter import V27terReceiver, V27terTransmitter

MODEM = peer.PeerModem("v27ter", V27terTransmitter, V27terReceiver)


@pytest.mark.peer
@pytest.mark.parametrize("rate", [4800, 2400])
def test_pyfax_to_spandsp(rate: int) -> None:
    peer.check_pyfax_to_spandsp(MODEM, rate)


@pytest.mark.peer
@pytest.mark.parametrize("rate", [4800, 2400])
def test_spandsp_to_pyfax(rate: int) -> None:
    peer.check_spandsp_to_pyfax(MODEM, rate)


@pytest.mark.peer
@pytest.mark.parametrize("rate", [4800, 2400])
def test_spandsp_with_talker_echo_protection_tone(rate: int) -> None:
    peer.check_spandsp_tep(MODEM, rate)


@pytest.mark.peer
@pytest.mark.parametrize("rate", [4800, 2400])
def test_pyfax_talker_echo_protection_tone_both_receivers(rate: int) -> None:
    audio, bits = peer.pyfax_tep_burst(MODEM, rate)  # 200 ms of 1800 Hz carrier first
    peer.check_both_receive(MODEM, rate, audio, bits)
