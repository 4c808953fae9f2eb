"""Reading the change log from where this process last stopped, in commit order, on both databases.

SQLite has one writer at a time, so rows get their ``seq`` in commit order: the tail is ``seq > last``.
PostgreSQL hands out sequence numbers before commit, so a row with a smaller ``seq`` can become visible
after a larger one. There the tail is kept by transaction, from the snapshot of the read before: the
transactions that were still running then (its ``xip`` list) and those that began after it (an id at or
above its ``xmax``) are the only ones whose rows can have become visible since. Each read takes exactly
their rows (``txid = ANY(xip)``, and ``txid >= xmax``, both on the txid index) and keeps its own snapshot's
``xmax`` and running list for the next: every row is read once, once its transaction has committed.
(The rows carry their transaction's id, ``pg_current_xact_id()``, from the column's default, as a
bigint: 64-bit transaction ids fit.)
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import BigInteger, Engine, String, text

from gazouillis.hot import HotStatement
from gazouillis.storage import sqlite_file

# More new rows than this in one read: the reader drops everything it holds and starts from the end.
MAX_ROWS = 10_000

_SQLITE_START = HotStatement(text("SELECT coalesce(max(seq), 0) AS seq FROM changes").columns(seq=BigInteger))
_SQLITE_READ_SQL = "SELECT kind, ref, seq FROM changes WHERE seq > :cursor ORDER BY seq LIMIT :limit"
_SQLITE_READ = HotStatement(text(_SQLITE_READ_SQL).columns(kind=String, ref=BigInteger, seq=BigInteger))
# The snapshot comes first (kind NULL), in the same statement (one snapshot) as the rows. Two branches,
# each an index scan (the two sets are apart: every running id is below xmax). Never prepared: psycopg
# prepares a statement after five uses, and PostgreSQL kept a generic plan made while the log was nearly
# empty, a whole-table scan on every read once it had grown (211 million rows read in one bench run).
_PG_READ = HotStatement(
    text(
        "SELECT NULL AS kind, NULL AS ref, CAST(pg_current_snapshot() AS text) AS snap "
        "UNION ALL (SELECT kind, ref, NULL FROM changes WHERE txid >= :xmax ORDER BY txid LIMIT :limit) "
        "UNION ALL (SELECT kind, ref, NULL FROM changes WHERE txid = ANY(CAST(:xip AS bigint[]))"
        " LIMIT :limit)"
    ).columns(kind=String, ref=BigInteger, snap=String),
    replan=True,
)
_PG_START = HotStatement(text("SELECT CAST(pg_current_snapshot() AS text) AS snap").columns(snap=String))


def start(engine: Engine) -> Any:
    """Where a new reader begins: after everything already committed."""
    if _sqlite(engine):
        return _SQLITE_START.once(engine, {})[0][0]
    return _cursor(_PG_START.once(engine, {})[0][0])


def read(engine: Engine, cursor: Any) -> tuple[list[tuple[str, int | None, int | None]] | None, Any]:
    """The changes committed since ``cursor`` (kind, ref and, on SQLite, position: see :func:`position`)
    and the cursor after them; ``None`` for the changes when there were more than MAX_ROWS (the caller
    drops everything and goes on from the new cursor).

    One statement outside any transaction (its own snapshot): a page served
    from the cache then costs no transaction at all (on SQLite a BEGIN and a ROLLBACK, ~0.14 ms of a
    0.45 ms hit in-process), and whatever is read after it, in a transaction of its own, is newer."""
    if _sqlite(engine):
        rows = _sqlite_read(engine, cursor)
        if len(rows) > MAX_ROWS:
            return None, start(engine)
        return [(r[0], r[1], r[2]) for r in rows], (rows[-1][2] if rows else cursor)
    xmax, running = cursor
    params = {"xmax": xmax, "xip": "{" + ",".join(map(str, running)) + "}", "limit": MAX_ROWS + 1}
    rows = _PG_READ.once(engine, params)
    after = _cursor(next(r[2] for r in rows if r[0] is None))
    changes = [(r[0], r[1], None) for r in rows if r[0] is not None]
    if len(changes) > MAX_ROWS:
        return None, after
    return changes, after


# Each engine's SQLite file (None: in memory), and each thread's connection to it (closed with the engine).
_files: WeakKeyDictionary[Engine, tuple[Path | None, threading.local]] = WeakKeyDictionary()


def _sqlite_read(engine: Engine, cursor: int) -> list[Any]:
    """The rows after ``cursor``: on a SQLite file, on this thread's own connection to it, read-only and
    outside the engine's pool (a pooled checkout costs more than this read of an index: a third of a
    page served from the cache), else on the engine."""
    params = {"cursor": cursor, "limit": MAX_ROWS + 1}
    known = _files.get(engine)
    if known is None:
        known = _files[engine] = (
            sqlite_file(engine.url.render_as_string(hide_password=False)),
            threading.local(),
        )
    path, local = known
    if path is None:
        return _SQLITE_READ.once(engine, params)
    conn = getattr(local, "conn", None)
    if conn is None:
        conn = local.conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
        )
    return conn.execute(_SQLITE_READ_SQL, params).fetchall()


def position(cursor: Any) -> int | None:
    """Where ``cursor`` stands in the log, the same for every process (SQLite: the last ``seq`` read);
    None where the log has no such order (PostgreSQL: a snapshot)."""
    return cursor if isinstance(cursor, int) else None


def _cursor(snapshot: str) -> tuple[int, tuple[int, ...]]:
    """A PostgreSQL snapshot's text (``xmin:xmax:xip,…``) as a cursor: its xmax and running ids."""
    _, xmax, running = snapshot.split(":")
    return int(xmax), tuple(int(x) for x in running.split(",") if x)


def _sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
