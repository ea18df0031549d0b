"""``pyfax preview`` on the command line."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image

from pyfax.cli import EXIT_OK, EXIT_USAGE, main


def test_preview_to_png_dir(inputs: SimpleNamespace, sample_pdf: bytes, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(sample_pdf)
    body = tmp_path / "body.txt"
    body.write_text("Geachte heer,\n\nZie bijlage.\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["preview", "--body-file", str(body), "--attach", str(pdf), "--resolution",
                 "standard", "--paper", "a4", "--out", str(out)])
    assert code == EXIT_OK
    files = sorted(out.glob("page-*.png"))
    assert len(files) == 4
    with Image.open(files[0]) as img:
        assert img.size == (1728, 1146)
    assert "4 pages" in capsys.readouterr().out


def test_preview_to_pdf_and_bad_input(tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "fax.pdf"
    assert main(["preview", "--body", "Hi", "--out", str(out)]) == EXIT_OK
    assert out.read_bytes().startswith(b"%PDF")
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    assert main(["preview", "--attach", str(bad), "--out", str(tmp_path / "x")]) == EXIT_USAGE
    assert "bad.bin" in capsys.readouterr().err
