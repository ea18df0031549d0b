"""The message a user sends: envelope, body and attachments.

It mirrors an e-mail: sender, To/Cc/Bcc (comma-separated lists as a mail
header carries them, fax addresses ``<322123456@fax>`` and e-mail addresses
mixed), a subject and a body (plain text or simple HTML). Attachments are
paths or ``(name, bytes)`` pairs, handed as they are to :mod:`pyfax.compose`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from os import PathLike
from typing import TypeAlias

__all__ = ["Attachment", "Message"]

Attachment: TypeAlias = "str | PathLike[str] | tuple[str, bytes]"


@dataclass(frozen=True)
class Message:
    """A message to fax (and, for e-mail recipients, to hand back to the mailer).

    Attributes:
        sender: the sender as a mail address, e.g. ``"Alice <alice@example.com>"``.
        to: comma-separated recipients.
        cc: comma-separated copy recipients.
        bcc: comma-separated blind-copy recipients.
        subject: the subject line, printed in the block at the top of page 1.
        body: the body text, plain or simple HTML; page 1 of the fax.
        attachments: paths or ``(name, bytes)`` pairs, in page order.
    """

    sender: str
    to: str
    cc: str = ""
    bcc: str = ""
    subject: str = ""
    body: str = ""
    attachments: tuple[Attachment, ...] | list[Attachment] = field(default_factory=tuple)
