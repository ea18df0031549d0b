"""Page composition: a message body and its attachments become bilevel fax pages.

The body is page 1 (with a Subject/From/To block), each attachment follows
page by page, all at the resolution and paper size negotiated for the call,
with the fax header line on every page. Attachments are typed by content;
bad input raises a typed :class:`pyfax.errors.AttachmentError` before any
page is rendered. See :func:`compose`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from pyfax.compose._bilevel import Halftone
from pyfax.compose._compose import (
    DEFAULT_PAGE_LIMIT,
    Attachment,
    AttachmentLike,
    BodyFormat,
    Checker,
    Limits,
    header_time,
)
from pyfax.compose._detect import Kind, detect
from pyfax.compose._document import Document, Page, Plan
from pyfax.compose._geometry import (
    Paper,
    page_height_px,
    page_width_px,
    paper_for_locale,
)
from pyfax.compose._header import HeaderLine
from pyfax.compose._images import DEFAULT_MAX_PIXELS
from pyfax.compose._source import RenderOptions
from pyfax.errors import EmptyMessage
from pyfax.t4.geometry import Resolution

__all__ = ["DEFAULT_MAX_PIXELS", "DEFAULT_PAGE_LIMIT", "Attachment", "AttachmentLike",
           "BodyFormat", "Document", "Halftone", "HeaderLine", "Kind", "Limits", "Page", "Paper",
           "Resolution", "compose", "detect", "page_height_px", "page_width_px",
           "paper_for_locale"]


def compose(
    body: str | None,
    attachments: Sequence[AttachmentLike] = (),
    *,
    resolution: Resolution | str = "fine",
    paper: Paper | str | None = None,
    header: bool = True,
    subject: str | None = None,
    sender: str | None = None,
    to: str | None = None,
    header_line: HeaderLine | None = None,
    page_limit: int = DEFAULT_PAGE_LIMIT,
    now: dt.datetime | None = None,
    locale: str | None = None,
    body_format: BodyFormat = BodyFormat.AUTO,
    always_body_page: bool = False,
    halftone: Halftone = Halftone.AUTO,
    limits: Limits | None = None,
    fonts: Sequence[str] = (),
) -> Document:
    """Compose a fax message into pages.

    Args:
        body: message text, plain or simple HTML (see ``body_format``); None or blank
            for no body page (unless ``always_body_page``).
        attachments: paths, ``(name, bytes)`` pairs or :class:`Attachment` objects, in
            sending order after the body.
        resolution: a :class:`Resolution` or its name ("standard", "fine", "superfine",
            "r300", "r400").
        paper: a :class:`Paper` or its name; None picks Letter when ``locale`` is a Letter
            country (US, CA, MX, ...) and A4 otherwise.
        header: print the header line on every page.
        subject: Subject line of the block at the top of page 1.
        sender: From line of that block (also the header's name if ``header_line`` is None).
        to: To line of that block.
        header_line: the header's content and look (sender name and fax number, templates).
        page_limit: most pages the message may have (``PageLimitExceeded`` beyond).
        now: the time printed in the header; the current local time when None.
        locale: the sender's locale (e.g. "en_US"), for the default paper.
        body_format: read the body as text, HTML, or decide from its content.
        always_body_page: make page 1 even when the body is blank.
        halftone: how grey and colour become black and white.
        limits: pixel and file-size limits (its ``page_limit`` is replaced by ``page_limit``).
        fonts: extra font files tried for characters the default fonts lack.

    Returns:
        The :class:`Document`; ``doc.pages`` in sending order, ``doc.warnings`` for
        things a person should know.

    Raises:
        AttachmentError: a typed subclass naming the attachment and the reason (empty,
            unreadable, corrupt, encrypted, decompression bomb, unsupported, page limit).
        EmptyMessage: no body and no attachments.
        ValueError: an unknown resolution or paper name.
    """
    res = Resolution.parse(resolution)
    chosen = paper_for_locale(locale) if paper is None else Paper.parse(paper)
    base = limits if limits is not None else Limits()
    checker = Checker(chosen, dataclasses.replace(base, page_limit=page_limit), tuple(fonts),
                      max(page_width_px(chosen, res), page_height_px(chosen, res)))
    checker.body(body, body_format, (("Subject", subject), ("From", sender), ("To", to)),
                 always_body_page)
    for item in attachments:
        checker.attachment(item)
    if not checker.sources:
        raise EmptyMessage("the message has no body text and no attachments: nothing to fax")
    line = header_line if header_line is not None else HeaderLine(sender_name=sender or "")
    plan = Plan(tuple(checker.sources), chosen, line if header else None, header_time(now),
                RenderOptions(halftone), tuple(checker.warnings))
    return Document.from_plan(plan, res)
