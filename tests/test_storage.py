"""The database connections: a PostgreSQL connection dropped while idle in the pool is replaced unseen;
sessions run without PostgreSQL's JIT; SQLite's log is checkpointed by processes that run jobs; dates
come back from SQLite as aware UTC datetimes; a row inserted at once keeps its object."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, delete, insert, select, text
from sqlalchemy.exc import OperationalError

from gazouillis import storage
from gazouillis.ids import new_id
from gazouillis.jobs.tables import Job
from gazouillis.storage import Database, UTCDateTime, insert_now
from tests.conftest import terminate_backend


def _backend_pid(db: Database) -> int:
    with db.read() as session:
        return int(session.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_connection_dropped_while_idle_is_replaced(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "PING_AFTER_IDLE_SECONDS", 0.0)  # every pooled connection counts as idle
    db = Database(pg_url, pool_size=4, max_overflow=0)
    try:
        first = _backend_pid(db)
        terminate_backend(pg_url, first)  # a server restart or a proxy timeout, while it sat in the pool
        assert _backend_pid(db) != first  # served by a new connection, no error
    finally:
        db.dispose()


def test_a_connection_used_moments_ago_is_not_pinged(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The other side of the trade: no round trip for a connection just checked in, so a drop in that
    # window reaches the request (SQLAlchemy then discards the connection and the next request is served).
    monkeypatch.setattr(storage, "PING_AFTER_IDLE_SECONDS", 3600.0)
    db = Database(pg_url, pool_size=4, max_overflow=0)
    try:
        first = _backend_pid(db)
        terminate_backend(pg_url, first)
        with pytest.raises(OperationalError):
            _backend_pid(db)
        assert _backend_pid(db) != first
    finally:
        db.dispose()


def test_postgresql_sessions_run_without_jit_unless_the_url_says(pg_url: str) -> None:
    # The JIT compiled the large profile's read-time merge on every page: 15 of its 22 ms.
    db = Database(pg_url, pool_size=2, max_overflow=0)
    try:
        with db.read() as session:
            assert session.execute(text("SHOW jit")).scalar_one() == "off"
        with db.write() as session:
            assert session.execute(text("SHOW jit")).scalar_one() == "off"
    finally:
        db.dispose()
    separator = "&" if "?" in pg_url else "?"
    db = Database(f"{pg_url}{separator}options=-c%20jit%3Don", pool_size=2, max_overflow=0)
    try:
        with db.read() as session:
            assert session.execute(text("SHOW jit")).scalar_one() == "on"
    finally:
        db.dispose()


def _autocheckpoint(db: Database) -> int:
    with db.write() as session:
        return int(session.execute(text("PRAGMA wal_autocheckpoint")).scalar_one())


def _write_5_mb(db: Database) -> None:
    with db.write() as session:
        session.execute(text("CREATE TABLE t (v TEXT)"))
        for n in range(5000):  # ~1,250 pages: past the 1,000 that make a commit checkpoint
            session.execute(text("INSERT INTO t VALUES (:v)"), {"v": f"{n:04d}" * 250})


def test_sqlite_processes_without_a_job_runner_leave_checkpoints_to_runners(tmp_path: Path) -> None:
    # A commit that takes the log past 1,000 pages copies it into the file, however much a fan-out wrote:
    # web processes beside a worker leave that to the worker (Database.checkpoint, between its jobs).
    serving = Database(f"sqlite:///{tmp_path / 'serving.sqlite3'}", checkpoints=False)
    running_jobs = Database(f"sqlite:///{tmp_path / 'jobs.sqlite3'}")
    try:
        assert _autocheckpoint(serving) == 0
        assert _autocheckpoint(running_jobs) == 1000
        _write_5_mb(running_jobs)
        _write_5_mb(serving)
        assert (tmp_path / "jobs.sqlite3").stat().st_size > 4_000_000  # copied by the commit
        assert (tmp_path / "serving.sqlite3").stat().st_size < 100_000  # all still in the log
        frames, copied = serving.checkpoint()
        assert frames == copied > 1000  # all of it now (nobody was reading)
        assert (tmp_path / "serving.sqlite3").stat().st_size > 4_000_000
    finally:
        serving.dispose()
        running_jobs.dispose()


def test_dates_read_back_from_sqlite_as_the_utc_they_were_written(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'dates.sqlite3'}")
    table = Table("dates", MetaData(), Column("id", Integer, primary_key=True), Column("at", UTCDateTime))
    written = [
        datetime(2026, 11, 23, 6, 31, 5, 123456, tzinfo=UTC),
        datetime(2026, 11, 23, 8, 31, 5, tzinfo=timezone(timedelta(hours=2))),  # stored as 06:31:05 UTC
        None,
    ]
    try:
        with db.write() as session:
            table.create(session.connection())
            session.execute(insert(table), [{"id": n, "at": at} for n, at in enumerate(written)])
            # Text that SQLAlchemy did not write: without seconds' fraction, and with a zone of its own.
            session.execute(
                text("INSERT INTO dates VALUES (3, '2026-11-23 06:31:05'), (4, '2026-11-23T08:31:05+02:00')")
            )
        with db.read() as session:
            read = session.execute(select(table.c.at).order_by(table.c.id)).scalars().all()
    finally:
        db.dispose()
    assert read[:3] == written
    assert read[0].tzinfo is UTC and read[1].tzinfo is UTC
    assert read[1].hour == 6
    assert read[3] == datetime(2026, 11, 23, 6, 31, 5, tzinfo=UTC) and read[3].tzinfo is UTC
    assert read[4] == written[1] and read[4].utcoffset() == timedelta(hours=2)  # as SQLAlchemy reads it


def test_insert_now_writes_the_row_with_its_defaults_and_keeps_the_object(db: Database) -> None:
    with db.write() as session:
        job = Job(id=new_id(), kind="test.insert_now", payload={"n": 1})
        insert_now(session, job)
        # The row is there before any flush, with the columns' defaults (a callable one and scalars).
        row = session.execute(select(Job.__table__).where(Job.__table__.c.id == job.id)).one()
        assert (row.attempts, row.dead, row.locked_by) == (0, False, None)
        assert row.run_at is not None and job.run_at == row.run_at and job.attempts == 0
        assert session.get(Job, job.id) is job  # the session's instance of that row, not a second one
        job.attempts = 3  # a later change is flushed as an update of the same row
    with db.read() as session:
        assert session.scalar(select(Job.attempts).where(Job.id == job.id)) == 3
    with db.write() as session:
        session.execute(delete(Job).where(Job.id == job.id))
