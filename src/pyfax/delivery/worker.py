"""The job runner: claim a due job, run one attempt, decide what comes next.

Each attempt follows the billing flow of the issue: hold the quote under the
idempotency key ``job-<id>/attempt-<n>``, dial and run T.30, then settle the
hold to the cost of the measured line time when the receiver confirmed the
last page (MCF after EOP), or release it otherwise, so an attempt that did
not deliver is never charged. A failed attempt is retried on the job's
schedule when its cause is retryable; after a training or ECM failure the
next attempt offers less (V.17 dropped, or ECM off). After the last attempt,
or at once for a cause no retry can fix, the sender gets one notice.

A job found ``dialling`` under an expired lease belonged to a worker that
died: its open attempt is closed as ``INTERRUPTED`` (its hold released), and
the job goes on. The post-attempt step is idempotent, so a crash between
recording an outcome and settling it is resumed, not repeated.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from pyfax.billing import Ledger, TariffTable
from pyfax.delivery import _billing
from pyfax.delivery._calls import CallOutcome, CallWatch, make_terminal, run_call
from pyfax.delivery._pages import StoredPage
from pyfax.delivery.clock import Clock
from pyfax.delivery.notices import Notifier, delivered_notice, failed_notice
from pyfax.delivery.policy import delay_before_s
from pyfax.delivery.report import AttemptRecord, JobState
from pyfax.delivery.store import Job, JobStore, StoredMessage
from pyfax.errors import DeliveryError, InsufficientCredit, LineError
from pyfax.lines.base import Backend

__all__ = ["Worker", "lower_offer"]

DEFAULT_LEASE_S = 60.0
log = logging.getLogger(__name__)


class _LeaseLost(DeliveryError):
    """Another worker took the job while this one was still calling."""


def lower_offer(modems: Sequence[str], ecm: bool, *,
                ecm_failed: bool) -> tuple[tuple[str, ...], bool]:
    """What to offer after a training or ECM failure: one step lower.

    >>> lower_offer(("v17", "v29", "v27ter"), True, ecm_failed=False)
    (('v29', 'v27ter'), True)
    >>> lower_offer(("v17", "v29"), True, ecm_failed=True)
    (('v17', 'v29'), False)
    """
    if ecm_failed and ecm:
        return tuple(modems), False
    if len(modems) > 1:
        return tuple(modems[1:]), ecm
    return tuple(modems), False


@dataclass
class Worker:
    """Runs due jobs from a store, one attempt at a time.

    Attributes:
        store: the job store.
        ledger: the billing ledger (``pyfax.billing.Ledger``).
        backend: the telephony backend to dial through.
        clock: the clock for schedules and leases.
        notifier: receives the final notices (None: none are sent).
        notify_delivered: also notify successful deliveries.
        lease_s: how long a claim lasts without renewal.
        worker_id: the owner name written into leases.
        on_progress: called about once per second of line time.
        tariffs: the tariff table for quotes and costs.
        terminal_factory: makes the sending T.30 terminal (tests inject fakes).
    """

    store: JobStore
    ledger: Ledger
    backend: Backend
    clock: Clock
    notifier: Notifier | None = None
    notify_delivered: bool = False
    lease_s: float = DEFAULT_LEASE_S
    worker_id: str = ""
    on_progress: Callable[[CallWatch], None] | None = None
    tariffs: TariffTable = field(default_factory=TariffTable.default)
    terminal_factory: Callable[..., Any] = make_terminal

    def __post_init__(self) -> None:
        if not self.worker_id:
            self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"

    def run_once(self, message_ids: Sequence[int] | None = None) -> Job | None:
        """Claim one due job and run it one step; the job, or None when none was due."""
        job = self.store.claim(self.worker_id, now_s=self.clock.now(), lease_s=self.lease_s,
                               message_ids=message_ids)
        if job is None:
            return None
        message = self.store.message(job.message_id)
        if not self._recover(job, message):
            self._attempt(job, message)
        return self.store.job(job.id)

    def run_until_idle(self, message_ids: Sequence[int] | None = None, *,
                       wait: bool = True) -> None:
        """Run jobs until none is open (``wait``) or none is due now (not ``wait``)."""
        while True:
            if self.run_once(message_ids) is not None:
                continue
            due_s = self.store.next_due_s(message_ids)
            if due_s is None or not wait:
                return
            self.clock.sleep(max(due_s - self.clock.now(), 1e-6))

    # --- recovery ----------------------------------------------------------------

    def _recover(self, job: Job, message: StoredMessage) -> bool:
        """Close what a dead worker left; True when there was something to close."""
        open_ns = self.store.open_attempts(job.id)
        if open_ns:
            attempts = self.store.attempts(job.id)
            for n in open_ns:
                started = attempts[n - 1]
                record = replace(started, code="INTERRUPTED", retryable=True,
                                 text="the sending process stopped during the call, "
                                      "so the fax was not confirmed")
                self.store.finish_attempt(job.id, record, now_s=self.clock.now())
                _billing.release(self.ledger, message.account, _reference(job.id, n))
            self._conclude(job, message, record, retry_now=True)
            return True
        if job.state is JobState.DIALLING and job.attempts_made:
            last = self.store.attempts(job.id)[-1]
            self._conclude(job, message, last, retry_now=True)
            return True
        if job.attempts_made >= job.max_attempts:
            self._conclude(job, message, self.store.attempts(job.id)[-1])
            return True
        return False

    # --- one attempt ---------------------------------------------------------------

    def _attempt(self, job: Job, message: StoredMessage) -> None:
        pages = self.store.pages(job.message_id)
        n = self.store.start_attempt(job.id, modems=job.modems, now_s=self.clock.now())
        started_s = self.clock.now()
        if not self._hold(job, message, n, started_s, pages):
            return
        try:
            outcome = self._call(job, message, n, pages)
        except _LeaseLost:
            log.warning("job %d attempt %d: lease lost to another worker; call abandoned",
                        job.id, n)
            return  # the worker that took the job closes this attempt as interrupted
        record = _record(n, started_s, outcome, job)
        if outcome.delivered:
            record = replace(record, cost=_billing.call_cost(
                self.ledger, self.tariffs, message.account, job.e164, outcome.line_time_s))
        self.store.finish_attempt(job.id, record, now_s=self.clock.now())
        self._conclude(job, message, record, outcome=outcome)

    def _hold(self, job: Job, message: StoredMessage, n: int, started_s: float,
              pages: Sequence[StoredPage]) -> bool:
        """Hold the quote for attempt ``n``; on too little credit, end the job."""
        amount = _billing.quote_amount(self.ledger, self.tariffs, message.account, job.e164,
                                       pages)
        try:
            _billing.hold(self.ledger, message.account, amount, _reference(job.id, n))
        except InsufficientCredit as exc:
            record = AttemptRecord(n, started_s, "INSUFFICIENT_CREDIT",
                                   f"not enough credit for this call ({exc})", modems=job.modems)
            self.store.finish_attempt(job.id, record, now_s=self.clock.now())
            self._conclude(job, message, record)
            return False
        return True

    def _call(self, job: Job, message: StoredMessage, n: int,
              pages: Sequence[StoredPage]) -> CallOutcome:
        """Dial and run T.30; a backend failure is a retryable outcome, not a crash."""
        def new_terminal() -> Any:
            return self.terminal_factory(pages, ident=message.ident, ecm=job.ecm,
                                         modems=job.modems)

        try:
            outcome = run_call(self.backend, job.e164, new_terminal,
                               on_block=self._ticker(job, n, len(pages)))
        except LineError as exc:
            log.warning("job %d attempt %d: line error: %s", job.id, n, exc)
            outcome = CallOutcome("LINE_ERROR", f"the line could not be used: {exc}",
                                  retryable=True)
        log.info("job %d attempt %d to %s: %s (%s), %.1f s of line", job.id, n, job.e164,
                 outcome.code, outcome.text, outcome.line_time_s)
        return outcome

    def _ticker(self, job: Job, n: int, n_pages: int) -> Callable[[Any, Any, float], None]:
        """Renews the lease while the call runs (aborting if it was lost), reports progress."""
        last_renew = [self.clock.now()]

        def tick(terminal: Any, call: Any, line_time_s: float) -> None:
            now_s = self.clock.now()
            if now_s - last_renew[0] > self.lease_s / 4:
                if not self.store.renew(job.id, self.worker_id, now_s=now_s,
                                        lease_s=self.lease_s):
                    raise _LeaseLost
                last_renew[0] = now_s
            if self.on_progress is not None:
                self.on_progress(CallWatch(job.e164, n, line_time_s, n_pages, terminal, call))
        return tick

    # --- after an attempt (idempotent) -------------------------------------------------

    def _conclude(self, job: Job, message: StoredMessage, record: AttemptRecord, *,
                  outcome: CallOutcome | None = None, retry_now: bool = False) -> None:
        reference = _reference(job.id, record.number)
        if record.delivered:
            _billing.settle(self.ledger, message.account, reference, record.cost)
            self.store.finish(job.id, JobState.DONE, "delivered")
            if self.notify_delivered:
                self._notify(job, message, delivered=True)
            return
        _billing.release(self.ledger, message.account, reference)
        job = self.store.job(job.id)
        if record.retryable and job.attempts_made < job.max_attempts:
            modems, ecm = job.modems, job.ecm
            if outcome is not None and outcome.start_lower:
                modems, ecm = lower_offer(modems, ecm, ecm_failed=outcome.lower_ecm)
            delay_s = 0.0 if retry_now else delay_before_s(job.delays_s, job.attempts_made + 1)
            self.store.schedule(job.id, state=JobState.RETRYING,
                                next_due_s=self.clock.now() + delay_s, modems=modems, ecm=ecm)
            return
        why = "" if record.retryable else f"{record.text}; another attempt cannot fix this"
        self.store.finish(job.id, JobState.FAILED, why or record.text)
        self._notify(job, message, delivered=False, final_reason=why)

    def _notify(self, job: Job, message: StoredMessage, *, delivered: bool,
                final_reason: str = "") -> None:
        if self.notifier is None or not self.store.mark_notified(job.id):
            return
        attempts = self.store.attempts(job.id)
        if delivered:
            notice = delivered_notice(job.e164, attempts, subject=message.subject,
                                      sender=message.sender,
                                      currency=_billing.currency(self.ledger, message.account))
        else:
            notice = failed_notice(job.e164, attempts, subject=message.subject,
                                   sender=message.sender, final_reason=final_reason)
        self.notifier.notify(notice)


def _reference(job_id: int, attempt: int) -> str:
    return f"job-{job_id}/attempt-{attempt}"


def _record(n: int, started_s: float, outcome: CallOutcome, job: Job) -> AttemptRecord:
    return AttemptRecord(
        number=n, time_s=started_s, code=outcome.code, text=outcome.text,
        retryable=outcome.retryable, pages=outcome.pages,
        line_time_s=outcome.line_time_s, bit_rate=outcome.bit_rate, ecm=outcome.ecm,
        remote_csi=outcome.remote_csi, cost=Decimal("0"), modems=job.modems)
