"""The proof of issue 7 over real audio: every layer is the real one.

A message goes through addressing, composition, billing, the job store, the
T.30 terminal and the modems, as audio over the loopback line to a pyfax
receiver. Calls are expensive, so messages are kept short (two pages).
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from delivery.fakes_delivery import funded_ledger

from pyfax import Message, send
from pyfax.billing import EntryKind, Ledger, TariffTable
from pyfax.delivery import (
    FakeClock,
    JobState,
    JobStore,
    ListNotifier,
    RetryPolicy,
    SendOptions,
)
from pyfax.lines import (
    G711,
    ClockOffset,
    Delay,
    FrequencyOffset,
    Gain,
    LoopbackBackend,
    Noise,
)
from pyfax.lines.loopback import save_pages

pytestmark = pytest.mark.slow


def _one_page_pdf() -> bytes:
    from fpdf import FPDF  # test extra

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=16)
    pdf.cell(0, 12, "Invoice 42 - total EUR 1245.00")
    pdf.set_line_width(1.0)
    pdf.rect(20, 40, 170, 60)
    pdf.line(20, 40, 190, 100)
    return bytes(pdf.output())


def _message() -> Message:
    return Message(sender="Alice <alice@example.com>",
                   to="Acme <3222345678@fax>, bob@example.com", cc="<33142685300@fax>",
                   subject="Invoice 42", body="Dear Acme,\nthe invoice is attached.\n",
                   attachments=[("invoice.pdf", _one_page_pdf())])


def _charges(ledger: Ledger) -> list[Decimal]:
    return [e.amount for e in ledger.entries("alice") if e.kind is EntryKind.CHARGE]


def test_two_fax_recipients_and_an_email_delivered_pixel_exact(tmp_path: Path) -> None:
    ledger = funded_ledger(tmp_path)
    store = JobStore(tmp_path / "jobs.db")
    backend = LoopbackBackend("answer", out_dir=tmp_path / "received")
    notifier = ListNotifier()
    report = send(_message(), account="alice", ledger=ledger, backend=backend, store=store,
                  notifier=notifier, retry=RetryPolicy(attempts=3, delays_s=(120, 300)),
                  clock=FakeClock())
    assert report.email == ["bob@example.com"]
    assert [r.e164 for r in report.recipients] == ["+3222345678", "+33142685300"]
    assert [r.status for r in report.recipients] == ["delivered", "delivered"]
    composed = [p.image for p in store.pages(report.message_id)]
    assert len(composed) == 2  # body, then the PDF page
    assert len(backend.calls) == 2
    for call in backend.calls:
        got = call.received_pages
        assert len(got) == len(composed)
        for a, b in zip(got, composed, strict=True):
            assert a.shape == b.shape and np.array_equal(a, b)
        assert (call.out_dir / "received.tif").exists()
    tariffs = TariffTable.default()
    for r in report.recipients:
        [attempt] = r.attempts
        assert attempt.code == "OK" and r.pages == 2 and r.line_time_s > 10
        assert r.cost == tariffs.cost(r.e164, r.line_time_s).price.rounded().amount
        assert r.remote_csi == "+32 2 555 0100" and r.bit_rate > 0
    assert sorted(_charges(ledger)) == sorted(r.cost for r in report.recipients)
    bal = ledger.balance("alice")
    assert bal.total == Decimal("25.00") - report.total_cost and bal.held == 0
    assert notifier.notices == []


def test_delivered_pixel_exact_over_an_impaired_line(tmp_path: Path) -> None:
    """10 dB loss, 60 ms delay, 5 Hz carrier offset, 50 ppm clock, A-law, noise at -55 dBm0."""
    line = [Gain(-10), Delay(60), FrequencyOffset(5), ClockOffset(50), G711("alaw"),
            Noise(-55, seed=2)]
    ledger = funded_ledger(tmp_path)
    store = JobStore(tmp_path / "jobs.db")
    backend = LoopbackBackend("answer", impairments=line)
    msg = Message(sender="Alice <alice@example.com>", to="<3222345678@fax>",
                  subject="Impaired", body="Over a long, noisy, drifting line.\n")
    report = send(msg, account="alice", ledger=ledger, backend=backend, store=store,
                  clock=FakeClock())
    [r] = report.recipients
    assert r.status == "delivered", [a.text for a in r.attempts]
    composed = [p.image for p in store.pages(report.message_id)]
    got = backend.calls[-1].received_pages
    assert len(got) == len(composed)
    assert all(np.array_equal(a, b) for a, b in zip(got, composed, strict=True))


@pytest.mark.parametrize("behaviour", ["drop_mid_page", "out_of_paper"])
def test_remote_that_drops_the_line_is_retried_and_never_charged(tmp_path: Path,
                                                                 behaviour: str) -> None:
    ledger = funded_ledger(tmp_path)
    backend = LoopbackBackend(behaviour)
    notifier = ListNotifier()
    msg = Message(sender="Alice <alice@example.com>", to="<3222345678@fax>",
                  subject="Invoice 42", body="A one-page fax.\n")
    report = send(msg, account="alice", ledger=ledger, backend=backend, notifier=notifier,
                  retry=RetryPolicy(attempts=2, delays_s=(60,)), clock=FakeClock())
    [r] = report.recipients
    assert r.status == "failed" and len(r.attempts) == 2
    # the backend says the far end hung up: the attempt ends at once (no T4 repeats into
    # a dead line) and says so
    assert all(a.retryable and a.code == "LINE_DROPPED" for a in r.attempts)
    assert all("hung up" in a.text and "0 page(s) confirmed" in a.text for a in r.attempts)
    assert all(c.remote_hung_up for c in backend.calls)
    assert _charges(ledger) == [] and ledger.balance("alice").total == Decimal("25.00")
    assert len(notifier.notices) == 1 and "+3222345678" in notifier.notices[0].text


_WORKER = ("import sys; from pyfax.cli import main; sys.exit(main())",)


def _worker(tmp_path: Path, log: io.TextIOBase | int,
            backend: str = "loopback") -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-c", *_WORKER, "worker", "--store", str(tmp_path / "jobs.db"),
            "--ledger", str(tmp_path / "credit.db"), "--backend", backend,
            "--out", str(tmp_path / "received"), "--lease", "2", "--poll", "0.2",
            "--until-idle"]
    return subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def test_worker_killed_mid_call_delivers_once_and_charges_once(tmp_path: Path) -> None:
    ledger = funded_ledger(tmp_path)
    store = JobStore(tmp_path / "jobs.db")
    msg = Message(sender="Alice <alice@example.com>", to="<3222345678@fax>",
                  subject="Invoice 42", body="Killed mid-call, delivered once.\n")
    # V.27ter only (about 30 s of line), and the first worker's line runs at most 8 times
    # faster than real time: its page cannot be through in under 3 s of wall time, so
    # a kill 0.5 s into the call lands in phase B, however fast or slow the machine is.
    report = send(msg, account="alice", ledger=ledger, backend=LoopbackBackend(), store=store,
                  wait=False, options=SendOptions(modems=("v27ter",)))
    [job] = store.jobs(report.message_id)
    first = _worker(tmp_path, subprocess.DEVNULL, backend="loopback:answer:speed=8")
    deadline = time.monotonic() + 120
    call_dir = tmp_path / "received" / "call-1"
    while not (ledger.open_holds("alice") and call_dir.exists()):  # held, and the remote answered
        assert first.poll() is None and time.monotonic() < deadline, "worker never dialled"
        time.sleep(0.01)
    time.sleep(0.5)
    first.send_signal(signal.SIGKILL)
    first.wait(30)
    assert not list(call_dir.iterdir()), "the kill came too late: the remote has a page"
    assert store.job(job.id).state is JobState.DIALLING
    assert len(ledger.open_holds("alice")) == 1  # the dead call's hold
    second = _worker(tmp_path, subprocess.DEVNULL)
    assert second.wait(180) == 0
    done = store.job(job.id)
    attempts = store.attempts(job.id)
    assert done.state is JobState.DONE
    assert [a.code for a in attempts] == ["INTERRUPTED", "OK"]
    charges = _charges(ledger)
    cost = TariffTable.default().cost(job.e164, attempts[1].line_time_s).price.rounded().amount
    assert charges == [cost] and attempts[1].cost == cost
    assert ledger.open_holds("alice") == []
    assert ledger.balance("alice").total == Decimal("25.00") - cost
    received = sorted((tmp_path / "received").rglob("page-*.png"))
    composed = save_pages([p.image for p in store.pages(report.message_id)],
                          tmp_path / "composed")
    assert len(received) == len([c for c in composed if c.suffix == ".png"]) == 1


def test_line_answered_by_no_fax_machine_fails_with_t1(tmp_path: Path) -> None:
    ledger = funded_ledger(tmp_path)
    notifier = ListNotifier()
    msg = Message(sender="Alice <alice@example.com>", to="<3222345678@fax>", body="x")
    report = send(msg, account="alice", ledger=ledger, backend=LoopbackBackend("silent"),
                  notifier=notifier, retry=RetryPolicy(attempts=1), clock=FakeClock())
    [r] = report.recipients
    [a] = r.attempts
    assert r.status == "failed" and a.retryable and "T1" in a.text
    assert 35 <= a.line_time_s <= 40  # T.30 clause 5.4.3.3: T1 is 35 s +- 5 s
    assert _charges(ledger) == [] and len(notifier.notices) == 1


def test_two_workers_share_one_store_and_send_each_fax_once(tmp_path: Path) -> None:
    ledger = funded_ledger(tmp_path, "60.00")
    store = JobStore(tmp_path / "jobs.db")
    numbers = ["<3222345678@fax>", "<33142685300@fax>", "<31201234567@fax>",
               "<4930123456@fax>"]
    msg = Message(sender="Alice <alice@example.com>", to=", ".join(numbers),
                  subject="Shared", body="Four recipients, two workers.\n")
    report = send(msg, account="alice", ledger=ledger, backend=LoopbackBackend(), store=store,
                  wait=False)
    workers = [_worker(tmp_path, subprocess.DEVNULL) for _ in range(2)]
    assert [w.wait(180) for w in workers] == [0, 0]
    jobs = store.jobs(report.message_id)
    assert [j.state for j in jobs] == [JobState.DONE] * 4
    assert all([a.code for a in store.attempts(j.id)] == ["OK"] for j in jobs)
    assert len(_charges(ledger)) == 4 and ledger.open_holds("alice") == []
    calls = sorted((tmp_path / "received").glob("call-*"))
    assert len(calls) == 4
    assert all(len(list(c.glob("page-*.png"))) == 1 for c in calls)
