"""``send()``: from a message to delivered faxes, with retries and notices.

The flow of issue 7: parse the recipients (e-mail addresses are handed back
untouched; unusable fax numbers are notified at once and never dialled),
compose the document once (so every attempt carries the same header line,
identity and page numbering), check the credit (the 10 EUR minimum), and
queue one job per fax recipient in the job store. With ``wait=True`` (the
default) the jobs then run in-process on the given clock until each is
delivered or has failed for good; with ``wait=False`` a worker runs them.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from pyfax.addressing import FaxRecipient, Recipients, parse_recipients
from pyfax.billing import Ledger, TariffTable
from pyfax.compose import HeaderLine, Paper, Resolution, compose
from pyfax.delivery._calls import CallWatch
from pyfax.delivery._pages import StoredPage, as_stored
from pyfax.delivery.clock import Clock, SystemClock
from pyfax.delivery.message import Message
from pyfax.delivery.notices import Notifier, rejected_notice
from pyfax.delivery.policy import RetryPolicy
from pyfax.delivery.report import (
    AttemptRecord,
    JobState,
    RecipientReport,
    Rejected,
    SendReport,
    Status,
)
from pyfax.delivery.store import JobStore
from pyfax.delivery.worker import Worker
from pyfax.errors import DeliveryError
from pyfax.lines.base import Backend

__all__ = ["SendOptions", "build_report", "compose_pages", "send"]

DEFAULT_MODEMS = ("v17", "v29", "v27ter")
_IDENT = re.compile(r"[0-9+ ]{0,20}")


@dataclass(frozen=True)
class SendOptions:
    """How to compose and offer the fax.

    Attributes:
        resolution: ``"standard"``, ``"fine"``, ``"superfine"``...
        paper: ``"a4"``, ``"letter"``, ``"b4"``, ``"a3"``.
        header: print the header line on every page.
        ident: our TSI, digits, ``+`` and spaces (at most 20 characters).
        modems: the fast modems offered on the first attempt.
        ecm: offer error correction mode on the first attempt.
        notify_delivered: also send a notice for each delivered fax.
    """

    resolution: str = "fine"
    paper: str = "a4"
    header: bool = True
    ident: str = ""
    modems: tuple[str, ...] = DEFAULT_MODEMS
    ecm: bool = True
    notify_delivered: bool = False

    def __post_init__(self) -> None:
        if not _IDENT.fullmatch(self.ident):
            raise DeliveryError(f"fax identity {self.ident!r} must be at most 20 digits, "
                                "'+' and spaces (T.30 clause 5.3.6.2.4)")
        unknown = set(self.modems) - set(DEFAULT_MODEMS)
        if not self.modems or unknown:
            raise DeliveryError(f"modems must be among {DEFAULT_MODEMS}, not {self.modems}")
        try:
            Resolution.parse(self.resolution)
            Paper.parse(self.paper)
        except ValueError as exc:  # compose says which names it knows
            raise DeliveryError(str(exc)) from None


def send(msg: Message, *, account: str, ledger: Ledger, backend: Backend,
         store: JobStore | None = None, notifier: Notifier | None = None,
         retry: RetryPolicy | None = None, clock: Clock | None = None, wait: bool = True,
         options: SendOptions | None = None,
         on_progress: Callable[[CallWatch], None] | None = None,
         tariffs: TariffTable | None = None) -> SendReport:
    """Fax ``msg`` to its fax recipients and hand back its e-mail recipients.

    Args:
        msg: the message.
        account: the prepaid account that pays.
        ledger: the billing ledger.
        backend: the telephony backend to dial through.
        store: the job store (default: a private in-memory one).
        notifier: receives failure notices (and delivery notices if asked).
        retry: attempts and waits (default: 3 attempts, waits of 2 and 5 min).
        clock: the clock to wait on (default: the real one).
        wait: run the jobs to their end here; False only queues them.
        options: composition and negotiation options.
        on_progress: called about once per second of line time.
        tariffs: the tariff table (default: ``TariffTable.default()``).

    Returns:
        The report: ``.email`` untouched, ``.recipients`` one per fax number.

    Raises:
        InsufficientCredit: the account is below the minimum to send; nothing
            was dialled and the ledger is unchanged.
        ComposeError: an attachment or body cannot be turned into pages;
            nothing was dialled or charged.
        DeliveryError: ``wait=False`` without a job store.
    """
    if not wait and store is None:
        raise DeliveryError("send(wait=False) queues jobs for a worker: give it a JobStore file")
    clock = clock or SystemClock()
    store = store if store is not None else JobStore(":memory:")
    retry = retry or RetryPolicy()
    options = options or SendOptions()
    parsed = _parse(msg)
    rejected = [Rejected(p.entry, p.field, p.reason, p.suggestion or "") for p in parsed.errors]
    for r in rejected:
        if notifier is not None:
            notifier.notify(rejected_notice(r.entry, r.reason, r.suggestion,
                                            subject=msg.subject, sender=msg.sender))
    email = list(parsed.email)
    warnings = [f"{w.entry}: {w.reason}" for w in parsed.warnings]
    if not parsed.fax:
        return SendReport(email, [], rejected, warnings)
    pages = compose_pages(msg, parsed.fax, options)
    ledger.check_can_send(account)
    message_id = _queue(store, msg, account, pages, parsed.fax, retry, options, clock)
    if wait:
        worker = Worker(store=store, ledger=ledger, backend=backend, clock=clock,
                        notifier=notifier, notify_delivered=options.notify_delivered,
                        on_progress=on_progress, tariffs=tariffs or TariffTable.default())
        worker.run_until_idle([message_id])
    return build_report(store, message_id, ledger, email=email, rejected=rejected,
                        warnings=warnings)


def _parse(msg: Message) -> Recipients:
    return parse_recipients(to=msg.to or None, cc=msg.cc or None, bcc=msg.bcc or None)


def compose_pages(msg: Message, fax: Sequence[FaxRecipient],
                  options: SendOptions) -> list[StoredPage]:
    """Compose the message once into the pages every attempt will send.

    The To line of page 1 names the fax recipients of To and Cc (never Bcc).
    """
    name, address = email.utils.parseaddr(msg.sender)
    visible = [r.name or r.e164 for r in fax if r.field != "bcc"]
    line = HeaderLine(sender_name=name or address, sender_number=options.ident)
    doc = compose(msg.body, list(msg.attachments), resolution=options.resolution,
                  paper=options.paper, header=options.header, subject=msg.subject or None,
                  sender=msg.sender or None, to=", ".join(visible) or None, header_line=line)
    return [as_stored(p) for p in doc.pages]


def _queue(store: JobStore, msg: Message, account: str, pages: Sequence[StoredPage],
           fax: Sequence[FaxRecipient], retry: RetryPolicy, options: SendOptions,
           clock: Clock) -> int:
    now_s = clock.now()
    message_id = store.add_message(account=account, sender=msg.sender, subject=msg.subject,
                                   ident=options.ident, pages=pages, now_s=now_s)
    for r in fax:
        store.add_job(message_id, e164=r.e164, name=r.name or "",
                      field=str(r.field), max_attempts=retry.attempts,
                      delays_s=retry.delays_s, modems=options.modems, ecm=options.ecm,
                      now_s=now_s)
    return message_id


def build_report(store: JobStore, message_id: int, ledger: Ledger, *,
                 email: list[str] | None = None,
                 rejected: list[Rejected] | None = None,
                 warnings: list[str] | None = None) -> SendReport:
    """The report of a stored message, as its jobs stand now."""
    account = store.message(message_id).account
    currency = ledger.account(account).currency
    recipients = []
    for job in store.jobs(message_id):
        attempts = tuple(store.attempts(job.id))
        status = {JobState.DONE: Status.DELIVERED,
                  JobState.FAILED: Status.FAILED}.get(job.state, Status.PENDING)
        best = _headline_attempt(attempts)
        recipients.append(RecipientReport(
            e164=job.e164, status=status, attempts=attempts,
            pages=best.pages if best else 0, line_time_s=best.line_time_s if best else 0.0,
            bit_rate=best.bit_rate if best else 0, ecm=best.ecm if best else False,
            remote_csi=best.remote_csi if best else "",
            cost=sum((a.cost for a in attempts), Decimal("0")), currency=currency,
            job_id=job.id, name=job.name, field=job.field))
    return SendReport(email or [], recipients, rejected or [], warnings or [],
                      message_id=message_id, n_pages=store.page_count(message_id))


def _headline_attempt(attempts: Sequence[AttemptRecord]) -> AttemptRecord | None:
    for a in reversed(attempts):
        if a.delivered:
            return a
    answered = [a for a in attempts if a.line_time_s > 0]
    return answered[-1] if answered else (attempts[-1] if attempts else None)
