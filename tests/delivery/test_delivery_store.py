"""The SQLite job store: durable jobs, atomic claims under a lease, attempts."""

from __future__ import annotations

import subprocess
import sys
import time
import zlib
from pathlib import Path

import numpy as np
import pytest

from pyfax.compose import Resolution
from pyfax.delivery import JobState, JobStore, RetryPolicy
from pyfax.delivery._pages import StoredPage, as_stored, pack_page, unpack_page
from pyfax.delivery.report import AttemptRecord
from pyfax.errors import DeliveryError


def _store_with_jobs(path: Path, n_jobs: int) -> JobStore:
    store = JobStore(path)
    page = StoredPage(np.zeros((8, 1728), dtype=np.bool_))
    mid = store.add_message(account="a", sender="s", subject="x", ident="", pages=[page],
                            now_s=0.0)
    for i in range(n_jobs):
        store.add_job(mid, e164=f"+3222345{i:03d}", now_s=0.0)
    return store


_CLAIMER = """
import sys, time
from pyfax.delivery import JobStore
store = JobStore(sys.argv[1])
time.sleep(max(0.0, float(sys.argv[3]) - time.time()))  # start together
while (job := store.claim(sys.argv[2], now_s=10.0, lease_s=1000.0)) is not None:
    print(job.id, flush=True)
"""


def test_concurrent_workers_never_take_the_same_job(tmp_path: Path) -> None:
    path = tmp_path / "jobs.db"
    _store_with_jobs(path, 40).close()
    start = f"{time.time() + 1.5:.3f}"
    procs = [subprocess.Popen([sys.executable, "-c", _CLAIMER, str(path), f"w{i}", start],
                              stdout=subprocess.PIPE, text=True) for i in range(4)]
    outputs = [p.communicate(timeout=60)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    flat = [int(line) for out in outputs for line in out.split()]
    assert sorted(flat) == list(range(1, 41))  # each job exactly once


def test_expired_lease_is_claimable_and_open_attempt_reported(tmp_path: Path) -> None:
    store = _store_with_jobs(tmp_path / "jobs.db", 1)
    job = store.claim("w1", now_s=1.0, lease_s=5.0)
    assert job is not None
    n = store.start_attempt(job.id, modems=job.modems, now_s=1.0)
    assert store.job(job.id).state is JobState.DIALLING
    assert store.claim("w2", now_s=5.9, lease_s=5.0) is None
    assert store.renew(job.id, "w1", now_s=5.9, lease_s=5.0)
    assert store.claim("w2", now_s=10.0, lease_s=5.0) is None
    again = store.claim("w2", now_s=11.0, lease_s=5.0)
    assert again is not None and again.id == job.id
    assert not store.renew(job.id, "w1", now_s=11.0, lease_s=5.0)  # w1 lost it
    assert store.open_attempt(job.id) == n
    assert store.attempts(job.id)[0].code == "IN_PROGRESS"


def test_attempts_and_final_state_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "jobs.db"
    store = _store_with_jobs(path, 1)
    n = store.start_attempt(1, modems=("v29",), now_s=3.0)
    store.finish_attempt(1, AttemptRecord(n, 3.0, "BUSY", "the line was busy", retryable=True),
                         now_s=4.0)
    store.finish(1, JobState.FAILED, "busy")
    store.close()
    again = JobStore(path)
    job = again.job(1)
    assert job.state is JobState.FAILED and job.attempts_made == 1
    assert again.attempts(1)[0].code == "BUSY" and again.attempts(1)[0].modems == ("v29",)
    assert again.next_due_s() is None
    with pytest.raises(DeliveryError):
        again.job(99)


def test_pages_round_trip_exactly(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    image = rng.random((123, 1728)) < 0.1
    page = as_stored(image)
    assert page.resolution is Resolution.FINE
    back = unpack_page(pack_page(page))
    assert np.array_equal(back.image, image) and back.resolution is Resolution.FINE
    fine_blob = pack_page(StoredPage(image[:, :1728], Resolution.SUPERFINE))
    assert unpack_page(fine_blob).resolution is Resolution.SUPERFINE
    bad_dpi = fine_blob[:8] + np.array([200, 100], dtype="<u4").tobytes() + fine_blob[16:]
    with pytest.raises(DeliveryError, match="no fax resolution"):
        unpack_page(bad_dpi)
    with pytest.raises(DeliveryError):
        unpack_page(b"abc")
    with pytest.raises(DeliveryError):
        as_stored(np.zeros((3, 3), dtype=np.uint8))
    with pytest.raises(DeliveryError, match="must be a Resolution"):
        as_stored(StoredPage(image, (204, 196)))  # type: ignore[arg-type]


def test_stored_pages_are_packed_and_damaged_blobs_are_delivery_errors() -> None:
    image = np.random.default_rng(3).random((50, 1736)) < 0.2
    page = as_stored(image)
    assert page.packed.nbytes == 50 * 1736 // 8 and np.array_equal(page.image, image)
    odd = StoredPage(image[:, :1731])  # rows that are no whole number of octets
    assert np.array_equal(unpack_page(pack_page(odd)).image, image[:, :1731])
    blob = pack_page(page)
    for bad in (blob[:16] + b"not zlib", blob[:-4],
                blob[:16] + zlib.compress(zlib.decompress(blob[16:])[:-1])):
        with pytest.raises(DeliveryError):
            unpack_page(bad)


def test_retry_policy_schedule() -> None:
    policy = RetryPolicy()
    assert [policy.delay_before_s(n) for n in (1, 2, 3, 4)] == [0, 120, 300, 300]
    with pytest.raises(DeliveryError):
        RetryPolicy(attempts=0)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "jobs.db"
    with JobStore(path) as store:
        assert store.jobs() == []
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    with pytest.raises(DeliveryError, match="schema 99"):
        JobStore(path)
