"""Office documents through LibreOffice (a stand-in ``libreoffice`` on PATH here)."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import numpy as np
import pytest

from pyfax.compose import compose
from pyfax.errors import CorruptAttachment

FAKE = """#!/bin/sh
# Stand-in for LibreOffice: records its arguments, writes $FAKE_LO_PDF as the result.
echo "$@" > "$FAKE_LO_ARGS"
while [ $# -gt 0 ]; do
  case "$1" in --outdir) out="$2"; shift;; esac
  shift
done
[ -n "$FAKE_LO_PDF" ] && cp "$FAKE_LO_PDF" "$out/document.pdf"
exit 0
"""


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.fixture
def fake_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    exe = tmp_path / "bin" / "libreoffice"
    exe.parent.mkdir()
    exe.write_text(FAKE)
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{exe.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    args = tmp_path / "args.txt"
    monkeypatch.setenv("FAKE_LO_ARGS", str(args))
    return args


def test_word_document_is_converted_to_pdf_pages(fake_libreoffice: Path, sample_pdf: bytes,
                                                 tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    converted = tmp_path / "converted.pdf"
    converted.write_bytes(sample_pdf)
    monkeypatch.setenv("FAKE_LO_PDF", str(converted))
    doc = compose(None, [("letter.docx", _docx())], header=False)
    direct = compose(None, [("letter.pdf", sample_pdf)], header=False)
    assert [p.source for p in doc.pages] == ["letter.docx"] * 3
    assert all(np.array_equal(a.image, b.image) for a, b in zip(doc.pages, direct.pages,
                                                                strict=True))
    args = fake_libreoffice.read_text()
    assert "--headless" in args and "--convert-to pdf" in args


def test_failed_conversion_is_a_corrupt_attachment(fake_libreoffice: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_LO_PDF", "")
    with pytest.raises(CorruptAttachment, match="could not convert") as err:
        compose(None, [("letter.docx", _docx())])
    assert err.value.attachment == "letter.docx"
