"""Bad input: a typed error naming the attachment, before anything is rendered."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image

import pyfax.compose._images as images_mod
import pyfax.compose._pdf as pdf_mod
import pyfax.compose._textsource as text_mod
from pyfax.compose import Limits, compose
from pyfax.compose._office import converter
from pyfax.errors import (
    AttachmentError,
    ComposeError,
    CorruptAttachment,
    DecompressionBomb,
    EmptyAttachment,
    EmptyMessage,
    EncryptedAttachment,
    FaxError,
    PageLimitExceeded,
    UnreadableAttachment,
    UnsupportedAttachment,
)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose IHDR declares width x height, with one tiny (wrong) IDAT."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 10))
            + chunk(b"IEND", b""))


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every page render of PDFs, pictures and text."""
    calls: list[str] = []
    for cls in (pdf_mod.PdfSource, images_mod.ImageSource, text_mod.TextSource):
        original = cls.render

        def wrapped(self, index, frame, options, out, _orig=original):  # type: ignore[no-untyped-def]
            calls.append(f"{self.name}#{index}")
            return _orig(self, index, frame, options, out)

        monkeypatch.setattr(cls, "render", wrapped)
    return calls


def good_inputs(inputs: SimpleNamespace, sample_pdf: bytes) -> list[tuple[str, bytes]]:
    return [("ok.pdf", sample_pdf), ("ok.png", inputs.encode(inputs.photo(80, 60)))]


def test_spy_sees_renders_of_good_input(inputs: SimpleNamespace, sample_pdf: bytes,
                                        spy: list[str]) -> None:
    compose("hello", good_inputs(inputs, sample_pdf))
    assert spy == ["message body#0", "ok.pdf#0", "ok.pdf#1", "ok.pdf#2", "ok.png#0"]


def _bad_cases(inputs: SimpleNamespace, sample_pdf: bytes) -> list[tuple[str, bytes, type]]:
    png = inputs.encode(inputs.photo(300, 200))
    jpeg = inputs.encode(inputs.photo(300, 200), "JPEG")
    return [
        ("empty.pdf", b"", EmptyAttachment),
        ("blank.txt", b" \n\t\n", EmptyAttachment),
        ("cut.pdf", sample_pdf[:-4000], CorruptAttachment),
        ("cut.png", png[: len(png) // 2], CorruptAttachment),
        ("cut.jpg", jpeg[: len(jpeg) // 2], CorruptAttachment),
        ("bad.gif", b"GIF89a" + b"\xff" * 40, CorruptAttachment),
        ("bomb.png", png_header_only(60_000, 60_000), DecompressionBomb),
        ("prog.exe", b"MZ\x90\x00" + bytes(range(256)) * 4, UnsupportedAttachment),
        ("a.zip", _zip({"x.txt": b"hi"}), UnsupportedAttachment),
        ("locked.pdf", inputs.make_pdf(1, password="pw"), EncryptedAttachment),
    ]


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_every_bad_input_raises_its_type_and_nothing_is_rendered(
        inputs: SimpleNamespace, sample_pdf: bytes, spy: list[str]) -> None:
    for name, data, error in _bad_cases(inputs, sample_pdf):
        with pytest.raises(error) as err:
            compose("body text", [*good_inputs(inputs, sample_pdf), (name, data)])
        assert isinstance(err.value, AttachmentError) and isinstance(err.value, FaxError)
        assert err.value.attachment == name and err.value.reason
        assert name in str(err.value)
        assert spy == [], (name, spy)


def test_bomb_is_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[int] = []
    monkeypatch.setattr(images_mod, "_decode", lambda img: decoded.append(1))
    with pytest.raises(DecompressionBomb, match="3600000000 pixels"):
        compose(None, [("bomb.png", png_header_only(60_000, 60_000))])
    assert decoded == []


def test_pixel_limit_is_configurable(inputs: SimpleNamespace) -> None:
    data = inputs.encode(inputs.photo(300, 200))
    with pytest.raises(DecompressionBomb):
        compose(None, [("p.png", data)], limits=Limits(max_image_pixels=50_000))
    assert len(compose(None, [("p.png", data)], limits=Limits(max_image_pixels=60_000)).pages) == 1


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(UnreadableAttachment, match="cannot read"):
        compose("x", [tmp_path / "missing.pdf"])
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    with pytest.raises(EmptyAttachment, match="0 bytes") as err:
        compose("x", [empty])
    assert err.value.attachment == str(empty)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2000)
    with pytest.raises(UnreadableAttachment, match="over the limit"):
        compose("x", [big], limits=Limits(max_attachment_bytes=1000))


def test_office_documents_need_libreoffice() -> None:
    if converter() is not None:
        pytest.skip("LibreOffice is installed: the conversion path is used instead")
    docx = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})
    with pytest.raises(UnsupportedAttachment, match=r"Word document.*LibreOffice"):
        compose(None, [("letter.docx", docx)])
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    with pytest.raises(UnsupportedAttachment, match="LibreOffice"):
        compose(None, [("old.doc", ole)])


def test_page_limit(inputs: SimpleNamespace, sample_pdf: bytes, spy: list[str]) -> None:
    with pytest.raises(PageLimitExceeded) as err:
        compose("body", [("ok.pdf", sample_pdf)], page_limit=3)
    assert (err.value.n_pages, err.value.page_limit, err.value.attachment) == (4, 3, "ok.pdf")
    long_body = "\n".join("line" for _ in range(5000))
    with pytest.raises(PageLimitExceeded, match="over the limit of 10"):
        compose(long_body, page_limit=10)
    frames = [Image.new("L", (50, 50), 255)] * 6
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    with pytest.raises(PageLimitExceeded):
        compose(None, [("many.tif", buf.getvalue())], page_limit=5)
    assert spy == []
    assert len(compose(None, [("ok.pdf", sample_pdf)], page_limit=3).pages) == 3


def test_text_far_over_the_limit_is_refused_before_layout(monkeypatch: pytest.MonkeyPatch,
                                                          ) -> None:
    import pyfax.compose._compose as compose_mod

    laid: list[str] = []
    real = compose_mod.lay_out
    monkeypatch.setattr(compose_mod, "lay_out", lambda name, *a, **k: (laid.append(name),
                                                                        real(name, *a, **k))[1])
    with pytest.raises(PageLimitExceeded) as err:
        compose("x" * 5_000_000)
    assert err.value.n_pages > 200 and laid == []
    with pytest.raises(PageLimitExceeded) as err:
        compose("short", [("big.txt", b"y" * 3_000_000)])
    assert err.value.attachment == "big.txt" and laid == ["message body"]


def test_empty_message() -> None:
    with pytest.raises(EmptyMessage) as err:
        compose("   ", [])
    assert isinstance(err.value, ComposeError)
