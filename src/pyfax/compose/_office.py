"""Office documents (Word, Excel, PowerPoint, OpenDocument, RTF) via LibreOffice.

When ``libreoffice`` (or ``soffice``) is on the PATH, the document is
converted to PDF with ``--headless --convert-to pdf`` in a private temporary
directory (with its own user profile, so concurrent conversions do not
collide) and a time limit; the PDF is then handled like any PDF. Without
LibreOffice the attachment is refused as unsupported, saying why.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from pyfax.errors import CorruptAttachment, UnsupportedAttachment

CONVERT_TIMEOUT_S = 120.0


def converter() -> str | None:
    """Path of the LibreOffice executable, or None when it is not installed."""
    return shutil.which("libreoffice") or shutil.which("soffice")


def to_pdf(name: str, data: bytes, description: str, *,
           timeout_s: float = CONVERT_TIMEOUT_S) -> bytes:
    """Convert an office document to PDF bytes.

    Raises:
        UnsupportedAttachment: LibreOffice is not installed.
        CorruptAttachment: LibreOffice failed or timed out on the document.
    """
    exe = converter()
    if exe is None:
        raise UnsupportedAttachment(
            name, f"{description} needs LibreOffice to be converted, and it is not installed; "
                  "send it as PDF instead")
    with tempfile.TemporaryDirectory(prefix="pyfax-office-") as tmp:
        src = Path(tmp) / "document.bin"
        src.write_bytes(data)
        cmd = [exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
               "--convert-to", "pdf", "--outdir", tmp, str(src)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired:
            raise CorruptAttachment(name, f"LibreOffice took over {timeout_s:.0f} s") from None
        out = Path(tmp) / "document.pdf"
        if not out.is_file() or out.stat().st_size == 0:
            raise CorruptAttachment(name, f"LibreOffice could not convert this {description}")
        return out.read_bytes()
