"""Durable jobs: claimed by one runner at a time, retried on failure, never lost with their transaction."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import select, update

from gazouillis.jobs import queue
from gazouillis.jobs.tables import Job
from gazouillis.storage import Database, utcnow

RAN: list[int] = []


@queue.handler("test.record")
def _record(session: Any, payload: dict[str, Any]) -> None:
    RAN.append(payload["n"])


@queue.handler("test.fail")
def _fail(session: Any, payload: dict[str, Any]) -> None:
    raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def _reset() -> None:
    RAN.clear()


def test_a_job_enqueued_in_a_rolled_back_transaction_never_exists(db: Database) -> None:
    with pytest.raises(ZeroDivisionError), db.write() as session:
        queue.enqueue(session, "test.record", {"n": 1})
        1 / 0  # noqa: B018
    assert queue.pending_count(db) == 0


def test_concurrent_runners_never_run_the_same_job(db: Database) -> None:
    with db.write() as session:
        for n in range(60):
            queue.enqueue(session, "test.record", {"n": n})
    threads = [
        threading.Thread(target=queue.run_pending, args=(db,), kwargs={"name": f"r{i}", "limit": 3})
        for i in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(RAN) == list(range(60))
    assert queue.pending_count(db) == 0


def test_claimed_jobs_are_not_claimed_again_until_the_lease_ends(db: Database) -> None:
    with db.write() as session:
        queue.enqueue(session, "test.record", {"n": 1})
    first = queue.claim(db, name="a")
    assert len(first) == 1
    assert queue.claim(db, name="b") == []
    # The runner died: once its lease is over, another runner takes the job and runs it.
    with db.write() as session:
        session.execute(update(Job).values(locked_until=utcnow()))
    assert queue.run_pending(db, name="b") == 1
    assert RAN == [1]


def test_failures_are_retried_later_then_kept_as_dead(db: Database) -> None:
    with db.write() as session:
        queue.enqueue(session, "test.fail", {})
    assert queue.run_pending(db) == 1
    with db.read() as session:
        job = session.scalar(select(Job))
        assert job is not None and "boom" in (job.last_error or "") and job.run_at > utcnow() and not job.dead
    with db.write() as session:
        session.execute(update(Job).values(attempts=queue.MAX_ATTEMPTS - 1, run_at=utcnow()))
    queue.run_pending(db)
    with db.read() as session:
        job = session.scalar(select(Job))
        assert job is not None and job.dead
    assert queue.run_pending(db) == 0
