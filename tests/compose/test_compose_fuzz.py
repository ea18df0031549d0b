"""Damaged inputs: every outcome is pages or a typed AttachmentError, never another error."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from pyfax.compose import compose
from pyfax.errors import AttachmentError


def _mutants(data: bytes, rng: np.random.Generator, n: int) -> list[bytes]:
    out = []
    for i in range(n):
        buf = bytearray(data)
        if i % 3 == 0:  # truncate
            buf = buf[: int(rng.integers(1, len(buf)))]
        else:  # flip bytes
            for pos in rng.integers(0, len(buf), size=1 + i % 8):
                buf[int(pos)] ^= int(rng.integers(1, 256))
        out.append(bytes(buf))
    return out


@pytest.mark.parametrize("kind", ["png", "jpeg", "gif", "tiff", "pdf", "text"])
def test_damaged_files_fail_cleanly(kind: str, inputs: SimpleNamespace,
                                    sample_pdf: bytes) -> None:
    rng = np.random.default_rng(sum(map(ord, kind)))
    img = inputs.photo(120, 90)
    data = {"png": inputs.encode(img), "jpeg": inputs.encode(img, "JPEG"),
            "gif": inputs.encode(img.convert("P"), "GIF"),
            "tiff": inputs.encode(img, "TIFF", compression="tiff_lzw"),
            "pdf": sample_pdf, "text": "Größe façade één\n".encode() * 20}[kind]
    outcomes = {"ok": 0, "error": 0}
    for mutant in _mutants(data, rng, 12):
        try:
            doc = compose(None, [(f"x.{kind}", mutant)], resolution="standard", header=False)
        except AttachmentError as exc:
            assert exc.attachment == f"x.{kind}" and exc.reason
            outcomes["error"] += 1
        else:
            assert doc.pages and all(p.image.dtype == bool for p in doc.pages)
            outcomes["ok"] += 1
    assert sum(outcomes.values()) == 12
