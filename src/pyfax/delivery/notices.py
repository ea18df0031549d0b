"""Notices to the sender, written like a mail bounce.

A notice says which number, which attempts were made and why each failed,
and what to check: the number format, and whether the receiving machine is
switched on, has paper and has free memory. A notifier is any object with
``notify(notice)``; :class:`ListNotifier` keeps them in a list.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, TextIO

from pyfax.delivery.report import AttemptRecord

__all__ = ["ListNotifier", "Notice", "NoticeKind", "Notifier", "PrintNotifier", "delivered_notice",
           "failed_notice", "rejected_notice"]


class NoticeKind(enum.StrEnum):
    """What a notice reports."""

    FAILED = "failed"
    DELIVERED = "delivered"


@dataclass(frozen=True)
class Notice:
    """A message to the sender about one fax recipient.

    Attributes:
        kind: ``"failed"`` or ``"delivered"``.
        e164: the number (or, for an address that could not be used, the entry).
        attempts: the attempts made (none for an invalid number).
        text: the ready-made human message.
        subject: the subject of the fax message.
        sender: the sender of the fax message.
    """

    kind: NoticeKind
    e164: str
    attempts: tuple[AttemptRecord, ...]
    text: str
    subject: str = ""
    sender: str = ""


class Notifier(Protocol):
    """Anything that can pass a notice on to the sender."""

    def notify(self, notice: Notice) -> None:
        """Deliver ``notice`` (by mail, a queue, a log ...)."""


@dataclass
class ListNotifier:
    """A notifier that keeps every notice in ``notices`` (tests, the CLI)."""

    notices: list[Notice] = field(default_factory=list)

    def notify(self, notice: Notice) -> None:
        """Append ``notice``."""
        self.notices.append(notice)


@dataclass
class PrintNotifier:
    """A notifier that prints each notice as a mail-like block to a text stream."""

    stream: TextIO

    def notify(self, notice: Notice) -> None:
        """Print ``notice``."""
        self.stream.write(f"--- notice ({notice.kind}) for {notice.e164} ---\n")
        self.stream.write(notice.text + "\n\n")
        self.stream.flush()


_CHECKS = (
    "- that the number is a fax number, written in international form, e.g. "
    "<3222345678@fax> (country code, no leading 0, no +);",
    "- that the recipient's fax machine is switched on and connected to the line;",
    "- that it has paper, and that its memory is not full;",
    "- that the line does not go through a voice menu or an answering machine.",
)


def _when(time_s: float) -> str:
    stamp = dt.datetime.fromtimestamp(time_s, tz=dt.UTC)
    return stamp.strftime("%Y-%m-%d %H:%M:%S UTC")


def _attempt_lines(attempts: Sequence[AttemptRecord]) -> list[str]:
    lines = []
    for a in attempts:
        lines.append(f"  attempt {a.number} at {_when(a.time_s)}: {a.text} ({a.code})")
    return lines


def failed_notice(e164: str, attempts: Sequence[AttemptRecord], *, subject: str = "",
                  sender: str = "", final_reason: str = "") -> Notice:
    """The bounce for a fax that could not be delivered.

    Args:
        e164: the number dialled.
        attempts: every attempt made, in order.
        subject: the message's subject, quoted in the notice.
        sender: the message's sender.
        final_reason: why no further attempt was made, when not the count.
    """
    n = len(attempts)
    why = final_reason or (f"{n} attempt{'s' if n != 1 else ''} failed")
    lines = [
        f"Your fax to {e164} could not be delivered.",
        "",
        f"Subject: {subject}" if subject else "Subject: (none)",
        f"Reason: {why}.",
        "",
        "Attempts:",
        *_attempt_lines(attempts),
        "",
        "Nothing was charged for the attempts that did not deliver the fax.",
        "Please check:",
        *_CHECKS,
    ]
    return Notice(NoticeKind.FAILED, e164, tuple(attempts), "\n".join(lines), subject, sender)


def rejected_notice(entry: str, reason: str, suggestion: str = "", *, subject: str = "",
                    sender: str = "") -> Notice:
    """The notice for an address that was not dialled because it cannot be used."""
    lines = [
        f"Your fax to {entry} was not sent: the address cannot be used.",
        "",
        f"Subject: {subject}" if subject else "Subject: (none)",
        f"Reason: {reason}.",
    ]
    if suggestion:
        lines.append(f"Suggestion: {suggestion}")
    lines += ["", "The number was not dialled and nothing was charged.",
              "Fax addresses are written <country code and number@fax>, e.g. <3222345678@fax>."]
    return Notice(NoticeKind.FAILED, entry, (), "\n".join(lines), subject, sender)


def delivered_notice(e164: str, attempts: Sequence[AttemptRecord], *, subject: str = "",
                     sender: str = "", currency: str = "EUR") -> Notice:
    """The confirmation that a fax was delivered (MCF after EOP)."""
    last = attempts[-1]
    lines = [
        f"Your fax to {e164} was delivered.",
        "",
        f"Subject: {subject}" if subject else "Subject: (none)",
        f"Pages: {last.pages}, confirmed by the receiving machine "
        f"({last.remote_csi or 'no identity given'}).",
        f"Line time: {last.line_time_s:.1f} s at {last.bit_rate} bit/s"
        f"{', ECM' if last.ecm else ''}; charged {last.cost} {currency}.",
        f"Attempts: {len(attempts)}.",
        *_attempt_lines(attempts),
    ]
    return Notice(NoticeKind.DELIVERED, e164, tuple(attempts), "\n".join(lines), subject, sender)
