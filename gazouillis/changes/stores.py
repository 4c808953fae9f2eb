"""Where kept pages live: one process's memory, or a file every process of a SQLite instance shares.

Neither checks what it holds: :class:`~.pages.PageCache` does, on the way out, against the change log.
"""

from __future__ import annotations

import hashlib
import logging
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import orjson

from gazouillis.changes.pages import Depends, Kept, Ticket

log = logging.getLogger("gazouillis")


class LocalStore:
    """Pages in this process's memory, bounded by ``max_bytes``: each page's own cost (its reply,
    dependencies and entry) and the distinct parts it holds, the encoded statuses it is made of (a
    status shown on many readers' pages, shared with the rendered-status cache, counted once). When a
    page does not fit, random pages make room for it."""

    shared = False

    def __init__(self, *, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._pages: dict[Hashable, Kept] = {}
        # The keys again, in a list a random one is drawn from when memory runs out (see put).
        self._keys: list[Hashable] = []
        self._slot: dict[Hashable, int] = {}
        self._random = random.Random(0)
        # Distinct parts held: id -> [part, pages holding it].
        self._parts: dict[int, list[Any]] = {}
        self.bytes = 0

    def get(self, key: Hashable) -> Kept | None:
        return self._pages.get(key)

    def put(self, key: Hashable, kept: Kept) -> bool:
        if sum(len(p) for p in kept.parts) + _overhead(kept.depends) > self.max_bytes:
            return False
        with self._lock:
            self._drop(key)
            self._pages[key] = kept
            self._slot[key] = len(self._keys)
            self._keys.append(key)
            self.bytes += _overhead(kept.depends)
            for part in kept.parts:
                held = self._parts.get(id(part))
                if held is None:
                    self._parts[id(part)] = [part, 1]
                    self.bytes += len(part)
                else:
                    held[1] += 1
            # A random page goes, not the least recently used: readers who come back in turn, more of
            # them than fit (a rotation over every reader, as the benchmark's), would find no page of
            # theirs left under LRU, and a random share of them under random replacement.
            while self.bytes > self.max_bytes and len(self._keys) > 1:
                victim = self._keys[self._random.randrange(len(self._keys))]
                if victim != key:  # never the page just stored
                    self._drop(victim)
            return True

    def drop(self, key: Hashable) -> None:
        with self._lock:
            self._drop(key)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._keys.clear()
            self._slot.clear()
            self._parts.clear()
            self.bytes = 0

    def stats(self) -> dict[str, int]:
        return {"pages": len(self._pages), "bytes": self.bytes}

    def close(self) -> None:
        self.clear()

    def _drop(self, key: Hashable) -> None:
        kept = self._pages.pop(key, None)
        if kept is None:
            return
        slot = self._slot.pop(key)
        last = self._keys.pop()
        if last != key:  # the last key takes the dropped one's place
            self._keys[slot] = last
            self._slot[last] = slot
        self.bytes -= _overhead(kept.depends)
        for part in kept.parts:
            held = self._parts.get(id(part))
            if held is not None:
                held[1] -= 1
                if held[1] == 0:
                    del self._parts[id(part)]
                    self.bytes -= len(part)


def _overhead(d: Depends) -> int:
    """What a page costs besides its parts, roughly (measured: ~6 KB a home page of 20 statuses): the
    reply and its links, its dependencies, and its entry."""
    return 1_024 + 128 * (len(d.posts) + len(d.accounts) + len(d.merged))


Codec = tuple[Callable[[Any], bytes], Callable[[bytes], Any]]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    position INTEGER NOT NULL,
    at REAL NOT NULL,
    expires REAL NOT NULL,
    size INTEGER NOT NULL,
    depends BLOB NOT NULL,
    value BLOB NOT NULL
)
"""
# How often a process storing pages removes the expired ones and, beyond max_bytes, the oldest.
PRUNE_EVERY = 10.0


class FileStore:
    """Pages in a SQLite file beside the database, read and written by every process of the instance:
    a page one web process rendered is served by the others (each would otherwise render every
    reader's page once, and keep them all). Its pages only hold for the positions of the database's
    change log, so the file is emptied whenever ``gazouillis serve`` starts (:func:`reset`).

    A cache: a write that would wait for another process's is skipped, and a damaged file only costs
    misses. ``codec`` turns a page's value into bytes and back (the API's replies)."""

    shared = True

    def __init__(self, path: Path, *, max_bytes: int, codec: Codec) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self._encode, self._decode = codec
        self._local = threading.local()
        self._pruned = 0.0
        self.skipped = 0
        self._db().execute(_SCHEMA)

    def get(self, key: Hashable) -> Kept | None:
        name = _key(key)
        try:
            row = (
                self._db()
                .execute(
                    "SELECT key, position, at, expires, depends, value FROM pages WHERE id = ?", (_id(name),)
                )
                .fetchone()
            )
        except sqlite3.Error:
            log.debug("page store read failed", exc_info=True)
            return None
        if row is None or row[0] != name:  # none, or another key with the same hash
            return None
        _, position, at, expires, depends, value = row
        reader, posts, accounts, merged, until = orjson.loads(depends)
        kept_depends = Depends(reader, frozenset(posts), frozenset(accounts), frozenset(merged), until)
        return Kept(self._decode(value), (), kept_depends, Ticket(position, at), expires)

    def put(self, key: Hashable, kept: Kept) -> bool:
        d = kept.depends
        value = self._encode(kept.value)
        depends = orjson.dumps([d.reader, list(d.posts), list(d.accounts), list(d.merged), d.until])
        if len(value) > self.max_bytes:
            return False
        try:
            conn = self._db()
            conn.execute(
                "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _id(name := _key(key)),
                    name,
                    kept.ticket.position,
                    kept.ticket.at,
                    kept.expires,
                    len(value),
                    depends,
                    value,
                ),
            )
            now = time.time()
            if now - self._pruned >= PRUNE_EVERY:
                self._pruned = now
                self._prune(conn, now)
        except sqlite3.OperationalError:  # busy: another process is writing
            self.skipped += 1
            return False
        return True

    def drop(self, key: Hashable) -> None:
        try:
            self._db().execute("DELETE FROM pages WHERE id = ?", (_id(_key(key)),))
        except sqlite3.OperationalError:
            self.skipped += 1

    def clear(self) -> None:
        self._db().execute("DELETE FROM pages")

    def stats(self) -> dict[str, int]:
        try:
            pages, size = self._db().execute("SELECT count(*), coalesce(sum(size), 0) FROM pages").fetchone()
        except sqlite3.Error:
            pages = size = -1
        return {"pages": pages, "bytes": size, "skipped": self.skipped}

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _prune(self, conn: sqlite3.Connection, now: float) -> None:
        conn.execute("DELETE FROM pages WHERE expires <= ?", (now,))
        (size,) = conn.execute("SELECT coalesce(sum(size), 0) FROM pages").fetchone()
        if size > self.max_bytes:
            # The oldest go first, down to three quarters of the bound (so this is not run again soon).
            conn.execute(
                "DELETE FROM pages WHERE id IN (SELECT id FROM (SELECT id, sum(size) OVER"
                " (ORDER BY at DESC) AS kept FROM pages) WHERE kept > ?)",
                (self.max_bytes * 3 // 4,),
            )

    def _db(self) -> sqlite3.Connection:
        """This thread's connection (sqlite3 connections stay in the thread that made them)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connection()
        return conn

    def _connection(self) -> sqlite3.Connection:
        # Autocommit; a write waits 20 ms for another at most; nothing is synced to disk (a cache).
        conn = sqlite3.connect(self.path, timeout=0.02, isolation_level=None)
        # 16 KB pages (a home page spans three, not ten: a shorter overflow chain to read); only counts
        # before the file is created.
        conn.execute("PRAGMA page_size=16384")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-512")
        return conn


def store_path(database_path: Path) -> Path:
    """The page store of the SQLite database at ``database_path``: beside it, as its ``-wal`` file."""
    return database_path.with_name(database_path.name + "-pages")


def reset(database_path: Path) -> None:
    """Empty the page store of the database at ``database_path`` (its pages were checked against a log
    this start may not continue: a database restored from a backup numbers its changes again)."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(store_path(database_path)) + suffix).unlink(missing_ok=True)


def _key(key: Hashable) -> str:
    # Keys are tuples of ints, strings and bytes: their repr is stable across processes.
    return repr(key)


def _id(name: str) -> int:
    """A page's row: a 64-bit hash of its key (a rowid lookup takes half the time of a text key's)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)
