"""Enqueue, claim and run durable jobs.

A job is a row written in the same transaction as the change that needs it, so an acknowledged change
always has its follow-up work on disk. A runner claims due jobs by taking a lease; the job's effects and
the deletion of its row commit together, so a job that finished is never run again, and one whose runner
died runs again once the lease is over (handlers are written to be safe to repeat).

Enqueuing also wakes runners: those of this process through :func:`on_enqueue`, those of other
processes through :mod:`gazouillis.jobs.wakeup`.
"""

from __future__ import annotations

import logging
import os
import socket
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, exists, or_, select, update
from sqlalchemy.orm import Session

from gazouillis.ids import new_id
from gazouillis.jobs import wakeup
from gazouillis.jobs.tables import Job
from gazouillis.storage import Database, after_commit, insert_row, utcnow

log = logging.getLogger("gazouillis.jobs")

Handler = Callable[[Session, dict[str, Any]], None]
HANDLERS: dict[str, Handler] = {}
# How long a runner holds a claimed job; one that died holds it that long (the job_lease_seconds setting).
LEASE = timedelta(seconds=120)
MAX_ATTEMPTS = 8
_wakeups: list[Callable[[], None]] = []


JOBS = Job.__table__
# A job's row goes with its effects, if its runner still holds it (built once: it ends every job).
_FINISH = delete(JOBS).where(JOBS.c.id == bindparam("id"), JOBS.c.locked_by == bindparam("runner"))


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of ``kind``."""

    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        return fn

    return register


def on_enqueue(callback: Callable[[], None]) -> None:
    """Call ``callback`` after a transaction that enqueued jobs commits (wakes an in-process runner)."""
    _wakeups.append(callback)


def off_enqueue(callback: Callable[[], None]) -> None:
    """Undo :func:`on_enqueue` (a runner that stopped)."""
    if callback in _wakeups:
        _wakeups.remove(callback)


def enqueue(session: Session, kind: str, payload: dict[str, Any], *, delay: timedelta | None = None) -> None:
    """Add a job to the current transaction."""
    # A statement of its own, not a flush: every post enqueues its fan-out inside SQLite's write lock.
    row = {"id": new_id(), "kind": kind, "payload": payload, "run_at": utcnow() + (delay or timedelta())}
    insert_row(session, JOBS, row)
    if not session.info.get("wake_registered"):
        session.info["wake_registered"] = True
        wakeup.announce(session)
        for callback in list(_wakeups):
            after_commit(session, callback)


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _due(now: datetime) -> list[Any]:
    return [
        Job.dead.is_(False),
        Job.run_at <= now,
        or_(Job.locked_until.is_(None), Job.locked_until < now),
    ]


def has_due(db: Database) -> bool:
    """Whether a job is waiting to be claimed: a read, so looking takes no write lock on SQLite."""
    with db.read() as session:
        return bool(session.scalar(select(exists().where(*_due(utcnow())))))


def claim(db: Database, *, limit: int = 10, name: str | None = None, lease: timedelta = LEASE) -> list[Job]:
    """Take the lease on up to ``limit`` due jobs. Two runners never hold the same job."""
    now = utcnow()
    due = select(Job.id).where(*_due(now)).order_by(Job.run_at, Job.id).limit(limit)
    if not db.is_sqlite:  # SQLite's BEGIN IMMEDIATE already makes this transaction the only writer
        due = due.with_for_update(skip_locked=True)
    # One statement takes the lease and returns the jobs: the write transaction is as short as it gets
    # (on SQLite every post waits for it to end).
    taken = (
        update(Job)
        .where(Job.id.in_(due.scalar_subquery()))
        .values(locked_by=name or runner_name(), locked_until=now + lease, attempts=Job.attempts + 1)
        .returning(Job)
        .execution_options(synchronize_session=False)
    )
    with db.write() as session:
        return sorted(session.scalars(taken), key=lambda job: (job.run_at, job.id))


def run_job(db: Database, job: Job, *, name: str | None = None) -> bool:
    """Run one claimed job; True when its handler succeeded (and its row is gone with its effects)."""
    fn = HANDLERS.get(job.kind)
    try:
        if fn is None:
            raise LookupError(f"no handler for job kind {job.kind!r}")
        with db.write() as session:
            fn(session, job.payload)
            done = session.execute(_FINISH, {"id": job.id, "runner": name or runner_name()})
        # One line per run, whatever happened to the row: the tests count them to prove no job runs twice.
        log.info("job %d done (%s)", job.id, job.kind, extra={"job_id": job.id, "kind": job.kind})
        if done.rowcount != 1:  # type: ignore[attr-defined]
            # Its lease ran out while it ran and another runner took it: it runs again there.
            log.warning("job %d (%s) ran past its lease", job.id, job.kind, extra={"job_id": job.id})
        return True
    except Exception:
        error = traceback.format_exc(limit=5)
        log.exception("job failed", extra={"job_id": job.id, "kind": job.kind})
        attempts = job.attempts + 1
        with db.write() as session:
            session.execute(
                update(Job)
                .where(Job.id == job.id)
                .values(
                    locked_by=None,
                    locked_until=None,
                    last_error=error,
                    dead=attempts >= MAX_ATTEMPTS,
                    run_at=utcnow() + timedelta(seconds=2**attempts),
                )
            )
        return False


def run_pending(db: Database, *, name: str | None = None, limit: int = 10, lease: timedelta = LEASE) -> int:
    """Claim and run due jobs until none is left; returns how many ran. Tests call this to drain."""
    done = 0
    while True:
        jobs = claim(db, limit=limit, name=name, lease=lease)
        if not jobs:
            return done
        for job in jobs:
            run_job(db, job, name=name)
            done += 1


def pending_count(db: Database) -> int:
    with db.read() as session:
        return len(session.scalars(select(Job.id).where(Job.dead.is_(False))).all())
