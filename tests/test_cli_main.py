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


def test_a_reader_that_stops_early_is_no_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # `pyfax rates | head -1`: the pipe closes under our feet; no traceback, exit 1
    import os

    from pyfax.cli import EXIT_FAILED

    read_fd, write_fd = os.pipe()
    os.close(read_fd)  # the reader is gone: every write now fails with EPIPE
    closed = open(write_fd, "w", buffering=1)  # noqa: SIM115 - closed below
    monkeypatch.setattr("sys.stdout", closed)
    try:
        assert main(["rates"]) == EXIT_FAILED
        closed.write("more\n")  # stdout now goes to /dev/null: later writes are harmless
        closed.flush()
    finally:
        closed.close()
