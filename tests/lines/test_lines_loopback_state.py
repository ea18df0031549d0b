"""The simulated remote reads a pyfax remote's T.30 state through the public
``Terminal.state``: it hangs up right after its CFR, not on a burst count."""

from __future__ import annotations

import numpy as np

from pyfax.lines import LoopbackBackend
from pyfax.t30 import Phase, State, Terminal


def test_reject_after_training_hangs_up_once_the_remote_is_in_phase_c() -> None:
    call = LoopbackBackend("reject_after_training", ecm=False, modems=("v29",)).dial("+1")
    remote = call.remote
    assert isinstance(remote, Terminal)
    page = np.random.default_rng(3).random((60, 1728)) < 0.02
    tx = Terminal("send", [page], ecm=False, modems=("v29",))
    heard, states = np.zeros(160, np.int16), []
    for _ in range(50 * 40):
        heard = call.exchange(tx.step(heard))
        states.append(remote.state)
        if call.remote_hung_up:
            break
    assert call.remote_hung_up
    assert states[-1] in (State.R_PAGE, State.R_ECM_BLOCK)
    assert State.R_TCF in states and remote.phase is Phase.C
    assert remote.received_pages == []
