"""The ``pyfax`` entry point itself: help, version, exit codes."""

from __future__ import annotations

import pytest

from pyfax import __version__
from pyfax.cli import EXIT_USAGE, main


def test_no_command_prints_help_and_exits_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == EXIT_USAGE
    out = capsys.readouterr().out
    for command in ("demo", "send", "status", "worker", "receive", "decode-call", "preview",
                    "credit", "rates"):
        assert command in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"pyfax {__version__}"
