"""Progress of a running call, for people: a live line on a terminal, plain lines otherwise.

The worker calls the printer about once per second of line time with a
:class:`~pyfax.delivery._calls.CallWatch`. What is shown comes from the
terminal when it reports it (``terminal.progress`` with ``page``, ``pages``,
``bytes_sent``, ``bytes_total`` and ``bit_rate``); the ETA is then the
remaining bytes at the current rate. Without it, a call that reports the
pages the far end holds (the loopback remote's ``received_pages``) gives the
page number, and the ETA is the line time per finished page (after the call
set-up the tariffs assume, ``SETUP_S``) times the pages left (``ETA ~``).
On a TTY the line is redrawn in place; elsewhere one plain line is printed
every ``plain_every_s`` seconds of line time, so logs stay short.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, TextIO

from pyfax.billing import SETUP_S
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
    pages_done: int | None = None

    @property
    def eta_s(self) -> float | None:
        """Seconds left: remaining bytes at the current rate, or pages at the pace so far."""
        if self.bytes_sent is not None and self.bytes_total and self.bit_rate:
            return max(0, self.bytes_total - self.bytes_sent) * 8 / self.bit_rate
        if self.pages_done:
            pace_s = max(self.line_time_s - SETUP_S, 1.0) / self.pages_done
            return pace_s * max(0, self.pages - self.pages_done)
        return None

    def line(self) -> str:
        """One human line, e.g. ``+32... try 1  page 2/3  41 kB/88 kB  14400 bit/s  ETA 26 s``."""
        parts = [f"{self.e164} attempt {self.attempt}", f"line {self.line_time_s:5.0f} s"]
        if self.page is not None:
            parts.append(f"page {self.page}/{self.pages}")
        if self.bytes_sent is not None:
            total = f"/{self.bytes_total / 1000:.0f} kB" if self.bytes_total else ""
            parts.append(f"{self.bytes_sent / 1000:.0f} kB{total}")
        if self.bit_rate:
            parts.append(f"{self.bit_rate} bit/s")
        eta = self.eta_s
        if eta is not None:
            parts.append(f"ETA {'' if self.bytes_total else '~'}{eta:.0f} s")
        return "  ".join(parts)


def _int_or_none(obj: Any, name: str) -> int | None:
    value = getattr(obj, name, None)
    return None if value is None else int(value)


def snapshot(watch: CallWatch) -> Snapshot:
    """Read what the terminal reports about its progress."""
    prog = getattr(watch.terminal, "progress", None)
    page = _int_or_none(prog, "page")
    held = getattr(watch.call, "received_pages", None)
    pages_done = None if held is None else len(held)
    if page is None and pages_done is not None:
        page = min(pages_done + 1, watch.n_pages)
    return Snapshot(
        e164=watch.e164, attempt=watch.attempt, line_time_s=watch.line_time_s,
        page=page, pages_done=pages_done,
        pages=_int_or_none(prog, "pages") or watch.n_pages,
        bytes_sent=_int_or_none(prog, "bytes_sent"),
        bytes_total=_int_or_none(prog, "bytes_total"),
        bit_rate=_int_or_none(prog, "bit_rate"))


def _bar(snap: Snapshot, width: int = 20) -> str:
    """A bar of the pages done (or bytes sent), e.g. ``[######--------------] ``."""
    if snap.bytes_total and snap.bytes_sent is not None:
        done = snap.bytes_sent / snap.bytes_total
    elif snap.pages_done is not None and snap.pages:
        done = snap.pages_done / snap.pages
    else:
        return ""
    filled = round(max(0.0, min(1.0, done)) * width)
    return "[" + "#" * filled + "-" * (width - filled) + "] "


class ProgressPrinter:
    """Prints call progress: redrawn in place on a TTY, plain lines otherwise.

    Args:
        stream: where to print (default ``sys.stderr``).
        tty: force TTY mode on or off (default: ask the stream).
        plain_every_s: seconds of line time between plain lines.
    """

    def __init__(self, stream: TextIO | None = None, *, tty: bool | None = None,
                 plain_every_s: float = 10.0) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.plain_every_s = plain_every_s
        self._next_plain_s = 0.0
        self._drawn = False
        self._key: tuple[str, int] | None = None

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
        elif watch.line_time_s >= self._next_plain_s:
            self.stream.write(text + "\n")
            self._next_plain_s = watch.line_time_s + self.plain_every_s
        self.stream.flush()

    def done(self) -> None:
        """End the live line (call after the call)."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
        self._next_plain_s = 0.0
