"""Clocks for the delivery layer: the real one and a fake one for tests.

A clock is any object with ``now()`` (seconds, float) and ``sleep(seconds)``.
``send()`` waits between attempts on the clock it is given, so tests pass a
:class:`FakeClock` whose ``sleep`` only moves time forward, and a retry
schedule of minutes runs in microseconds.
"""

from __future__ import annotations

import time
from typing import Protocol

__all__ = ["Clock", "FakeClock", "SystemClock"]


class Clock(Protocol):
    """What the delivery layer needs from a clock."""

    def now(self) -> float:
        """Seconds since an arbitrary epoch (Unix time for the real clock)."""

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` (a fake clock only advances its time)."""


class SystemClock:
    """The real clock: Unix time and ``time.sleep``."""

    def now(self) -> float:
        """Unix time in seconds."""
        return time.time()

    def sleep(self, seconds: float) -> None:
        """Sleep for ``seconds`` (nothing when zero or negative)."""
        if seconds > 0:
            time.sleep(seconds)


class FakeClock:
    """A clock whose ``sleep`` only moves time forward.

    >>> clock = FakeClock(start_s=100.0)
    >>> clock.sleep(120); clock.now()
    220.0
    """

    def __init__(self, start_s: float = 1_800_000_000.0) -> None:
        self._now_s = float(start_s)
        self.slept_s: list[float] = []

    def now(self) -> float:
        """The fake time in seconds."""
        return self._now_s

    def sleep(self, seconds: float) -> None:
        """Advance the fake time by ``seconds`` (recorded in ``slept_s``)."""
        if seconds > 0:
            self._now_s += seconds
        self.slept_s.append(max(0.0, float(seconds)))

    def advance(self, seconds: float) -> None:
        """Advance the fake time without recording a sleep."""
        self._now_s += max(0.0, seconds)
