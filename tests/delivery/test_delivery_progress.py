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


class _Prog:
    page, pages, bytes_sent, bytes_total, bit_rate = 2, 3, 30_000, 90_000, 14400


class _Reporting:
    progress = _Prog()


class _FarEnd:
    def __init__(self) -> None:
        self.received_pages = [np.zeros((2, 2), dtype=bool)]


def test_snapshot_uses_terminal_progress_for_bytes_rate_and_eta() -> None:
    snap = snapshot(CallWatch("+3222345678", 1, 12.0, 3, _Reporting()))
    assert (snap.page, snap.pages, snap.bit_rate) == (2, 3, 14400)
    assert snap.eta_s == pytest.approx(60_000 * 8 / 14400)
    assert "page 2/3" in snap.line() and "30 kB/90 kB" in snap.line()
    assert "14400 bit/s" in snap.line() and "ETA 33 s" in snap.line()


def test_snapshot_falls_back_to_the_far_ends_pages() -> None:
    snap = snapshot(CallWatch("+3222345678", 2, 40.0, 3, object(), _FarEnd()))
    assert snap.page == 2 and snap.pages_done == 1
    assert snap.eta_s == pytest.approx((40.0 - 15) * 2)  # pace after the 15 s set-up
    assert "ETA ~50 s" in snap.line()
    assert snapshot(CallWatch("+1", 1, 5.0, 3, object())).eta_s is None


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
    assert "[#######-------------] " in tty.getvalue()  # 30 of 90 kB
    assert "\r" not in plain.getvalue() and len(plain.getvalue().splitlines()) == 3


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
