"""Rendered pages served again while nothing they show has changed (checked against the change log).

A page (a reader's home timeline, or an account's posts as a viewer sees them, as the API renders it) is
kept with what it depends on: its reader, the posts it shows (reposted and quoted ones too), their
authors, and the accounts whose new posts reach it without a feed (the big accounts merged into a home
page at read time, the owner of an account's page), and with its *ticket*: the position in the change
log this process had read to when the page's lookup began (the page was rendered after it).

Before each lookup the process reads the change log from where it stopped (:mod:`.tail`) and stamps
every reader, post and account a change is about with the position it read it at. A kept page is served
only if none of its dependencies has a stamp after its ticket: a like, an edit, a follow or a post
delivered to the reader's feed anywhere, in any process, makes it stale before the next lookup anywhere.
A page being rendered while a change commits is checked the same way the next time it is looked up.

Because the check happens at lookup, a page need not be found and dropped when a change comes: the
store holding pages may be shared by processes (:class:`~.stores.FileStore`, on SQLite, whose log
positions mean the same to every process) or be one process's memory (:class:`~.stores.LocalStore`).

Pages also expire: after ``ttl`` seconds (shorter than the log's retention, so no change a live page
depends on is pruned unread), or at a moment the reader chose in advance (a mute or a filter that runs
out, which no write announces). A process trusts no page ticketed before it began reading the log.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from gazouillis.changes import tail
from gazouillis.changes.tables import ACCOUNT, AUTHOR, EVERYTHING, LOGIN, POST, READER, TOKEN

_KEY = "pages"
# Seconds a page lives at most; the change log keeps its rows RETENTION seconds (see prune).
TTL = 300.0
# Which of a page's dependencies a change of each kind is about (the fields of Depends).
AFFECTS = {
    POST: ("posts",),
    READER: ("reader",),
    AUTHOR: ("reader", "merged"),
    ACCOUNT: ("accounts", "merged", "reader"),
    # No page shows them: they are what a remembered token check depends on (gazouillis.oauth.memo).
    TOKEN: ("tokens",),
    LOGIN: ("logins",),
}
FIELDS = ("reader", "posts", "accounts", "merged", "tokens", "logins")
# How often stamps older than every live page are forgotten (seconds).
FORGET_EVERY = 30.0


@dataclass(frozen=True, slots=True)
class Ticket:
    """What a lookup saw: the log position this process had read to, and when (wall clock: a shared
    store's pages are checked by other processes)."""

    position: int
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


@dataclass(frozen=True, slots=True)
class Kept:
    """A page as a store holds it."""

    value: Any
    parts: Sequence[bytes]  # the encoded statuses ``value`` is made of (what pages share in memory)
    depends: Depends
    ticket: Ticket
    expires: float  # wall clock


class Store(Protocol):
    """Where pages are kept: by key, checked by the cache on the way out."""

    # Whether other processes read it: then tickets must be positions every process shares.
    shared: bool

    def get(self, key: Hashable) -> Kept | None: ...

    def put(self, key: Hashable, kept: Kept) -> bool: ...

    def drop(self, key: Hashable) -> None: ...

    def clear(self) -> None: ...

    def stats(self) -> dict[str, int]: ...

    def close(self) -> None: ...


class PageCache:
    """One process's view of the log and its check of the pages in ``store``; thread-safe."""

    def __init__(self, store: Store, *, ttl: float = TTL) -> None:
        self.store = store
        self.ttl = ttl
        self._lock = threading.Lock()
        self._reading = threading.Lock()
        # field -> ref -> the position of the last change about it (FIELDS; what AFFECTS names).
        self._stamps: dict[str, dict[int, int]] = {name: {} for name in FIELDS}
        # Pages ticketed before this position are not trusted: the last change touching everything, the
        # position this process began reading the log at, or the oldest stamp it still remembers.
        self._floor = 0
        self._started = time.time()
        self._cursor: Any = None
        self._position = 0
        # (when, position) every FORGET_EVERY seconds: the stamps older than ttl can go.
        self._marks: deque[tuple[float, int]] = deque()
        self.hits = self.misses = 0

    def stats(self) -> dict[str, int]:
        """What a log line says of it (at shutdown)."""
        return {"hits": self.hits, "misses": self.misses, **self.store.stats()}

    # -- reading ----------------------------------------------------------------------------------------

    def lookup(self, session: Session, key: Hashable) -> tuple[Any, Ticket]:
        """The page kept under ``key`` if nothing it shows has changed (else None), and the ticket to
        keep its new rendering with."""
        self.catch_up(session.get_bind())
        now = time.time()
        ticket = Ticket(self._position, now)
        kept = self.store.get(key)
        if kept is not None and not self._fresh(kept, now):
            self.store.drop(key)
            kept = None
        if kept is None:
            self.misses += 1
            return None, ticket
        self.hits += 1
        return kept.value, ticket

    def peek(self, key: Hashable) -> Any:
        """The page kept under ``key`` if nothing it shows has changed, else None (nothing dropped,
        no miss counted: the caller goes on to :meth:`lookup`). Only after a :meth:`catch_up`."""
        kept = self.store.get(key)
        if kept is None or not self._fresh(kept, time.time()):
            return None
        self.hits += 1
        return kept.value

    def ticket(self) -> Ticket:
        """A ticket for something read from the database now, as of the log read last (earlier than
        the read: a change in between only makes it stale too soon)."""
        return Ticket(self._position, time.time())

    def catch_up(self, engine: Engine, *, wait: bool = True) -> bool:
        """Stamp what the changes committed since the last read of the log are about (read on
        ``engine``, outside any transaction: whatever is read next is newer); whether it was read.
        ``wait=False``: not if another thread is reading it (on the event loop, which must not wait)."""
        # One read of the log at a time: each goes on from the cursor the one before left.
        if not self._reading.acquire(blocking=wait):
            return False
        try:
            if self._cursor is None:
                self._cursor = tail.start(engine)
                self._position = self._floor = self._place(self._cursor)
                self._started = time.time()
                return True
            changes, cursor = tail.read(engine, self._cursor)
            if changes == []:
                self._cursor = cursor
                return True
            with self._lock:
                self._position = self._place(cursor)
                if changes is None:  # too many to read: every page kept before is stale
                    self._floor = self._position
                    for stamps in self._stamps.values():
                        stamps.clear()
                else:
                    for kind, ref, at in changes:
                        self._apply(kind, ref, self._position if at is None else at)
                self._cursor = cursor
                self._forget()
            return True
        finally:
            self._reading.release()

    # -- writing ----------------------------------------------------------------------------------------

    def keep(
        self, ticket: Ticket, key: Hashable, value: Any, parts: Sequence[bytes], depends: Depends
    ) -> bool:
        """Keep ``value`` (made of ``parts``) under ``key`` as of ``ticket``; whether the store took it.

        Not checked here: a change read since the ticket makes the page stale at its first lookup."""
        return self.store.put(key, Kept(value, parts, depends, ticket, ticket.at + self.ttl))

    def clear(self) -> None:
        """Forget every page (the store's too)."""
        self.store.clear()

    def close(self) -> None:
        self.store.close()

    # -- checking ---------------------------------------------------------------------------------------

    def current(self, ticket: Ticket, refs: Iterable[tuple[str, Iterable[int]]]) -> bool:
        """Whether nothing read since ``ticket`` is about any of ``refs`` (field, references), nor
        about everything, and the ticket is one this process can check."""
        position = ticket.position
        with self._lock:
            if position < self._floor or ticket.at < self._started:
                return False
            for name, ids in refs:
                stamps = self._stamps[name]
                for ref in ids:
                    if stamps.get(ref, 0) > position:
                        return False
        return True

    def _fresh(self, kept: Kept, now: float) -> bool:
        depends = kept.depends
        if kept.expires <= now or (depends.until is not None and now >= depends.until):
            return False
        return self.current(kept.ticket, _refs(depends))

    def _place(self, cursor: Any) -> int:
        """The position a cursor stands for: the log's own on SQLite (every process reads the same
        sequence), else this process's count of reads that brought changes."""
        shared = tail.position(cursor)
        if shared is not None:
            return shared
        if self.store.shared:
            raise ValueError("a shared page store needs a change log with global positions (SQLite)")
        return self._position + 1

    def _apply(self, kind: str, ref: int | None, position: int) -> None:
        """Under the lock: stamp what a change is about with its position."""
        if kind == EVERYTHING:
            self._floor = max(self._floor, position)
            return
        if ref is None:
            return
        for name in AFFECTS.get(kind, ()):
            self._stamps[name][ref] = position

    def _forget(self) -> None:
        """Under the lock: drop the stamps older than any page that can still be served (ticketed more
        than ttl ago: expired), raising the floor to them, so the stamps stay as few as the changes
        of the last ttl seconds."""
        now = time.time()
        if not self._marks or now - self._marks[-1][0] >= FORGET_EVERY:
            self._marks.append((now, self._position))
        old = None
        while self._marks and self._marks[0][0] <= now - self.ttl:
            old = self._marks.popleft()[1]
        if old is not None and old > self._floor:
            self._floor = old
            for name in FIELDS:
                self._stamps[name] = {r: p for r, p in self._stamps[name].items() if p > old}


def _refs(d: Depends) -> tuple[tuple[str, Iterable[int]], ...]:
    """A page's dependencies by field (the names of AFFECTS and of the stamps)."""
    return (("reader", (d.reader,)), ("posts", d.posts), ("accounts", d.accounts), ("merged", d.merged))


def attach(db: Any, cache: PageCache | None) -> PageCache | None:
    """Make ``cache`` the page cache of every session of ``db`` (None: no page cache)."""
    return db.attach(_KEY, cache)


def pages_of(info: dict[str, Any]) -> PageCache | None:
    """The page cache attached to a session's (or a database's) ``info``, if any."""
    return info.get(_KEY)
