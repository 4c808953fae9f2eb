"""Bulk writes straight to the database: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

The whole load is one transaction: a failure half-way leaves the database as it was. Constraints,
foreign keys and indexes all stay in place for the app. One shortcut, as ``pg_restore
--disable-triggers`` takes: on PostgreSQL, when the role may (a superuser), the loading transaction
skips the per-row foreign-key triggers (``session_replication_role = replica``), which cost more than
the rows themselves. The generated rows are consistent by construction, and ``tests/test_seed_bench.py``
checks that no row points nowhere. The change log's triggers (gazouillis.changes) are dropped for the
load and created again before it commits: no cached page has seen those rows.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from gazouillis.changes import triggers
from gazouillis.storage import Database

Row = tuple[Any, ...]


class BulkLoader:
    """One transaction on one raw connection of ``db``; ``write`` appends rows to a table."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.is_postgresql = not db.is_sqlite
        self._raw: Any = None
        self._conn: Any = None
        self._last_second = -1
        self._prefix = ""
        # SQLAlchemy's SQLite DateTime format (it drops the zone, our UTCDateTime adds UTC back on read).
        self._zone = "+00" if self.is_postgresql else ""

    def __enter__(self) -> BulkLoader:
        self._raw = self.db.write_engine.raw_connection()
        self._conn = self._raw.driver_connection
        if not self.is_postgresql:
            # The engine runs SQLite connections in autocommit mode and issues BEGIN itself.
            self._conn.execute("BEGIN IMMEDIATE")
        elif self.scalar("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"):
            self._conn.execute("SET LOCAL session_replication_role = replica")  # this transaction only
        self._run(triggers.drop_sql(self._dialect))
        return self

    def __exit__(
        self, kind: type[BaseException] | None, _exc: BaseException | None, _tb: TracebackType | None
    ) -> None:
        try:
            if kind is None:
                self._run(triggers.create_sql(self._dialect))
            if self.is_postgresql:
                if kind is None:
                    self._conn.commit()
                else:
                    self._conn.rollback()
            else:
                self._conn.execute("COMMIT" if kind is None else "ROLLBACK")
        finally:
            self._raw.close()

    def timestamp(self, unix_ms: int) -> str:
        """A UTC timestamp as the column stores it; consecutive rows often share a second, so cache it."""
        second, ms = divmod(unix_ms, 1000)
        if second != self._last_second:
            self._last_second = second
            self._prefix = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(second))
        return f"{self._prefix}.{ms:03d}000{self._zone}"

    def flag(self, value: bool) -> bool | int:
        return value if self.is_postgresql else int(value)

    def write(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        """Append ``rows`` (tuples in ``columns`` order) to ``table``."""
        if not rows:
            return
        names = ", ".join(columns)
        if self.is_postgresql:
            with self._conn.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            self._conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)

    @property
    def _dialect(self) -> str:
        return "postgresql" if self.is_postgresql else "sqlite"

    def _run(self, statements: Sequence[str]) -> None:
        for statement in statements:
            self._conn.execute(statement)

    def scalar(self, sql: str) -> Any:
        cur = self._conn.execute(sql)
        row = cur.fetchone()
        return row[0] if row else None


def analyze(db: Database, tables: Sequence[str]) -> None:
    """On PostgreSQL, what autovacuum would do after such a load: statistics and the visibility map of
    ``tables``. Nothing on SQLite, where the app never runs ANALYZE: statistics taken here would steer
    the planner differently from an instance that grew through the app (and, taken while a table such as
    ``feed_entries`` is nearly empty, into full scans once it fills)."""
    if db.is_sqlite:
        return
    raw = db.write_engine.raw_connection()
    try:
        conn: Any = raw.driver_connection
        conn.commit()
        conn.autocommit = True
        try:
            for table in tables:
                conn.execute(f"VACUUM ANALYZE {table}")
        finally:
            conn.autocommit = False
    finally:
        raw.close()
