"""The retry policy: how many attempts, and how long to wait between them.

The default follows the issue: 3 attempts in all, waiting 2 minutes before
the second and 5 minutes before the third. When a schedule is shorter than
the number of waits, its last delay repeats.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pyfax.errors import DeliveryError

__all__ = ["RetryPolicy"]


@dataclass(frozen=True)
class RetryPolicy:
    """Attempts per fax recipient and the waits between them.

    Attributes:
        attempts: the number of attempts in all (the first one included).
        delays_s: the wait before attempt 2, 3, ...; the last one repeats.
    """

    attempts: int = 3
    delays_s: tuple[float, ...] = (120.0, 300.0)

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise DeliveryError(f"RetryPolicy.attempts must be >= 1, not {self.attempts}")
        if any(d < 0 for d in self.delays_s):
            raise DeliveryError(f"RetryPolicy.delays_s must not be negative: {self.delays_s}")

    def delay_before_s(self, attempt: int) -> float:
        """The wait before 1-based ``attempt`` (0 before the first).

        >>> RetryPolicy().delay_before_s(3)
        300.0
        """
        return delay_before_s(self.delays_s, attempt)


def delay_before_s(delays_s: Sequence[float], attempt: int) -> float:
    """The wait before 1-based ``attempt`` on the schedule ``delays_s`` (last one repeats).

    The worker reads the schedule stored with a job, not a :class:`RetryPolicy`.

    >>> delay_before_s((120.0, 300.0), 4)
    300.0
    """
    if attempt <= 1 or not delays_s:
        return 0.0
    return float(delays_s[min(attempt - 2, len(delays_s) - 1)])
