"""The page cache on its own: what each kind of change evicts, the ticket check, the memory bound, expiry."""

from __future__ import annotations

import time
from typing import Any

from gazouillis.changes.pages import HISTORY, Depends, PageCache, Ticket
from gazouillis.changes.tables import ACCOUNT, AUTHOR, EVERYTHING, POST, READER


def page(
    cache: PageCache, key: str, *, reader: int = 1, posts: Any = (10,), accounts: Any = (2,), **kw: Any
) -> bool:
    parts = kw.pop("parts", [f"part-{key}".encode()])
    depends = Depends(reader, frozenset(posts), frozenset(accounts), frozenset(kw.pop("merged", ())), **kw)
    return cache.store(Ticket(cache._applied, time.monotonic()), key, f"value-{key}", parts, depends)


def held(cache: PageCache) -> set[Any]:
    return set(cache._pages)


def test_each_kind_evicts_the_pages_it_touches() -> None:
    cache = PageCache(max_bytes=1 << 20)
    page(cache, "a", reader=1, posts=(10, 11), accounts=(2,))
    page(cache, "b", reader=3, posts=(12,), accounts=(4,), merged=(5,))
    page(cache, "c", reader=6, posts=(13,), accounts=(6,))
    cache._apply(POST, 99)  # shown nowhere
    cache._apply(READER, 2)  # an author, not a reader
    assert held(cache) == {"a", "b", "c"}
    cache._apply(POST, 11)
    assert held(cache) == {"b", "c"}
    cache._apply(AUTHOR, 5)  # a big account merged into b wrote
    assert held(cache) == {"c"}
    cache._apply(ACCOUNT, 6)
    assert held(cache) == set()
    assert cache.bytes == 0 and all(not t for t in cache._index.values())


def test_reader_author_and_everything() -> None:
    cache = PageCache(max_bytes=1 << 20)
    page(cache, "a", reader=1)
    page(cache, "b", reader=7)
    cache._apply(AUTHOR, 1)  # the reader's own post
    assert held(cache) == {"b"}
    cache._apply(READER, 7)
    assert held(cache) == set()
    page(cache, "c", reader=8)
    cache._apply(EVERYTHING, None)
    assert held(cache) == set()


def test_a_change_applied_after_the_lookup_keeps_the_page_out() -> None:
    cache = PageCache(max_bytes=1 << 20)
    ticket = Ticket(cache._applied, time.monotonic())
    cache._apply(POST, 10)  # committed while the page was being read
    depends = Depends(1, frozenset({10}), frozenset({2}))
    assert not cache.store(ticket, "a", "stale", [b"x"], depends)
    # A change that does not touch it does not.
    ticket = Ticket(cache._applied, time.monotonic())
    cache._apply(POST, 99)
    assert cache.store(ticket, "a", "fresh", [b"x"], depends)
    # Too many changes since the ticket to tell: not stored.
    ticket = Ticket(cache._applied, time.monotonic())
    for n in range(HISTORY + 1):
        cache._apply(POST, 1_000_000 + n)
    assert not cache.store(ticket, "b", "unknown", [b"y"], depends)


def test_shared_parts_count_once_and_the_bound_makes_room() -> None:
    own = 1_024 + 128 * 2  # each page's own cost besides its parts (one post, one account)
    cache = PageCache(max_bytes=300 + 2 * own)
    shared = b"s" * 100
    page(cache, "a", parts=[shared, b"a" * 50])
    page(cache, "b", parts=[shared, b"b" * 50])
    assert cache.bytes == 200 + 2 * own  # the shared part once
    page(cache, "c", parts=[b"c" * 150])
    # One of the others made room (a random one), never the page just stored.
    assert held(cache) in ({"a", "c"}, {"b", "c"}) and cache.bytes == 300 + 2 * own
    assert not page(cache, "huge", parts=[b"h" * cache.max_bytes])
    for n in range(50):  # the key list and the pages stay in step through many evictions
        page(cache, f"p{n}", parts=[bytes([n]) * 120])
        assert f"p{n}" in cache._pages  # room is made for a new page, never by evicting it
    assert set(cache._keys) == set(cache._pages) and len(cache._keys) == len(cache._slot) == 2
    page(cache, "wide", parts=[b"w" * (cache.max_bytes - own)])  # every other page must go
    assert held(cache) == {"wide"}
    cache._apply(READER, 1)
    assert held(cache) == set() and cache._keys == [] and cache.bytes == 0


def test_pages_expire() -> None:
    cache = PageCache(max_bytes=1 << 20, ttl=60)

    class Session:  # the log is not read: the cursor says it was, and tail.read is not reached
        pass

    cache._cursor = "done"
    cache.catch_up = lambda session: None  # type: ignore[method-assign]
    page(cache, "soon", until=time.time() - 1)  # a mute that ran out
    page(cache, "later", until=time.time() + 3600)
    assert cache.lookup(Session(), "soon")[0] is None  # type: ignore[arg-type]
    assert cache.lookup(Session(), "later")[0] == "value-later"  # type: ignore[arg-type]
    old = Ticket(cache._applied, time.monotonic() - 61)
    cache.store(old, "old", "v", [b"o"], Depends(1, frozenset(), frozenset()))
    assert cache.lookup(Session(), "old")[0] is None  # type: ignore[arg-type]
