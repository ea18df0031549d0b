"""A durable job store on embedded SQLite (WAL mode).

Every fax recipient of a message is one *job*. A job is ``queued``, then
``dialling`` while an attempt runs, ``retrying`` while it waits for its next
attempt, and finally ``done`` or ``failed``. Every attempt is recorded.

How several workers share one store: a worker *claims* a job in one
``BEGIN IMMEDIATE`` transaction, which sets a lease (owner and expiry time).
Only a job whose lease is free or expired can be claimed, so two workers
never take the same job. A worker that dies mid-call leaves an attempt with
no end and an expired lease; the next claim hands that attempt back as
*interrupted*, and the job goes on with its next attempt. Holds in the
ledger are keyed ``job-<id>/attempt-<n>``, so the interrupted attempt's
hold is found and released, and the charge stays single.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from os import PathLike

from pyfax.delivery._pages import StoredPage, pack_page, unpack_page
from pyfax.delivery.report import AttemptRecord, JobState
from pyfax.errors import DeliveryError

__all__ = ["Job", "JobStore", "StoredMessage"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY, account TEXT NOT NULL, sender TEXT NOT NULL,
    subject TEXT NOT NULL, ident TEXT NOT NULL, created_s REAL NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    message_id INTEGER NOT NULL, idx INTEGER NOT NULL, data BLOB NOT NULL,
    PRIMARY KEY (message_id, idx));
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY, message_id INTEGER NOT NULL, e164 TEXT NOT NULL,
    name TEXT NOT NULL, field TEXT NOT NULL, state TEXT NOT NULL,
    max_attempts INTEGER NOT NULL, delays_json TEXT NOT NULL,
    next_due_s REAL NOT NULL, lease_owner TEXT, lease_until_s REAL,
    modems_json TEXT NOT NULL, ecm INTEGER NOT NULL, notified INTEGER NOT NULL DEFAULT 0,
    final_text TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS jobs_due ON jobs (state, next_due_s);
CREATE TABLE IF NOT EXISTS attempts (
    job_id INTEGER NOT NULL, n INTEGER NOT NULL, started_s REAL NOT NULL,
    ended_s REAL, code TEXT NOT NULL DEFAULT '', text TEXT NOT NULL DEFAULT '',
    retryable INTEGER NOT NULL DEFAULT 0, pages INTEGER NOT NULL DEFAULT 0,
    line_time_s REAL NOT NULL DEFAULT 0, bit_rate INTEGER NOT NULL DEFAULT 0,
    ecm INTEGER NOT NULL DEFAULT 0, remote_csi TEXT NOT NULL DEFAULT '',
    cost TEXT NOT NULL DEFAULT '0', modems_json TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (job_id, n));
"""

SCHEMA_VERSION = 1
_OPEN_STATES = (JobState.QUEUED.value, JobState.RETRYING.value, JobState.DIALLING.value)


@dataclass(frozen=True)
class StoredMessage:
    """A queued message: who pays, who sends, and its composed pages."""

    id: int
    account: str
    sender: str
    subject: str
    ident: str
    created_s: float


@dataclass(frozen=True)
class Job:
    """One fax recipient of one message, as stored.

    Attributes:
        id: job id (``pyfax status ID``).
        message_id: the message it belongs to.
        e164: the number to dial.
        state: where the job is.
        attempts_made: attempts started so far (interrupted ones included).
        max_attempts: attempts allowed in all.
        delays_s: the retry schedule.
        next_due_s: when it may run next.
        modems: the modems to offer on the next attempt (lowered after failures).
        ecm: whether to offer ECM on the next attempt.
        lease_owner: the worker holding it, if any.
        notified: whether the final notice was sent.
    """

    id: int
    message_id: int
    e164: str
    name: str
    field: str
    state: JobState
    attempts_made: int
    max_attempts: int
    delays_s: tuple[float, ...]
    next_due_s: float
    modems: tuple[str, ...]
    ecm: bool
    lease_owner: str | None
    notified: bool
    final_text: str


class JobStore:
    """Jobs, attempts and composed pages in one SQLite file.

    Args:
        path: the database file (created when missing); ``":memory:"`` for a
            private in-process store.
    """

    def __init__(self, path: str | PathLike[str] = ":memory:") -> None:
        self.path = str(path)
        self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None,
                                   check_same_thread=False)
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise DeliveryError(f"{self.path} holds job store schema {version}; this pyfax "
                                f"knows up to {SCHEMA_VERSION}: upgrade pyfax")
        self._db.executescript(_SCHEMA)
        self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def __enter__(self) -> JobStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # --- messages and jobs ---------------------------------------------------

    def add_message(self, *, account: str, sender: str, subject: str, ident: str,
                    pages: Sequence[StoredPage], now_s: float) -> int:
        """Store a composed message and return its id."""
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO messages (account, sender, subject, ident, created_s) "
                "VALUES (?, ?, ?, ?, ?)", (account, sender, subject, ident, now_s))
            message_id = int(cur.lastrowid or 0)
            db.executemany("INSERT INTO pages VALUES (?, ?, ?)",
                           [(message_id, i, pack_page(p)) for i, p in enumerate(pages)])
        return message_id

    def add_job(self, message_id: int, *, e164: str, name: str = "", field: str = "to",
                max_attempts: int = 3, delays_s: Sequence[float] = (120.0, 300.0),
                modems: Sequence[str] = ("v17", "v29", "v27ter"), ecm: bool = True,
                now_s: float) -> int:
        """Queue one recipient of a stored message; returns the job id."""
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO jobs (message_id, e164, name, field, state, max_attempts, "
                "delays_json, next_due_s, modems_json, ecm) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (message_id, e164, name, field, JobState.QUEUED.value, max_attempts,
                 json.dumps(list(delays_s)), now_s, json.dumps(list(modems)), int(ecm)))
            return int(cur.lastrowid or 0)

    def message(self, message_id: int) -> StoredMessage:
        """The stored message ``message_id``."""
        row = self._db.execute("SELECT id, account, sender, subject, ident, created_s "
                               "FROM messages WHERE id = ?", (message_id,)).fetchone()
        if row is None:
            raise DeliveryError(f"no message {message_id} in {self.path}")
        return StoredMessage(*row)

    def pages(self, message_id: int) -> list[StoredPage]:
        """The composed pages of a message, in order."""
        rows = self._db.execute("SELECT data FROM pages WHERE message_id = ? ORDER BY idx",
                                (message_id,)).fetchall()
        return [unpack_page(bytes(r[0])) for r in rows]

    def page_count(self, message_id: int) -> int:
        """How many pages a message has (without unpacking them)."""
        row = self._db.execute("SELECT COUNT(*) FROM pages WHERE message_id = ?",
                               (message_id,)).fetchone()
        return int(row[0])

    def job(self, job_id: int) -> Job:
        """The job ``job_id``; raises :class:`DeliveryError` when unknown."""
        row = self._db.execute(f"SELECT {_JOB_COLUMNS} FROM jobs WHERE id = ?",
                               (job_id,)).fetchone()
        if row is None:
            raise DeliveryError(f"no job {job_id} in {self.path}")
        return _job_from_row(row)

    def jobs(self, message_id: int | None = None) -> list[Job]:
        """Every job (of one message, when given), by id."""
        if message_id is None:
            rows = self._db.execute(f"SELECT {_JOB_COLUMNS} FROM jobs ORDER BY id").fetchall()
        else:
            rows = self._db.execute(f"SELECT {_JOB_COLUMNS} FROM jobs WHERE message_id = ? "
                                    "ORDER BY id", (message_id,)).fetchall()
        return [_job_from_row(r) for r in rows]

    # --- claiming --------------------------------------------------------------

    def claim(self, worker: str, *, now_s: float, lease_s: float,
              message_ids: Sequence[int] | None = None) -> Job | None:
        """Atomically take the next due job, or None when nothing is due.

        A job is due when it is queued or retrying and its time has come, or
        when it is dialling under an expired lease (its worker died).
        """
        where = ("state IN (?, ?, ?) AND next_due_s <= ? "
                 "AND (lease_until_s IS NULL OR lease_until_s <= ?)")
        params: list[object] = [*_OPEN_STATES, now_s, now_s]
        if message_ids is not None:
            where += f" AND message_id IN ({','.join('?' * len(message_ids))})"
            params += list(message_ids)
        with self._tx() as db:
            row = db.execute(f"SELECT id FROM jobs WHERE {where} ORDER BY next_due_s, id "
                             "LIMIT 1", params).fetchone()
            if row is None:
                return None
            db.execute("UPDATE jobs SET lease_owner = ?, lease_until_s = ? WHERE id = ?",
                       (worker, now_s + lease_s, row[0]))
        return self.job(int(row[0]))

    def renew(self, job_id: int, worker: str, *, now_s: float, lease_s: float) -> bool:
        """Extend a lease this worker holds; False when it lost the lease."""
        with self._tx() as db:
            cur = db.execute("UPDATE jobs SET lease_until_s = ? WHERE id = ? AND lease_owner = ?",
                             (now_s + lease_s, job_id, worker))
            return cur.rowcount == 1

    def next_due_s(self, message_ids: Sequence[int] | None = None) -> float | None:
        """The earliest time an open job becomes due (None when none is open)."""
        sql = ("SELECT MIN(MAX(next_due_s, COALESCE(lease_until_s, 0))) FROM jobs "
               "WHERE state IN (?, ?, ?)")
        params: list[object] = list(_OPEN_STATES)
        if message_ids is not None:
            sql += f" AND message_id IN ({','.join('?' * len(message_ids))})"
            params += list(message_ids)
        row = self._db.execute(sql, params).fetchone()
        return None if row[0] is None else float(row[0])

    # --- attempts --------------------------------------------------------------

    def open_attempt(self, job_id: int) -> int | None:
        """The number of the first attempt that started and never ended (a crash)."""
        found = self.open_attempts(job_id)
        return found[0] if found else None

    def open_attempts(self, job_id: int) -> list[int]:
        """Every attempt that started and never ended, in order."""
        rows = self._db.execute("SELECT n FROM attempts WHERE job_id = ? AND ended_s IS NULL "
                                "ORDER BY n", (job_id,)).fetchall()
        return [int(r[0]) for r in rows]

    def start_attempt(self, job_id: int, *, modems: Sequence[str], now_s: float) -> int:
        """Record the start of the next attempt and mark the job dialling."""
        with self._tx() as db:
            n = 1 + int(db.execute("SELECT COUNT(*) FROM attempts WHERE job_id = ?",
                                   (job_id,)).fetchone()[0])
            db.execute("INSERT INTO attempts (job_id, n, started_s, modems_json) "
                       "VALUES (?, ?, ?, ?)", (job_id, n, now_s, json.dumps(list(modems))))
            db.execute("UPDATE jobs SET state = ? WHERE id = ?",
                       (JobState.DIALLING.value, job_id))
        return n

    def finish_attempt(self, job_id: int, record: AttemptRecord, *, now_s: float) -> None:
        """Record how attempt ``record.number`` ended."""
        r = record
        with self._tx() as db:
            db.execute(
                "UPDATE attempts SET ended_s = ?, code = ?, text = ?, retryable = ?, pages = ?, "
                "line_time_s = ?, bit_rate = ?, ecm = ?, remote_csi = ?, cost = ? "
                "WHERE job_id = ? AND n = ?",
                (now_s, r.code, r.text, int(r.retryable), r.pages, r.line_time_s, r.bit_rate,
                 int(r.ecm), r.remote_csi, str(r.cost), job_id, r.number))

    def set_cost(self, job_id: int, number: int, cost: Decimal) -> None:
        """Record what attempt ``number`` was charged."""
        with self._tx() as db:
            db.execute("UPDATE attempts SET cost = ? WHERE job_id = ? AND n = ?",
                       (str(cost), job_id, number))

    def attempts(self, job_id: int) -> list[AttemptRecord]:
        """Every attempt of a job, in order (an open one shows as ``IN_PROGRESS``)."""
        rows = self._db.execute(
            "SELECT n, started_s, ended_s, code, text, retryable, pages, line_time_s, bit_rate, "
            "ecm, remote_csi, cost, modems_json FROM attempts WHERE job_id = ? ORDER BY n",
            (job_id,)).fetchall()
        return [_attempt_from_row(r) for r in rows]

    # --- state changes -----------------------------------------------------------

    def schedule(self, job_id: int, *, state: JobState, next_due_s: float,
                 modems: Sequence[str] | None = None, ecm: bool | None = None) -> None:
        """Put a job back in the queue (``retrying``) and free its lease."""
        with self._tx() as db:
            db.execute("UPDATE jobs SET state = ?, next_due_s = ?, lease_owner = NULL, "
                       "lease_until_s = NULL WHERE id = ?", (state.value, next_due_s, job_id))
            if modems is not None:
                db.execute("UPDATE jobs SET modems_json = ? WHERE id = ?",
                           (json.dumps(list(modems)), job_id))
            if ecm is not None:
                db.execute("UPDATE jobs SET ecm = ? WHERE id = ?", (int(ecm), job_id))

    def finish(self, job_id: int, state: JobState, text: str) -> None:
        """Mark a job done or failed for good, and free its lease."""
        if state not in (JobState.DONE, JobState.FAILED):
            raise DeliveryError(f"finish() takes done or failed, not {state}")
        with self._tx() as db:
            db.execute("UPDATE jobs SET state = ?, final_text = ?, lease_owner = NULL, "
                       "lease_until_s = NULL WHERE id = ?", (state.value, text, job_id))

    def mark_notified(self, job_id: int) -> bool:
        """Record that the final notice went out; False when it already had."""
        with self._tx() as db:
            cur = db.execute("UPDATE jobs SET notified = 1 WHERE id = ? AND notified = 0",
                             (job_id,))
            return cur.rowcount == 1


_JOB_COLUMNS = ("id, message_id, e164, name, field, state, max_attempts, delays_json, "
                "next_due_s, modems_json, ecm, lease_owner, notified, final_text, "
                "(SELECT COUNT(*) FROM attempts WHERE attempts.job_id = jobs.id)")
"""The columns :func:`_job_from_row` reads; the attempt count comes in the same query."""


def _job_from_row(row: Sequence[object]) -> Job:
    (job_id, message_id, e164, name, field, state, max_attempts, delays_json, next_due_s,
     modems_json, ecm, lease_owner, notified, final_text, attempts_made) = row
    return Job(id=int(str(job_id)), message_id=int(str(message_id)), e164=str(e164),
               name=str(name), field=str(field), state=JobState(str(state)),
               attempts_made=int(str(attempts_made)), max_attempts=int(str(max_attempts)),
               delays_s=tuple(float(d) for d in json.loads(str(delays_json))),
               next_due_s=float(str(next_due_s)),
               modems=tuple(str(m) for m in json.loads(str(modems_json))),
               ecm=bool(ecm), lease_owner=None if lease_owner is None else str(lease_owner),
               notified=bool(notified), final_text=str(final_text))


def _attempt_from_row(row: Sequence[object]) -> AttemptRecord:
    (n, started_s, ended_s, code, text, retryable, pages, line_time_s, bit_rate, ecm,
     remote_csi, cost, modems_json) = row
    open_ = ended_s is None
    return AttemptRecord(
        number=int(str(n)), time_s=float(str(started_s)),
        code="IN_PROGRESS" if open_ else str(code),
        text="the call is in progress" if open_ else str(text),
        retryable=bool(retryable), pages=int(str(pages)), line_time_s=float(str(line_time_s)),
        bit_rate=int(str(bit_rate)), ecm=bool(ecm), remote_csi=str(remote_csi),
        cost=Decimal(str(cost)), modems=tuple(str(m) for m in json.loads(str(modems_json))))
