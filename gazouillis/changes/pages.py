"""Rendered pages kept per process and dropped the moment a write they show commits (the change log).

A page (a reader's home timeline, or an account's posts as a viewer sees them, as the API renders it) is
stored with what it depends on: its reader, the posts it shows (reposted and quoted ones too), their
authors, and the accounts whose new posts reach it without a feed (the big accounts merged into a home
page at read time, the owner of an account's page). Before each lookup the process reads the change
log from where it stopped (:mod:`.tail`) and evicts the pages each change touches, so a page served from
here is the page the database would give now: a like, an edit, a follow or a post delivered to the
reader's feed anywhere, in any process, invalidates it before the next lookup anywhere.

A page read while a change commits: its lookup took a *ticket* (how many changes this process had
applied); when the page is stored, the changes applied since are checked against its dependencies, and a
page one of them touched is not stored. Pages also expire: after ``ttl`` seconds (shorter than the log's
retention, so no change a live page depends on is ever pruned unread), or at a moment the reader chose
in advance (a mute or a filter that runs out, which no write announces).

Memory is bounded by ``max_bytes``: each page's own cost (its reply, dependencies and index entries) and
the distinct parts it holds, the encoded statuses it is made of (a status shown on many readers' pages,
shared with the rendered-status cache, is counted once). When a page does not fit, random pages make
room for it.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from gazouillis.changes import tail
from gazouillis.changes.tables import ACCOUNT, AUTHOR, EVERYTHING, POST, READER

_KEY = "pages"
# Changes remembered for the check of a page being stored: one that came before them is not stored.
HISTORY = 4_096
# Seconds a page lives at most; the change log keeps its rows RETENTION seconds (see prune).
TTL = 300.0
# Which of a page's dependencies a change of each kind is about (the fields of Depends, the indexes).
AFFECTS = {
    POST: ("posts",),
    READER: ("reader",),
    AUTHOR: ("reader", "merged"),
    ACCOUNT: ("accounts", "merged", "reader"),
}


@dataclass(frozen=True, slots=True)
class Ticket:
    """What a lookup saw: the changes this process had applied then, and when."""

    applied: int
    at: float


@dataclass(frozen=True, slots=True)
class Depends:
    """What a page shows: a change to any of it makes the page stale."""

    reader: int
    posts: frozenset[int]
    accounts: frozenset[int]
    # Accounts whose new posts reach the page without passing through a feed: the big accounts merged
    # into a home page at read time, the owner of an account's page.
    merged: frozenset[int] = frozenset()
    until: float | None = None  # a wall-clock time after which the page may differ (mutes, filters)


@dataclass(slots=True)
class _Page:
    value: Any
    parts: Sequence[bytes]
    depends: Depends
    expires: float  # monotonic


class PageCache:
    """One process's pages; thread-safe."""

    def __init__(self, *, max_bytes: int, ttl: float = TTL) -> None:
        self.max_bytes = max_bytes
        self.ttl = ttl
        self._lock = threading.Lock()
        self._reading = threading.Lock()
        self._pages: dict[Hashable, _Page] = {}
        # The keys again, in a list a random one is drawn from when memory runs out (see store).
        self._keys: list[Hashable] = []
        self._slot: dict[Hashable, int] = {}
        self._random = random.Random(0)
        # Which pages each reader, post, account and merged account appears in, by Depends field.
        self._index: dict[str, dict[int, set[Hashable]]] = {
            k: {} for k in ("reader", "posts", "accounts", "merged")
        }
        # Distinct parts held: id -> [part, pages holding it]; their bytes.
        self._parts: dict[int, list[Any]] = {}
        self.bytes = 0
        self._cursor: Any = None
        self._applied = 0
        self._history: deque[tuple[int, str, int | None]] = deque(maxlen=HISTORY)
        self.hits = self.misses = 0

    def stats(self) -> dict[str, int]:
        """What a log line says of it (at shutdown)."""
        return {"hits": self.hits, "misses": self.misses, "pages": len(self._pages), "bytes": self.bytes}

    # -- reading ----------------------------------------------------------------------------------------

    def lookup(self, session: Session, key: Hashable) -> tuple[Any, Ticket]:
        """The page stored under ``key`` if nothing it shows has changed (else None), and the ticket to
        store it with."""
        self.catch_up(session)
        now = time.monotonic()
        with self._lock:
            ticket = Ticket(self._applied, now)
            page = self._pages.get(key)
            if page is not None and (page.expires <= now or _passed(page.depends.until)):
                self._evict(key)
                page = None
            if page is None:
                self.misses += 1
                return None, ticket
            self.hits += 1
            return page.value, ticket

    def catch_up(self, session: Session) -> None:
        """Apply the changes committed since the last read of the log (on the engine of ``session``,
        outside its transaction: whatever the session reads next is at least as new)."""
        engine = session.get_bind()
        # One read of the log at a time: each goes on from the cursor the one before left.
        with self._reading:
            if self._cursor is None:
                self._cursor = tail.start(engine)
                return
            changes, cursor = tail.read(engine, self._cursor)
            with self._lock:
                if changes is None:
                    self._clear()
                    self._applied += HISTORY + 1  # every ticket taken before is now too old
                else:
                    for kind, ref in changes:
                        self._apply(kind, ref)
                self._cursor = cursor

    # -- writing ----------------------------------------------------------------------------------------

    def store(
        self, ticket: Ticket, key: Hashable, value: Any, parts: Sequence[bytes], depends: Depends
    ) -> bool:
        """Keep ``value`` (made of ``parts``) under ``key``, unless a change applied since ``ticket`` touches
        ``depends`` or the page would not fit; whether it was stored."""
        size = sum(len(p) for p in parts) + _overhead(depends)
        if size > self.max_bytes:
            return False
        with self._lock:
            missed = self._applied - ticket.applied
            if missed > len(self._history):
                return False
            for i in range(len(self._history) - missed, len(self._history)):
                _, kind, ref = self._history[i]
                if _touches(kind, ref, depends):
                    return False
            if key in self._pages:
                self._evict(key)
            self._pages[key] = _Page(value, parts, depends, ticket.at + self.ttl)
            self._slot[key] = len(self._keys)
            self._keys.append(key)
            self._index_page(key, depends)
            self.bytes += _overhead(depends)
            for part in parts:
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
                    self._evict(victim)
            return True

    def clear(self) -> None:
        with self._lock:
            self._clear()

    def close(self) -> None:
        self.clear()

    # -- under the lock ---------------------------------------------------------------------------------

    def _apply(self, kind: str, ref: int | None) -> None:
        self._applied += 1
        self._history.append((self._applied, kind, ref))
        if kind == EVERYTHING:
            self._clear()
            return
        if ref is None:
            return
        keys: set[Hashable] = set()
        for name in AFFECTS.get(kind, ()):
            keys.update(self._index[name].get(ref, ()))
        for key in keys:
            self._evict(key)

    def _index_page(self, key: Hashable, depends: Depends) -> None:
        for name, refs in _refs(depends):
            table = self._index[name]
            for ref in refs:
                table.setdefault(ref, set()).add(key)

    def _evict(self, key: Hashable) -> None:
        page = self._pages.pop(key, None)
        if page is None:
            return
        slot = self._slot.pop(key)
        last = self._keys.pop()
        if last != key:  # the last key takes the evicted one's place
            self._keys[slot] = last
            self._slot[last] = slot
        self.bytes -= _overhead(page.depends)
        for name, refs in _refs(page.depends):
            table = self._index[name]
            for ref in refs:
                keys = table.get(ref)
                if keys is not None:
                    keys.discard(key)
                    if not keys:
                        del table[ref]
        for part in page.parts:
            held = self._parts.get(id(part))
            if held is not None:
                held[1] -= 1
                if held[1] == 0:
                    del self._parts[id(part)]
                    self.bytes -= len(part)

    def _clear(self) -> None:
        self._pages.clear()
        self._keys.clear()
        self._slot.clear()
        for table in self._index.values():
            table.clear()
        self._parts.clear()
        self.bytes = 0


def _overhead(d: Depends) -> int:
    """What a page costs besides its parts, roughly (measured: ~6 KB a home page of 20 statuses): the
    reply and its links, its dependencies, and its entries in the indexes."""
    return 1_024 + 128 * (len(d.posts) + len(d.accounts) + len(d.merged))


def _refs(d: Depends) -> tuple[tuple[str, Iterable[int]], ...]:
    """A page's dependencies by field (the names of AFFECTS and of the indexes)."""
    return (("reader", (d.reader,)), ("posts", d.posts), ("accounts", d.accounts), ("merged", d.merged))


def _touches(kind: str, ref: int | None, d: Depends) -> bool:
    """Whether a change would evict a page of ``d`` (as _apply does)."""
    if kind == EVERYTHING:
        return True
    refs = dict(_refs(d))
    return any(ref in refs[name] for name in AFFECTS.get(kind, ()))


def _passed(until: float | None) -> bool:
    return until is not None and time.time() >= until


def attach(db: Any, cache: PageCache | None) -> PageCache | None:
    """Make ``cache`` the page cache of every session of ``db`` (None: no page cache)."""
    return db.attach(_KEY, cache)


def pages_of(info: dict[str, Any]) -> PageCache | None:
    """The page cache attached to a session's (or a database's) ``info``, if any."""
    return info.get(_KEY)
