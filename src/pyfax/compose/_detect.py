"""Attachment type detection from content (magic bytes), never from the file name.

Signatures: PDF ``%PDF-`` within the first 1 KiB (ISO 32000-1 §7.5.2 lets
junk precede it), PNG's 8-byte signature, JPEG SOI+marker ``FF D8 FF``, GIF
``GIF87a``/``GIF89a``, BMP ``BM`` with a known DIB header size, WebP
``RIFF....WEBP``, TIFF ``II*\\0``/``MM\\0*`` (and BigTIFF), OLE2 compound
files and ZIP packages (OOXML / OpenDocument) for office documents, RTF.
Anything else is text when it has no NUL bytes and decodes as UTF-8/UTF-16
(by BOM) or mostly-printable Windows-1252; otherwise it is unknown.
"""

from __future__ import annotations

import codecs
import enum
import io
import zipfile
from dataclasses import dataclass


class Kind(enum.Enum):
    """What an attachment is."""

    PDF = "PDF document"
    PNG = "PNG image"
    JPEG = "JPEG image"
    GIF = "GIF image"
    BMP = "BMP image"
    WEBP = "WebP image"
    TIFF = "TIFF image"
    TEXT = "plain text"
    HTML = "HTML document"
    OFFICE = "office document"
    UNKNOWN = "unknown binary data"


IMAGE_KINDS = frozenset({Kind.PNG, Kind.JPEG, Kind.GIF, Kind.BMP, Kind.WEBP})
_BMP_DIB_SIZES = frozenset({12, 16, 40, 52, 56, 64, 108, 124})


@dataclass(frozen=True)
class Detected:
    """A detected kind, with a human description (e.g. "Word document (OOXML)")."""

    kind: Kind
    description: str


def _zip_kind(data: bytes) -> Detected:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            mimetype = z.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return Detected(Kind.UNKNOWN, "damaged ZIP archive")
    if mimetype.startswith("application/vnd.oasis.opendocument"):
        return Detected(Kind.OFFICE, f"OpenDocument ({mimetype.rsplit('.', 1)[-1]})")
    for prefix, what in (("word/", "Word"), ("xl/", "Excel"), ("ppt/", "PowerPoint")):
        if any(n.startswith(prefix) for n in names):
            return Detected(Kind.OFFICE, f"{what} document (OOXML)")
    return Detected(Kind.UNKNOWN, "ZIP archive")


def decode_text(data: bytes) -> str | None:
    """The text of ``data`` if it is text (UTF-8/16 with BOM, UTF-8, or printable cp1252)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:65536]:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    sample = text[:65536]
    printable = sum(ch.isprintable() or ch in "\r\n\t\f" for ch in sample)
    return text if printable >= 0.95 * len(sample) else None


_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", Kind.PNG), (b"\xff\xd8\xff", Kind.JPEG),
    (b"GIF87a", Kind.GIF), (b"GIF89a", Kind.GIF),
    (b"II*\x00", Kind.TIFF), (b"MM\x00*", Kind.TIFF), (b"II+\x00", Kind.TIFF),
    (b"MM\x00+", Kind.TIFF),
)
"""Leading bytes that settle the kind on their own (TIFF: classic and BigTIFF)."""


def detect(data: bytes) -> Detected:
    """Detect the kind of ``data`` from its leading bytes.

    >>> detect(b"%PDF-1.7 ...").kind, detect(b"Hello").kind
    (<Kind.PDF: 'PDF document'>, <Kind.TEXT: 'plain text'>)
    """
    head = data[:1024]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return Detected(kind, kind.value)
    if b"%PDF-" in head:
        return Detected(Kind.PDF, Kind.PDF.value)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Detected(Kind.WEBP, Kind.WEBP.value)
    if head[:2] == b"BM" and len(head) >= 18 and int.from_bytes(head[14:18], "little") in \
            _BMP_DIB_SIZES:
        return Detected(Kind.BMP, Kind.BMP.value)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return Detected(Kind.OFFICE, "legacy Office document (OLE2)")
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(b"{\\rtf"):
        return Detected(Kind.OFFICE, "RTF document")
    text = decode_text(data)
    if text is None:
        return Detected(Kind.UNKNOWN, Kind.UNKNOWN.value)
    low = text.lstrip()[:64].lower()
    if low.startswith(("<!doctype html", "<html")):
        return Detected(Kind.HTML, Kind.HTML.value)
    return Detected(Kind.TEXT, Kind.TEXT.value)
