"""compose(): from a message body and attachments to fax pages.

Two phases. *Check*: every attachment is read, typed by content, opened
and counted (images decoded, PDFs parsed, text laid out), and the page
limit is enforced, so a bad input raises its typed ``AttachmentError``
before any page is rendered and before anything downstream runs. *Render*:
the checked sources draw their pages at the asked resolution and the header
line is stamped on each (``Document``).
"""

from __future__ import annotations

import datetime as dt
import enum
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pyfax.compose._blocks import (
    MONO_SIZE_PT,
    Block,
    is_blank,
    looks_like_html,
    meta_blocks,
    plain_blocks,
)
from pyfax.compose._detect import IMAGE_KINDS, Kind, decode_text, detect
from pyfax.compose._fonts import Style
from pyfax.compose._geometry import Paper
from pyfax.compose._html import html_blocks
from pyfax.compose._images import DEFAULT_MAX_PIXELS, open_image
from pyfax.compose._office import to_pdf
from pyfax.compose._pdf import open_pdf
from pyfax.compose._source import Source
from pyfax.compose._textsource import TextSource, lay_out
from pyfax.errors import (
    EmptyAttachment,
    PageLimitExceeded,
    UnreadableAttachment,
    UnsupportedAttachment,
)

DEFAULT_PAGE_LIMIT = 200
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
BODY_NAME = "message body"
MAX_CHARS_PER_PAGE = 12_000  # more than any text page holds (about 6,000 at 10 pt)


class BodyFormat(enum.Enum):
    """How to read the body string."""

    AUTO = "auto"  # HTML when it looks like HTML, else plain text
    TEXT = "text"
    HTML = "html"


@dataclass(frozen=True)
class Attachment:
    """An attachment given as bytes, optionally with the password of an encrypted PDF."""

    name: str
    data: bytes = field(repr=False)
    password: str | None = None


AttachmentLike = str | os.PathLike[str] | tuple[str, bytes] | Attachment


@dataclass(frozen=True)
class Limits:
    """Bounds on the input, checked before any page is rendered.

    Attributes:
        page_limit: most pages a message may have.
        max_image_pixels: most pixels one picture frame may declare.
        max_attachment_bytes: largest attachment file read.
    """

    page_limit: int = DEFAULT_PAGE_LIMIT
    max_image_pixels: int = DEFAULT_MAX_PIXELS
    max_attachment_bytes: int = DEFAULT_MAX_BYTES


def read_attachment(item: AttachmentLike, max_bytes: int) -> Attachment:
    """Normalise an attachment argument to name + bytes (reading a path)."""
    if isinstance(item, Attachment):
        return item
    if isinstance(item, tuple):
        name, data = item
        return Attachment(str(name), bytes(data))
    name = os.fspath(item)
    try:
        size = Path(name).stat().st_size
        if size > max_bytes:
            raise UnreadableAttachment(name, f"file is {size} bytes, over the limit of "
                                             f"{max_bytes}")
        return Attachment(name, Path(name).read_bytes())
    except OSError as exc:
        raise UnreadableAttachment(name, f"cannot read the file ({exc.strerror})") from None


@dataclass
class Checker:
    """Turns inputs into checked sources while counting pages against the limit."""

    paper: Paper
    limits: Limits
    fonts: tuple[str, ...] = ()
    picture_px: int | None = None  # longest page side in pixels: pictures kept no larger
    sources: list[Source] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        """Pages so far."""
        return sum(s.n_pages for s in self.sources)

    def add(self, source: Source) -> None:
        """Append a source, raising when it takes the message over the page limit."""
        total = self.pages + source.n_pages
        if total > self.limits.page_limit:
            raise PageLimitExceeded(source.name, n_pages=total, page_limit=self.limits.page_limit)
        self.sources.append(source)
        if isinstance(source, TextSource):
            self.warnings += source.warnings()

    def text(self, name: str, blocks: list[Block]) -> None:
        """Lay text out and add it; text too long for the page limit is refused unread.

        Raises:
            PageLimitExceeded: at least one page more than the limit allows is needed.
        """
        remaining = self.limits.page_limit - self.pages
        n_chars = sum(len(b.text) for b in blocks)
        at_least = -(-n_chars // MAX_CHARS_PER_PAGE)
        if at_least > remaining:  # no page holds that much: do not spend time laying it out
            raise PageLimitExceeded(name, n_pages=self.pages + at_least,
                                    page_limit=self.limits.page_limit)
        source = lay_out(name, blocks, self.paper, extra_fonts=self.fonts, max_pages=remaining)
        if not source.pages:  # asked for a page, but nothing at all to print
            source.pages.append(())
        self.add(source)

    def body(self, body: str | None, fmt: BodyFormat, meta: Sequence[tuple[str, str | None]],
             always: bool) -> None:
        """Check the body (with the Subject/From/To block); skip it when blank."""
        text = body or ""
        html = fmt is BodyFormat.HTML or (fmt is BodyFormat.AUTO and looks_like_html(text))
        blocks = html_blocks(text) if html else plain_blocks(text)
        if is_blank(blocks) and not always:
            return
        self.text(BODY_NAME, [*meta_blocks(meta), *blocks])

    def attachment(self, item: AttachmentLike) -> None:
        """Read, type, check and count one attachment."""
        att = read_attachment(item, self.limits.max_attachment_bytes)
        if not att.data:
            raise EmptyAttachment(att.name, "the file is empty (0 bytes)")
        found = detect(att.data)
        if found.kind is Kind.OFFICE:
            self.add(open_pdf(att.name, to_pdf(att.name, att.data, found.description)))
        elif found.kind is Kind.PDF:
            self.add(open_pdf(att.name, att.data, att.password))
        elif found.kind in IMAGE_KINDS or found.kind is Kind.TIFF:
            self.add(open_image(att.name, att.data, max_pixels=self.limits.max_image_pixels,
                                pages_before=self.pages, page_limit=self.limits.page_limit,
                                max_side_px=self.picture_px))
        elif found.kind in (Kind.TEXT, Kind.HTML):
            text = decode_text(att.data) or ""
            blocks = html_blocks(text) if found.kind is Kind.HTML else plain_blocks(
                text, style=Style.MONO, size_pt=MONO_SIZE_PT)
            if is_blank(blocks):
                raise EmptyAttachment(att.name, "the text has nothing printable")
            self.text(att.name, blocks)
        else:
            raise UnsupportedAttachment(
                att.name, f"{found.description} cannot be faxed (send PDF, PNG, JPEG, GIF, "
                          "BMP, WebP, TIFF, plain text or an office document)")


def header_time(now: dt.datetime | None) -> dt.datetime:
    """The header's time: ``now`` as given, else the current local time (public edge only)."""
    return now if now is not None else dt.datetime.now(dt.UTC).astimezone()
