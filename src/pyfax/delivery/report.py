"""What ``send()`` hands back: one report per fax recipient, and the e-mails.

Each attempt is recorded with its time, result code and reason; the final
status is the truth of the last attempt: ``"delivered"`` only when the
receiver confirmed the last page (MCF after EOP, T.30 clause 5.3.6.1.7).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal

__all__ = ["AttemptRecord", "DeliveryReport", "JobState", "RecipientReport", "Rejected",
           "SendReport", "Status"]


class JobState(enum.StrEnum):
    """Where a job is in its life (as stored in the job store)."""

    QUEUED = "queued"
    DIALLING = "dialling"
    RETRYING = "retrying"
    DONE = "done"
    FAILED = "failed"


class Status(enum.StrEnum):
    """The outcome of a fax recipient, as the user sees it."""

    DELIVERED = "delivered"
    FAILED = "failed"
    PENDING = "pending"


@dataclass(frozen=True)
class AttemptRecord:
    """One dialling attempt.

    Attributes:
        number: 1-based attempt number.
        time_s: when it started (clock seconds).
        code: the result code name (``BUSY``, ``NO_ANSWER``, a T.30 code, ...).
        text: the reason in words.
        retryable: whether another attempt may succeed.
        pages: pages the receiver confirmed.
        line_time_s: measured line time of the call (0 when never answered).
        bit_rate: the negotiated image bit rate in bit/s (0 when none).
        ecm: whether error correction mode was used.
        remote_csi: the receiver's identity (CSI), as it sent it.
        cost: what this attempt was charged.
        modems: the modems offered on this attempt.
    """

    number: int
    time_s: float
    code: str
    text: str
    retryable: bool = False
    pages: int = 0
    line_time_s: float = 0.0
    bit_rate: int = 0
    ecm: bool = False
    remote_csi: str = ""
    cost: Decimal = Decimal("0")
    modems: tuple[str, ...] = ()

    @property
    def delivered(self) -> bool:
        """True when this attempt delivered the whole document."""
        return self.code == "OK"


@dataclass(frozen=True)
class RecipientReport:
    """The delivery report of one fax recipient.

    Attributes:
        e164: the number dialled, e.g. ``"+3222345678"``.
        status: ``"delivered"``, ``"failed"`` or (for queued jobs) ``"pending"``.
        attempts: every attempt, in order.
        pages: pages confirmed by the receiver on the delivering attempt.
        line_time_s: line time of the delivering (or last answered) attempt.
        bit_rate: bit rate of that attempt, bit/s.
        ecm: whether that attempt used ECM.
        remote_csi: the receiver's identity.
        cost: the total charged for this recipient.
        currency: ISO 4217 code of ``cost``.
        job_id: the job in the store (for ``pyfax status``).
        name: the display name given with the address.
        field: ``"to"``, ``"cc"`` or ``"bcc"``.
    """

    e164: str
    status: Status
    attempts: tuple[AttemptRecord, ...]
    pages: int
    line_time_s: float
    bit_rate: int
    ecm: bool
    remote_csi: str
    cost: Decimal
    currency: str
    job_id: int
    name: str = ""
    field: str = "to"

    @property
    def delivered(self) -> bool:
        """True when the receiver confirmed every page."""
        return self.status is Status.DELIVERED


DeliveryReport = RecipientReport
"""The issue's name for the per-recipient report."""


@dataclass(frozen=True)
class Rejected:
    """An address that was not dialled, and why."""

    entry: str
    field: str
    reason: str
    suggestion: str = ""


@dataclass(frozen=True)
class SendReport:
    """What one ``send()`` did.

    Attributes:
        email: the e-mail recipients, handed back untouched.
        recipients: one report per fax recipient, in address order.
        rejected: addresses that were not dialled (invalid numbers).
        warnings: address warnings (e.g. a mobile number).
        message_id: the message in the job store.
        n_pages: pages in the composed document.
    """

    email: list[str]
    recipients: list[RecipientReport]
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    message_id: int = 0
    n_pages: int = 0

    @property
    def all_delivered(self) -> bool:
        """True when every fax recipient was delivered and no address was rejected."""
        return not self.rejected and all(r.delivered for r in self.recipients)

    @property
    def total_cost(self) -> Decimal:
        """The sum charged over every recipient."""
        return sum((r.cost for r in self.recipients), Decimal("0"))
