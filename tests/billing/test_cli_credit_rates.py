"""``pyfax credit`` and ``pyfax rates`` through the real command-line entry point."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyfax.billing import Ledger
from pyfax.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main


def test_topup_balance_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "sub" / "pyfax.db"
    base = ["--account", "alice", "--db", str(db)]
    card = ["--card", "4242 4242 4242 4242", "--exp", "12/30", "--cvc", "123"]
    assert main(["credit", "topup", *base, "--amount", "25", *card,
                 "--idempotency-key", "cli-key-0001"]) == EXIT_OK
    assert main(["credit", "topup", *base, "--amount", "25", *card,
                 "--idempotency-key", "cli-key-0001"]) == EXIT_OK   # a retry: credited once
    out = capsys.readouterr().out
    assert "credited 25.00 EUR to alice" in out and "cli-key-0001" in out
    with Ledger(db) as led:
        assert led.balance("alice").total == 25
        led.hold("alice", led.balance("alice").available - 5, reference="job-1/attempt-1")
    assert main(["credit", "balance", *base]) == EXIT_OK
    out = capsys.readouterr().out
    assert "available 5.00 EUR (total 25.00, held 20.00)" in out
    assert "add 5.00 EUR" in out and "job-1/attempt-1" in out
    assert main(["credit", "history", *base]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "topup" in lines[0] and "hold" in lines[1]


def test_declined_card_fails_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["credit", "topup", "--account", "bob", "--db", str(tmp_path / "d.db"),
                 "--amount", "25", "--card", "4000000000000002", "--exp", "12/30",
                 "--cvc", "123"])
    assert code == EXIT_FAILED
    assert "declined" in capsys.readouterr().err
    assert main(["credit", "topup", "--account", "bob", "--db", str(tmp_path / "d.db"),
                 "--amount", "25", "--card", "4242424242424241", "--exp", "12/30",
                 "--cvc", "123"]) == EXIT_USAGE
    with Ledger(tmp_path / "d.db") as led:
        assert led.entries("bob") == []


def test_default_db_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PYFAX_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PYFAX_DB", raising=False)
    assert main(["credit", "topup", "--account", "a", "--amount", "12.50", "--card",
                 "5555555555554444", "--exp", "01/31", "--cvc", "999"]) == EXIT_OK
    assert (tmp_path / "home" / "credit.db").exists()
    assert main(["credit", "balance", "--account", "nobody"]) == EXIT_USAGE


def test_rates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rates", "BE"]) == EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith("BE  Belgium") and "EUR/min" in out[0]
    assert main(["rates", "+1"]) == EXIT_OK
    assert len(capsys.readouterr().out.splitlines()) > 20     # the whole NANP
    assert main(["rates"]) == EXIT_OK
    assert len(capsys.readouterr().out.splitlines()) == 245
    assert main(["rates", "Atlantis"]) == EXIT_USAGE
