"""The command line: send, status, worker, decode-call, receive and demo."""

from __future__ import annotations

import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from delivery.fakes_delivery import funded_ledger

from pyfax.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main
from pyfax.cli.status import EXIT_PENDING
from pyfax.lines import read_call
from pyfax.t4 import read_tiff


def _base(tmp_path: Path) -> list[str]:
    return ["--ledger", str(tmp_path / "credit.db"), "--store", str(tmp_path / "jobs.db")]


def test_send_busy_then_status_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                          ) -> None:
    funded_ledger(tmp_path, account="default").close()
    code = main(["send", "--to", "<3222345678@fax>, bob@example.com", "--body", "hi",
                 "--backend", "loopback:busy", "--attempts", "2", "--retry-delays", "0",
                 *_base(tmp_path)])
    out = capsys.readouterr().out
    assert code == EXIT_FAILED
    assert "could not be delivered" in out and "bob@example.com" in out
    assert main(["status", "1", "--store", str(tmp_path / "jobs.db")]) == EXIT_FAILED
    assert "BUSY" in capsys.readouterr().out
    assert main(["send", "--to", "<3222345678@fax>", "--body", "hi", "--queue",
                 *_base(tmp_path)]) == EXIT_OK
    assert main(["status", "2", "--store", str(tmp_path / "jobs.db")]) == EXIT_PENDING
    assert main(["status", "9", "--store", str(tmp_path / "jobs.db")]) == EXIT_USAGE
    capsys.readouterr()
    assert main(["send", "--to", "<3222345678@fax>", "--body", "hi", "--account", "nobody",
                 *_base(tmp_path)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "no account named 'nobody'" in err
    assert "pyfax credit topup --account nobody" in err  # how to open it, from the CLI


@pytest.mark.slow
def test_queued_job_run_by_worker_recorded_and_decoded(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    funded_ledger(tmp_path, account="default").close()
    assert main(["send", "--to", "<3222345678@fax>", "--body", "Queued, then sent.",
                 "--queue", *_base(tmp_path)]) == EXIT_OK
    wav = tmp_path / "call-{n}.wav"
    assert main(["worker", "--until-idle", "--record", str(wav), "--out",
                 str(tmp_path / "rx"), *_base(tmp_path)]) == EXIT_OK
    assert main(["status", "1", "--store", str(tmp_path / "jobs.db")]) == EXIT_OK
    capsys.readouterr()
    recording = tmp_path / "call-1.wav"
    rec = read_call(recording)
    assert len(rec.sent) == len(rec.heard) > 8000 * 10
    received = read_tiff(tmp_path / "rx" / "call-1" / "received.tif")
    assert main(["decode-call", str(recording), "--out", str(tmp_path / "replay")]) == EXIT_OK
    out = capsys.readouterr().out
    assert "DCS" in out and "result: ok" in out
    replayed = read_tiff(tmp_path / "replay" / "received.tif")
    assert len(replayed) == len(received) == 1
    assert np.array_equal(replayed[0].image, received[0].image)


@pytest.mark.slow
def test_receive_over_local_tcp(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as probe:  # a free port on the loopback interface
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    argv = [sys.executable, "-c", "import sys; from pyfax.cli import main; sys.exit(main())",
            "receive", "--backend", f"tcp:{port}", "--out", str(tmp_path / "rx"),
            "--ident", "+32 9 876 5432", "--timeout", "60", "--record",
            str(tmp_path / "rx.wav")]
    receiver = subprocess.Popen(argv, stderr=subprocess.PIPE, text=True)
    assert receiver.stderr is not None
    listening = receiver.stderr.readline()
    assert "listening" in listening
    tail: list[str] = []
    reader = threading.Thread(target=lambda: tail.extend(receiver.stderr))  # type: ignore[arg-type]
    reader.start()
    ledger = funded_ledger(tmp_path, account="default")
    code = main(["send", "--to", "<3222345678@fax>", "--body", "Over TCP.",
                 "--backend", f"tcp:{port}", "--attempts", "1", *_base(tmp_path)])
    assert receiver.wait(60) == EXIT_OK
    reader.join(10)
    assert code == EXIT_OK, capsys.readouterr()
    assert any("result: ok" in line for line in tail)
    assert len(read_tiff(tmp_path / "rx" / "received.tif")) == 1
    assert "+32 9 876 5432" in capsys.readouterr().out  # the receiver's CSI in the report
    assert ledger.balance("default").total < Decimal("25.00")
    # the answerer's recording: the sender is what it heard (channel 1)
    assert main(["decode-call", str(tmp_path / "rx.wav"), "--channel", "heard"]) == EXIT_OK
    assert "result: ok" in capsys.readouterr().out


@pytest.mark.slow
def test_demo_runs_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--out", str(tmp_path / "demo")]) == EXIT_OK
    out = capsys.readouterr().out
    assert "delivered" in out and "pixel for pixel: yes" in out and "total charged" in out
    demo = tmp_path / "demo"
    assert (demo / "call.wav").exists() and (demo / "invoice.pdf").exists()
    got = read_tiff(demo / "received" / "call-1" / "received.tif")
    sent = read_tiff(demo / "composed" / "composed.tif")
    assert len(got) == len(sent) == 3  # body + two PDF pages
    assert all(np.array_equal(a.image, b.image) for a, b in zip(got, sent, strict=True))


@pytest.mark.slow
def test_send_through_a_pipe_to_pyfax_receive_stdio(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    funded_ledger(tmp_path, account="default").close()
    program = (f"{sys.executable} -c 'import sys; from pyfax.cli import main; sys.exit(main())' "
               f"receive --backend stdio --out {tmp_path / 'rx'} --ident '+32 9 111 2222'")
    code = main(["send", "--to", "<3222345678@fax>", "--body", "Through a pipe.",
                 "--backend", f"pipe:{program}", "--attempts", "1", *_base(tmp_path)])
    out = capsys.readouterr().out
    assert code == EXIT_OK, out
    assert "+32 9 111 2222" in out
    assert len(read_tiff(tmp_path / "rx" / "received.tif")) == 1
