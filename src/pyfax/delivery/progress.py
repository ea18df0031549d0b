"""Progress of a running call, for people: a live line on a terminal, plain lines otherwise.

The worker calls the printer about once per second of line time with a
:class:`~pyfax.delivery._calls.CallWatch`. The figures come from the T.30
terminal's :attr:`~pyfax.t30.Terminal.progress` snapshot: the phase, page n of
N, the octets of the page's coded data sent and in all, and the bit rate.
The ETA is the rest of this page at that rate, plus the pages after it
counted at this page's size (marked ``~`` while later pages remain, since
their size is not known yet). A terminal without ``progress`` shows only the
line time. On a TTY the line is redrawn in place, with a bar of the pages
done; elsewhere one plain line is printed every ``plain_every_s`` seconds of
line time, so logs stay short.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, TextIO

from pyfax.delivery._calls import CallWatch

__all__ = ["ProgressPrinter", "Snapshot", "snapshot"]


@dataclass(frozen=True)
class Snapshot:
    """What is known about a running call."""

    e164: str
    attempt: int
    line_time_s: float
    page: int | None
    pages: int
    bytes_sent: int | None
    bytes_total: int | None
    bit_rate: int | None
    phase: str | None = None
    """The T.30 phase in words (e.g. "pre-message procedure"), shown until page data flows."""

    @property
    def eta_s(self) -> float | None:
        """Seconds of page data left: this page's remaining octets, then the later
        pages at this page's size, at the current rate (None until all are known)."""
        if self.bytes_sent is None or not self.bytes_total or not self.bit_rate \
                or self.page is None:
            return None
        left_octets = max(0, self.bytes_total - self.bytes_sent)
        left_octets += max(0, self.pages - self.page) * self.bytes_total
        return left_octets * 8 / self.bit_rate

    def line(self) -> str:
        """One human line, e.g. ``+32... attempt 1  line 12 s  page 2/3  30/90 kB
        14400 bit/s  ETA ~83 s``."""
        parts = [f"{self.e164} attempt {self.attempt}", f"line {self.line_time_s:5.0f} s"]
        if self.phase is not None and not self.bytes_total:  # before the page data
            parts.append(self.phase)
        if self.page:
            parts.append(f"page {self.page}/{self.pages}")
        if self.bytes_sent is not None and self.bytes_total:
            parts.append(f"{self.bytes_sent / 1000:.1f}/{self.bytes_total / 1000:.1f} kB")
        if self.bit_rate:
            parts.append(f"{self.bit_rate} bit/s")
        eta = self.eta_s
        if eta is not None:
            parts.append(f"ETA {'~' if self.page and self.page < self.pages else ''}{eta:.0f} s")
        return "  ".join(parts)

    @property
    def done_fraction(self) -> float | None:
        """Share of the document sent: whole pages before this one, plus this page's
        share of its octets (None when the terminal does not say)."""
        if not self.page or not self.pages:
            return None
        page_share = 0.0
        if self.bytes_sent is not None and self.bytes_total:
            page_share = min(1.0, self.bytes_sent / self.bytes_total)
        return min(1.0, (self.page - 1 + page_share) / self.pages)


def _int_or_none(obj: Any, name: str) -> int | None:
    value = getattr(obj, name, None)
    return None if value is None else int(value)


def snapshot(watch: CallWatch) -> Snapshot:
    """Read what the terminal reports about its progress."""
    prog = getattr(watch.terminal, "progress", None)
    phase = getattr(prog, "phase", None)
    return Snapshot(
        e164=watch.e164, attempt=watch.attempt, line_time_s=watch.line_time_s,
        page=_int_or_none(prog, "page"),
        pages=_int_or_none(prog, "pages") or watch.n_pages,
        bytes_sent=_int_or_none(prog, "bytes_sent"),
        bytes_total=_int_or_none(prog, "bytes_total"),
        bit_rate=_int_or_none(prog, "bit_rate"),
        phase=None if phase is None else str(getattr(phase, "value", phase)))


def _bar(snap: Snapshot, width: int = 20) -> str:
    """A bar of the document sent, e.g. ``[######--------------] ``."""
    done = snap.done_fraction
    if done is None:
        return ""
    filled = round(done * width)
    return "[" + "#" * filled + "-" * (width - filled) + "] "


class ProgressPrinter:
    """Prints call progress: redrawn in place on a TTY, plain lines otherwise.

    Args:
        stream: where to print (default ``sys.stderr``).
        tty: force TTY mode on or off (default: ask the stream).
        plain_every_s: seconds of line time between plain lines; a plain line is
            also printed when a new page starts, and the last figures when the
            call ends (:meth:`done`).
    """

    def __init__(self, stream: TextIO | None = None, *, tty: bool | None = None,
                 plain_every_s: float = 10.0) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.plain_every_s = plain_every_s
        self._next_plain_s = 0.0
        self._drawn = False
        self._key: tuple[str, int] | None = None
        self._plain_page: int | None = None
        self._unprinted: str | None = None  # plain mode: the latest line not yet printed

    def __call__(self, watch: CallWatch) -> None:
        """Show the call's progress."""
        key = (watch.e164, watch.attempt)
        if key != self._key:  # a new call
            if self._key is not None:
                self.done()
            self._key = key
        snap = snapshot(watch)
        text = snap.line()
        if self.tty:
            self.stream.write("\r\x1b[2K" + _bar(snap) + text)
            self._drawn = True
        elif watch.line_time_s >= self._next_plain_s or snap.page != self._plain_page:
            self.stream.write(text + "\n")
            self._next_plain_s = watch.line_time_s + self.plain_every_s
            self._plain_page, self._unprinted = snap.page, None
        else:
            self._unprinted = text
        self.stream.flush()

    def done(self) -> None:
        """End the live line, or print the last plain line (call after the call)."""
        if self._drawn:
            self.stream.write("\n")
            self._drawn = False
        if self._unprinted is not None:
            self.stream.write(self._unprinted + "\n")
            self._unprinted = None
        self.stream.flush()
        self._next_plain_s = 0.0
        self._plain_page = None
