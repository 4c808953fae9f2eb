"""Database engines and sessions: SQLite (WAL, one writer at a time) or PostgreSQL, the same code for both.

Reads run in ordinary transactions. Writes go through :meth:`Database.write`, which on SQLite starts with
``BEGIN IMMEDIATE`` so concurrent writers queue on the busy timeout instead of failing half-way.
Callbacks registered with :func:`after_commit` run once the write transaction has committed, so jobs
and events never leave for data that was rolled back.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    Engine,
    MetaData,
    Table,
    TypeDecorator,
    bindparam,
    create_engine,
    event,
    insert,
    inspect,
    make_url,
    true,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, make_transient_to_detached, sessionmaker
from sqlalchemy.pool import NullPool

from gazouillis.hot import HotStatement

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both databases (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        general = super().result_processor(dialect, coltype)
        assert general is not None

        def utc_from_text(value: Any) -> datetime | None:
            # SQLite keeps SQLAlchemy's naive UTC text: read as UTC in one C call (0.2 µs, against 1.0 for
            # parsing then replacing the zone; a home page reads ~50 dates).
            if value.__class__ is str:
                try:
                    return datetime.fromisoformat(value + "+00:00")
                except ValueError:
                    pass  # text with a zone of its own, or not a date: the general way decides
            return general(value)

        return utc_from_text


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {int: BigInteger, datetime: UTCDateTime}


def utcnow() -> datetime:
    return datetime.now(UTC)


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run ``callback`` once the current write transaction has committed (never if it rolls back)."""
    session.info.setdefault("after_commit", []).append(callback)


# Connections per engine: requests are CPU-bound on the GIL, so more would not serve faster, and each
# keeps its own page cache (up to 2 MB): 15 (SQLAlchemy's default) cost ~20 MB more per web process.
# Nothing holds two connections of one engine at once, so threads beyond this wait their turn.
SQLITE_POOL = 8
WRITE_WAIT_SECONDS = 30.0


def _sqlite_engine(url: str, *, immediate: bool, checkpoints: bool = True) -> Engine:
    # SQLite has one writer at a time: a single write connection per process makes the process's
    # writers queue on the pool (asleep, in order) instead of all retrying for the file's lock.
    engine = create_engine(
        url,
        pool_size=1 if immediate else SQLITE_POOL,
        max_overflow=0,
        pool_timeout=WRITE_WAIT_SECONDS,
        connect_args={"timeout": 30, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let SQLAlchemy's begin event emit BEGIN itself
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if not checkpoints:
            cur.execute("PRAGMA wal_autocheckpoint=0")  # see Database's checkpoints
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        if immediate:
            _begin_immediate(conn)
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def _postgresql_connect_args(url: str) -> dict[str, Any]:
    """Sessions without PostgreSQL's JIT, unless the URL sets its own ``options``.

    The JIT compiles every query whose estimated cost passes ``jit_above_cost``, on every execution: the
    read-time merge of a reader following 74 big accounts on the large bench profile took 22 ms with it,
    15 of them compiling, and 6.6 ms without (EXPLAIN ANALYZE). Short indexed queries never earn it back.
    """
    if "options" in make_url(url).query:
        return {}
    return {"options": "-c jit=off"}


def _begin_immediate(conn: Any) -> None:
    """Take SQLite's write lock, trying again every millisecond for up to WRITE_WAIT_SECONDS.

    SQLite's own busy handler sleeps longer and longer (up to 100 ms) between tries, while a busy writer
    (a job runner delivering a fan-out batch by batch) takes the lock back within a millisecond of each
    commit: waiting writers missed every gap and waited for the whole fan-out (create-post: 540–740 ms
    behind a 100K-follower fan-out, 59–65 ms with this loop).
    """
    cursor = conn.connection.dbapi_connection.cursor()
    deadline = time.monotonic() + WRITE_WAIT_SECONDS
    cursor.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                cursor.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.001)
    finally:
        # Statements inside the transaction keep the usual patience (a checkpoint may hold the file).
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


# PostgreSQL connections, process by process. A web process runs requests on its request threads
# (request_threads), each holding at most one connection, plus its job runner and id lease threads: it
# never needs more than request_threads + 2. Web processes share WEB_BUDGET connections of PostgreSQL's
# default max_connections (100); the rest is for workers (WORKER_POOL each), their LISTEN connections
# (one per runner, outside the pool), migrations and an operator's psql.
WEB_BUDGET = 60
WORKER_POOL = 3  # the runner (claims and runs one job at a time), the id lease thread, one spare


def process_pool_size(configured: int, *, web_processes: int | None, request_threads: int) -> int:
    """The most connections one process opens: ``configured`` (database_pool_size) unless 0, else its
    share of WEB_BUDGET for one of ``web_processes`` web processes (no more than its request threads
    use), or WORKER_POOL for a worker (None)."""
    if configured:
        return configured
    if web_processes is None:
        return WORKER_POOL
    return max(4, min(request_threads + 2, WEB_BUDGET // max(1, web_processes)))


# A pooled PostgreSQL connection idle for longer than this is checked (SELECT 1) before it is used.
PING_AFTER_IDLE_SECONDS = 10.0


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use only when it sat idle long enough to have been dropped
    (a server restart, a proxy's idle timeout): a dead one is replaced, the request never sees it.

    SQLAlchemy's pool_pre_ping pings on every checkout: a round trip more for each session, two in every
    API request (the token check and the route), out of nine (measured with bench/hotspots.py).
    """

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return  # a new connection, or one used moments ago
        try:
            engine.dialect.do_ping(dbapi_conn)  # what pool_pre_ping runs (outside any transaction)
        except Exception as exc:
            # The pool discards this connection and checks out another (SQLAlchemy's documented protocol).
            raise DisconnectionError("pooled connection lost while idle") from exc


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite database URL (None for PostgreSQL and in-memory SQLite)."""
    name = make_url(url).database if url.startswith("sqlite") else None
    return Path(name) if name and name != ":memory:" and not name.startswith("file:") else None


class Database:
    """The engines and session factories of one process."""

    def __init__(
        self, url: str, *, pool_size: int = 10, max_overflow: int | None = None, checkpoints: bool = True
    ) -> None:
        """``pool_size`` PostgreSQL connections are kept, and ``max_overflow`` more (as many again by
        default) opened when needed; processes pass 0, so that ``pool_size`` is all they ever open.

        ``checkpoints=False`` (SQLite): this process's commits never copy the write-ahead log back into
        the database file; a process running jobs does it instead (:meth:`checkpoint`, and its own
        commits). SQLite otherwise checkpoints within the commit that takes the log past 1,000 pages,
        whichever it is: a new post paid 96 ms for the pages a fan-out had written (measured behind a
        7,954-follower fan-out)."""
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.read_engine = _sqlite_engine(url, immediate=False)
            self.write_engine = _sqlite_engine(url, immediate=True, checkpoints=checkpoints)
        else:
            # Reads run in autocommit: under READ COMMITTED every statement takes its own snapshot
            # anyway, so a read transaction bought nothing but a BEGIN and a ROLLBACK round trip each.
            # The process's connections are shared between the two pools, writes getting a quarter.
            writes = max(2, pool_size // 4)
            reads = max(1, pool_size - writes)
            connect = _postgresql_connect_args(url)
            self.read_engine = create_engine(
                url,
                pool_size=reads,
                max_overflow=reads if max_overflow is None else max_overflow,
                isolation_level="AUTOCOMMIT",
                connect_args=connect,
            )
            self.write_engine = create_engine(
                url,
                pool_size=writes,
                max_overflow=writes if max_overflow is None else max_overflow,
                connect_args=connect,
            )
            for engine in (self.read_engine, self.write_engine):
                _ping_when_idle(engine)
        # What start-up attaches to this database for the domain code (the feed store…): every session
        # sees it in ``session.info``, so domain functions need no framework and no module-level globals.
        self.info: dict[str, Any] = {}
        self._read = sessionmaker(self.read_engine, expire_on_commit=False, autoflush=False, info=self.info)
        self._write = sessionmaker(self.write_engine, expire_on_commit=False, autoflush=False, info=self.info)

    @property
    def sqlite_file(self) -> Path | None:
        return sqlite_file(self.url)

    def attach(self, key: str, part: Any) -> Any:
        """Make ``part`` (the feed store, the post cache…) what every session finds under ``key`` in
        ``session.info``, closing the one it replaces; ``None`` only removes (and closes) that one."""
        previous = self.info.pop(key, None)
        if previous is not None and previous is not part:
            previous.close()
        if part is not None:
            self.info[key] = part
        return part

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        # Closing (not rolling back) ends the transaction without expiring the loaded rows.
        with self._read() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose work commits on success and rolls back on any exception."""
        with self._write() as session:
            session.info["writable"] = True
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            for callback in session.info.pop("after_commit", []):
                callback()

    def checkpoint(self) -> tuple[int, int]:
        """Copy what SQLite's write-ahead log holds back into the database file, as far as no reader
        still needs it (PASSIVE: it waits for nobody and blocks nobody); returns the log's frames and
        how many of them are now in the file. Nothing to do on PostgreSQL: (0, 0)."""
        if not self.is_sqlite:
            return (0, 0)
        conn = self.read_engine.raw_connection()  # outside any transaction, not holding the writer's
        try:
            _busy, frames, copied = conn.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            conn.close()
        return (frames, copied)

    def dispose(self) -> None:
        self.read_engine.dispose()
        if self.write_engine is not self.read_engine:
            self.write_engine.dispose()


def single_connection_engine(url: str) -> Engine:
    """An engine for one-off administrative work (migrations)."""
    return create_engine(url, poolclass=NullPool)


def insert_now(session: Session, obj: Base) -> None:
    """INSERT ``obj``'s row at once (:func:`insert_row`), and make ``obj`` the session's persistent
    instance of that row, as a flush would, without the unit of work: its bookkeeping cost a new post
    ~0.8 ms against ~0.1 ms for the statement, inside SQLite's write lock. Later changes to ``obj`` are
    flushed as usual."""
    values = inspect(obj).dict
    row = insert_row(session, obj.__table__, {c.key: values.get(c.key) for c in obj.__table__.columns})
    for key, value in row.items():
        if values.get(key) is None and value is not None:
            setattr(obj, key, value)
    make_transient_to_detached(obj)
    session.add(obj)


def insert_row(session: Session, table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """INSERT one row of ``table`` on the driver's cursor (a statement built once per table), with the
    columns' Python defaults where ``values`` has None or nothing; returns the row as written. For the
    rows every post writes, inside SQLite's write lock."""
    row = {}
    for column in table.columns:
        value, default = values.get(column.key), column.default
        if value is None and default is not None and (default.is_scalar or default.is_callable):
            value = default.arg(None) if default.is_callable else default.arg  # type: ignore[attr-defined]
        row[column.key] = value
    _row_insert(table).run(session, {f"v_{key}": value for key, value in row.items()})
    return row


@cache
def _row_insert(table: Table) -> HotStatement:
    # Parameters named apart from the columns: SQLAlchemy keeps the columns' own names for itself.
    return HotStatement(
        insert(table).values({c: bindparam(f"v_{c.key}", type_=c.type) for c in table.columns})
    )


def insert_ignore(session: Session, table: Any, rows: list[dict[str, Any]] | Any, *, keys: list[str]) -> None:
    """INSERT … ON CONFLICT DO NOTHING on either database; ``rows`` is a list of dicts or a SELECT."""
    if isinstance(rows, list) and not rows:
        return
    session.execute(insert_ignore_statement(session.get_bind().dialect.name, table, rows, keys=keys))


def insert_ignore_statement(
    dialect: str, table: Any, rows: list[dict[str, Any]] | Any, *, keys: list[str]
) -> Any:
    """The statement :func:`insert_ignore` runs, for ``dialect`` (by name): hot paths build it once, with
    bound parameters, and execute it with their values."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    if isinstance(rows, list):
        stmt = insert(table).values(rows)
    else:
        # SQLite needs a WHERE in an INSERT … SELECT … ON CONFLICT, or it reads ON as a join constraint.
        stmt = insert(table).from_select(list(rows.selected_columns.keys()), rows.where(true()))
    return stmt.on_conflict_do_nothing(index_elements=keys)
