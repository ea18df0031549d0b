"""send() to an independent fax machine: spandsp's terminal as the loopback remote.

The whole delivery path (addressing, composition, billing, job store, the
pyfax T.30 sender and modems) against spandsp's receiver, over a line with
10 dB of loss and G.711 A-law. What spandsp wrote to its TIFF must be the
composed pages, pixel for pixel.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from delivery.fakes_delivery import funded_ledger
from peers.spandsp_fax import SpandspFax

from pyfax import Message, send
from pyfax.billing import TariffTable
from pyfax.delivery import FakeClock, JobStore, SendOptions
from pyfax.lines import G711, Gain, LoopbackBackend
from pyfax.t4 import read_tiff

pytestmark = [pytest.mark.peer, pytest.mark.slow]


@pytest.mark.parametrize("ecm", [True, False])
def test_delivered_to_spandsp_pixel_exact(tmp_path: Path, ecm: bool) -> None:
    ledger = funded_ledger(tmp_path)
    store = JobStore(tmp_path / "jobs.db")
    remotes: list[SpandspFax] = []
    tiff = tmp_path / "spandsp-rx.tif"

    def spandsp_receiver() -> SpandspFax:
        remotes.append(SpandspFax(calling=False, rx_tiff=str(tiff), ident="+32 9 555 0199",
                                  ecm=ecm))
        return remotes[-1]

    backend = LoopbackBackend("answer", impairments=[Gain(-10), G711("alaw")],
                              remote_factory=spandsp_receiver)
    msg = Message(sender="Alice <alice@example.com>", to="<3222345678@fax>",
                  subject="To spandsp", body="Delivered to an independent fax machine.\n")
    report = send(msg, account="alice", ledger=ledger, backend=backend, store=store,
                  clock=FakeClock(), options=SendOptions(ecm=ecm))
    [r] = report.recipients
    remote = remotes[-1]
    for _ in range(200):  # let spandsp see our DCN and finish its phase E
        if remote.done:
            break
        remote.step(np.zeros(160, dtype=np.int16))
    remote.close()
    assert r.status == "delivered", [a.text for a in r.attempts]
    assert remote.completion == 0, remote.completion_text
    assert r.remote_csi == "+32 9 555 0199" and r.ecm is ecm
    composed = [p.image for p in store.pages(report.message_id)]
    got = read_tiff(tiff)
    assert len(got) == len(composed)
    for page, want in zip(got, composed, strict=True):
        assert page.image.shape == want.shape and np.array_equal(page.image, want)
    cost = TariffTable.default().cost(r.e164, r.line_time_s).price.rounded().amount
    assert r.cost == cost and ledger.balance("alice").total == Decimal("25.00") - cost
