"""Progress lines, notices and report tables: what people read."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from delivery.fakes_delivery import ScriptedBackend, TerminalScript, funded_ledger, ok, pages

from pyfax.delivery import FakeClock, JobStore, ListNotifier, SendOptions, Worker
from pyfax.delivery._calls import CallWatch
from pyfax.delivery.notices import delivered_notice, failed_notice, rejected_notice
from pyfax.delivery.progress import ProgressPrinter, snapshot
from pyfax.delivery.render import report_text
from pyfax.delivery.report import AttemptRecord, RecipientReport, Rejected, SendReport, Status
from pyfax.errors import DeliveryError, LineError
from pyfax.t30 import Phase, Terminal


class _Prog:
    phase, page, pages, bytes_sent, bytes_total, bit_rate = (
        Phase.C, 2, 3, 30_000, 90_000, 14400)


class _Reporting:
    progress = _Prog()


def test_snapshot_uses_terminal_progress_for_bytes_rate_and_eta() -> None:
    snap = snapshot(CallWatch("+3222345678", 1, 12.0, 3, _Reporting()))
    assert (snap.page, snap.pages, snap.bit_rate) == (2, 3, 14400)
    # the rest of page 2, then page 3 counted at page 2's size
    assert snap.eta_s == pytest.approx((60_000 + 90_000) * 8 / 14400)
    assert snap.done_fraction == pytest.approx((1 + 1 / 3) / 3)
    line = snap.line()
    assert "page 2/3" in line and "30.0/90.0 kB" in line and "14400 bit/s" in line
    assert "ETA ~83 s" in line and "message transmission" not in line


def test_snapshot_of_the_last_page_and_before_page_data() -> None:
    last = type("P", (), {"phase": Phase.C, "page": 3, "pages": 3, "bytes_sent": 100,
                          "bytes_total": 1900, "bit_rate": 9600})
    snap = snapshot(CallWatch("+1", 1, 50.0, 3, type("T", (), {"progress": last})()))
    assert snap.eta_s == pytest.approx(1800 * 8 / 9600) and "ETA 2 s" in snap.line()
    setup = type("P", (), {"phase": Phase.B, "page": 1, "pages": 3, "bytes_sent": 0,
                           "bytes_total": None, "bit_rate": None})
    snap = snapshot(CallWatch("+1", 1, 4.0, 3, type("T", (), {"progress": setup})()))
    assert snap.eta_s is None and "pre-message procedure" in snap.line()
    assert "ETA" not in snap.line() and "kB" not in snap.line()


def test_a_terminal_without_progress_shows_the_line_time_only() -> None:
    snap = snapshot(CallWatch("+3222345678", 2, 40.0, 3, object()))
    assert snap.page is None and snap.eta_s is None and snap.done_fraction is None
    assert snap.line() == "+3222345678 attempt 2  line    40 s"


def test_snapshot_of_a_real_terminal_mid_page() -> None:
    rng = np.random.default_rng(5)
    pages = [rng.random((120, 1728)) < 0.02 for _ in range(2)]
    tx = Terminal("send", pages, ecm=False, modems=("v29",))
    rx = Terminal("receive", ecm=False, modems=("v29",))
    a_out = b_out = np.zeros(160, np.int16)
    snaps = []
    for _ in range(50 * 60):
        a_out, b_out = tx.step(b_out), rx.step(a_out)
        snap = snapshot(CallWatch("+3222345678", 1, tx.now_s, 2, tx))
        if snap.page == 1 and snap.bytes_sent and snap.bytes_total and tx.phase is Phase.C:
            snaps.append(snap)
        if tx.done:
            break
    assert tx.result is not None and tx.result.ok
    assert snaps, "the page data was never seen in progress"
    mid = snaps[len(snaps) // 2]
    assert mid.bit_rate == 9600 and 0 < mid.bytes_sent < mid.bytes_total  # type: ignore[operator]
    assert mid.eta_s is not None and 0 < mid.eta_s < 2 * mid.bytes_total * 8 / 9600  # type: ignore[operator]
    assert "page 1/2" in mid.line() and "9600 bit/s" in mid.line() and "ETA ~" in mid.line()


def test_printer_redraws_on_a_tty_and_prints_plain_lines_otherwise() -> None:
    tty, plain = io.StringIO(), io.StringIO()
    p_tty, p_plain = ProgressPrinter(tty, tty=True), ProgressPrinter(plain, tty=False,
                                                                     plain_every_s=10)
    for t in range(25):
        watch = CallWatch("+3222345678", 1, float(t), 3, _Reporting())
        p_tty(watch)
        p_plain(watch)
    p_tty.done()
    assert tty.getvalue().count("\r\x1b[2K") == 25 and tty.getvalue().endswith("\n")
    assert "[#########-----------] " in tty.getvalue()  # page 2 of 3, a third of it sent
    assert "\r" not in plain.getvalue() and len(plain.getvalue().splitlines()) == 3


def test_plain_lines_on_each_new_page_and_the_last_figures_at_the_end() -> None:
    out = io.StringIO()
    printer = ProgressPrinter(out, tty=False, plain_every_s=100)

    def at(t: float, page: int, sent: int) -> CallWatch:
        prog = type("P", (), {"phase": Phase.C, "page": page, "pages": 2, "bytes_sent": sent,
                              "bytes_total": 2000, "bit_rate": 9600})
        return CallWatch("+3222345678", 1, t, 2, type("T", (), {"progress": prog})())

    for t, page, sent in [(1, 1, 0), (2, 1, 500), (3, 1, 2000), (4, 2, 0), (5, 2, 1000),
                          (6, 2, 2000)]:
        printer(at(t, page, sent))
    printer.done()
    lines = out.getvalue().splitlines()
    assert [ln.split("page ")[1][:3] for ln in lines] == ["1/2", "2/2", "2/2"]
    assert "2.0/2.0 kB" in lines[-1] and "ETA 0 s" in lines[-1]
    printer.done()  # nothing left to print
    assert len(out.getvalue().splitlines()) == 3


def test_notice_texts() -> None:
    attempts = (AttemptRecord(1, 1_800_000_000.0, "BUSY", "the line was busy", True),
                AttemptRecord(2, 1_800_000_120.0, "NO_ANSWER", "nobody answered the call", True))
    failed = failed_notice("+3222345678", attempts, subject="Invoice")
    assert failed.kind == "failed" and "2 attempts failed" in failed.text
    assert "2027-01-15 08:00:00 UTC" in failed.text and "nobody answered" in failed.text
    done = delivered_notice("+3222345678", (AttemptRecord(
        1, 1_800_000_000.0, "OK", "ok", pages=3, line_time_s=61.5, bit_rate=14400, ecm=True,
        remote_csi="+32 2 555 0100", cost=Decimal("0.06")),), subject="Invoice")
    assert done.kind == "delivered" and "Pages: 3" in done.text and "0.06 EUR" in done.text
    rejected = rejected_notice("<032123@fax>", "remove the 0", "<32123@fax>")
    assert rejected.attempts == () and "<32123@fax>" in rejected.text


def test_report_text_lists_everything() -> None:
    rec = RecipientReport("+3222345678", Status.DELIVERED, (), 2, 41.0, 14400, True, "CSI",
                          Decimal("0.05"), "EUR", 7)
    text = report_text(SendReport(["bob@example.com"], [rec],
                                  [Rejected("<0@fax>", "to", "too short")], ["w"], 3, 2))
    for words in ("delivered", "+3222345678", "0.05 EUR", "too short", "bob@example.com",
                  "warning: w", "total charged: 0.05 EUR"):
        assert words in text
    assert text.startswith("message 3: 2 page(s)")
    mail_only = report_text(SendReport(["bob@example.com"], [], [], [], 0, 0))
    assert mail_only.startswith("no fax was sent") and "bob@example.com" in mail_only


def test_delivered_notice_when_asked(tmp_path: Path) -> None:
    clock, store = FakeClock(), JobStore()
    mid = store.add_message(account="alice", sender="a", subject="s", ident="",
                            pages=pages(1), now_s=clock.now())
    store.add_job(mid, e164="+3222345678", now_s=clock.now())
    notifier = ListNotifier()
    Worker(store=store, ledger=funded_ledger(tmp_path), backend=ScriptedBackend(), clock=clock,
           notifier=notifier, notify_delivered=True,
           terminal_factory=TerminalScript([ok(1)])).run_until_idle()
    assert [n.kind for n in notifier.notices] == ["delivered"]


class _BrokenBackend:
    def dial(self, number: str) -> object:
        raise LineError("cannot connect to 127.0.0.1:9: refused")


def test_a_backend_error_is_a_retryable_attempt_not_a_crash(tmp_path: Path) -> None:
    clock, store = FakeClock(), JobStore()
    mid = store.add_message(account="alice", sender="a", subject="s", ident="",
                            pages=pages(1), now_s=clock.now())
    jid = store.add_job(mid, e164="+3222345678", max_attempts=2, now_s=clock.now())
    ledger = funded_ledger(tmp_path)
    Worker(store=store, ledger=ledger, backend=_BrokenBackend(), clock=clock).run_until_idle()
    assert [a.code for a in store.attempts(jid)] == ["LINE_ERROR"] * 2
    assert ledger.balance("alice").held == 0


def test_send_options_are_checked() -> None:
    with pytest.raises(DeliveryError):
        SendOptions(ident="Alice's fax")
    with pytest.raises(DeliveryError):
        SendOptions(modems=("v34",))
    with pytest.raises(DeliveryError, match="resolution"):
        SendOptions(resolution="ultra")
    with pytest.raises(DeliveryError, match="paper"):
        SendOptions(paper="a5")
