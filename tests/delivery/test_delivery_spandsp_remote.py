"""send() to an independent fax machine: ``LoopbackBackend(remote="spandsp")``.

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
from peers import library

from pyfax import Message, send
from pyfax.billing import TariffTable
from pyfax.cli import EXIT_OK, main
from pyfax.delivery import FakeClock, JobStore, SendOptions
from pyfax.lines import G711, Gain, LoopbackBackend

pytestmark = [pytest.mark.peer, pytest.mark.slow]


@pytest.mark.parametrize("ecm", [True, False])
def test_delivered_to_spandsp_pixel_exact(tmp_path: Path, ecm: bool) -> None:
    ledger = funded_ledger(tmp_path)
    store = JobStore(tmp_path / "jobs.db")
    library("spandsp")  # skip, or fail in CI, when the peer is missing
    backend = LoopbackBackend("answer", impairments=[Gain(-10), G711("alaw")],
                              ident="+32 9 555 0199", ecm=ecm, remote="spandsp")
    msg = Message(sender="Alice <alice@example.com>", to="<3222345678@fax>",
                  subject="To spandsp", body="Delivered to an independent fax machine.\n")
    report = send(msg, account="alice", ledger=ledger, backend=backend, store=store,
                  clock=FakeClock(), options=SendOptions(ecm=ecm))
    [r] = report.recipients
    remote = backend.calls[-1].remote
    assert r.status == "delivered", [a.text for a in r.attempts]
    assert remote.completion == 0, remote.completion_text  # T30_ERR_OK
    assert r.remote_csi == "+32 9 555 0199" and r.ecm is ecm
    composed = [p.image for p in store.pages(report.message_id)]
    got = backend.calls[-1].received_pages  # read back from spandsp's TIFF
    assert len(got) == len(composed)
    for page, want in zip(got, composed, strict=True):
        assert page.shape == want.shape and np.array_equal(page, want)
    cost = TariffTable.default().cost(r.e164, r.line_time_s).price.rounded().amount
    assert r.cost == cost and ledger.balance("alice").total == Decimal("25.00") - cost


def test_demo_with_spandsp_as_the_fax_machine(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    library("spandsp")
    assert main(["demo", "--out", str(tmp_path), "--remote", "spandsp"]) == EXIT_OK
    assert "pixel for pixel: yes" in capsys.readouterr().out
