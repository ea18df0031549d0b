"""Delivery: ``send()``, retries and notices, the durable job store, the worker.

The one layer that joins telephony backends (:mod:`pyfax.lines`), the T.30
terminal, composition, addressing and billing (ARCHITECTURE.md)::

    report = send(msg, account="alice", ledger=Ledger("credit.db"),
                  backend=LoopbackBackend(), store=JobStore("jobs.db"),
                  notifier=notifier, retry=RetryPolicy(attempts=3, delays_s=(120, 300)),
                  clock=FakeClock())
"""

from pyfax.delivery.clock import Clock, FakeClock, SystemClock
from pyfax.delivery.message import Message
from pyfax.delivery.notices import ListNotifier, Notice, NoticeKind, Notifier, PrintNotifier
from pyfax.delivery.policy import RetryPolicy
from pyfax.delivery.report import (
    AttemptRecord,
    DeliveryReport,
    JobState,
    RecipientReport,
    Rejected,
    SendReport,
    Status,
)
from pyfax.delivery.send import SendOptions, build_report, send
from pyfax.delivery.store import Job, JobStore
from pyfax.delivery.worker import Worker

__all__ = [
    "AttemptRecord",
    "Clock",
    "DeliveryReport",
    "FakeClock",
    "Job",
    "JobState",
    "JobStore",
    "ListNotifier",
    "Message",
    "Notice",
    "NoticeKind",
    "Notifier",
    "PrintNotifier",
    "RecipientReport",
    "Rejected",
    "RetryPolicy",
    "SendOptions",
    "SendReport",
    "Status",
    "SystemClock",
    "Worker",
    "build_report",
    "send",
]
