"""The page cache on its own: what each kind of change makes stale, a change read after a page's lookup,
expiry, the floor, the memory bound of a process's store, and the file store shared by processes."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from gazouillis.api.http import Reply, decode_reply, encode_reply
from gazouillis.changes import pages as pages_module
from gazouillis.changes import stores
from gazouillis.changes.pages import Depends, PageCache, Ticket
from gazouillis.changes.stores import FileStore, LocalStore, reset, store_path
from gazouillis.changes.tables import ACCOUNT, AUTHOR, EVERYTHING, LOGIN, POST, READER, TOKEN


class NoSession:
    """Stands for a session: these caches' log is fed by hand (changes below), never read."""

    def get_bind(self) -> None:
        return None


def cache_on(store: Any, **kw: Any) -> PageCache:
    cache = PageCache(store, **kw)
    cache._cursor = "fed by hand"
    cache._position = cache._floor = 1
    cache._started = time.time() - 1
    cache.catch_up = lambda engine, wait=True: True  # type: ignore[method-assign]
    return cache


def changes(cache: PageCache, *items: tuple[str, int | None]) -> None:
    """A read of the log bringing ``items``, as catch_up applies them."""
    with cache._lock:
        cache._position += 1
        for kind, ref in items:
            cache._apply(kind, ref, cache._position)


def page(
    cache: PageCache, key: str, *, reader: int = 1, posts: Any = (10,), accounts: Any = (2,), **kw: Any
) -> bool:
    parts = kw.pop("parts", [f"part-{key}".encode()])
    ticket = kw.pop("ticket", None) or cache.lookup(NoSession(), key)[1]  # type: ignore[arg-type]
    body = kw.pop("body", [f"value-{key}"])
    depends = Depends(reader, frozenset(posts), frozenset(accounts), frozenset(kw.pop("merged", ())), **kw)
    return cache.keep(ticket, key, Reply(body), parts, depends)


@pytest.fixture(params=["local", "file"])
def cache(request: pytest.FixtureRequest, tmp_path: Path) -> PageCache:
    if request.param == "local":
        return cache_on(LocalStore(max_bytes=1 << 20))
    return cache_on(FileStore(tmp_path / "pages", max_bytes=1 << 20, codec=(encode_reply, decode_reply)))


def keys_served(cache: PageCache, *keys: str) -> set[str]:
    return {k for k in keys if cache.lookup(NoSession(), k)[0] is not None}  # type: ignore[arg-type]


def test_each_kind_makes_the_pages_it_touches_stale(cache: PageCache) -> None:
    page(cache, "a", reader=1, posts=(10, 11), accounts=(2,))
    page(cache, "b", reader=3, posts=(12,), accounts=(4,), merged=(5,))
    page(cache, "c", reader=6, posts=(13,), accounts=(6,))
    changes(cache, (POST, 99), (READER, 2))  # shown nowhere; an author, not a reader
    assert keys_served(cache, "a", "b", "c") == {"a", "b", "c"}
    changes(cache, (POST, 11))
    assert keys_served(cache, "a", "b", "c") == {"b", "c"}
    changes(cache, (AUTHOR, 5))  # a big account merged into b wrote
    assert keys_served(cache, "b", "c") == {"c"}
    changes(cache, (ACCOUNT, 6))
    assert keys_served(cache, "c") == set()
    assert cache.store.stats()["pages"] == 0  # each stale page was dropped when found


def test_reader_author_and_everything(cache: PageCache) -> None:
    page(cache, "a", reader=1)
    page(cache, "b", reader=7)
    changes(cache, (AUTHOR, 1))  # the reader's own post
    assert keys_served(cache, "a", "b") == {"b"}
    changes(cache, (READER, 7))
    assert keys_served(cache, "b") == set()
    page(cache, "c", reader=8)
    changes(cache, (EVERYTHING, None))
    assert keys_served(cache, "c") == set()
    page(cache, "d", reader=8)  # rendered after it: served
    assert keys_served(cache, "d") == {"d"}


def test_a_change_read_after_the_lookup_makes_the_page_stale(cache: PageCache) -> None:
    _, ticket = cache.lookup(NoSession(), "a")  # type: ignore[arg-type]
    changes(cache, (POST, 10))  # committed while the page was being rendered
    page(cache, "a", posts=(10,), ticket=ticket)
    assert keys_served(cache, "a") == set()
    # A change that does not touch it does not.
    _, ticket = cache.lookup(NoSession(), "a")  # type: ignore[arg-type]
    changes(cache, (POST, 99))
    page(cache, "a", posts=(10,), ticket=ticket)
    assert keys_served(cache, "a") == {"a"}


def test_pages_expire_and_old_tickets_are_not_trusted(cache: PageCache) -> None:
    cache.ttl = 60
    page(cache, "soon", until=time.time() - 1)  # a mute that ran out
    page(cache, "later", until=time.time() + 3600)
    assert keys_served(cache, "soon", "later") == {"later"}
    page(cache, "old", ticket=Ticket(cache._position, time.time() - 61))
    assert keys_served(cache, "old") == set()
    page(cache, "before start", ticket=Ticket(cache._position, cache._started - 1))
    page(cache, "below floor", ticket=Ticket(cache._floor - 1, time.time()))
    assert keys_served(cache, "before start", "below floor") == set()


def test_stamps_older_than_every_live_page_are_forgotten(
    cache: PageCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.ttl = 60
    clock = [1_000_000.0]
    monkeypatch.setattr(pages_module.time, "time", lambda: clock[0])
    changes(cache, (POST, 10))
    cache._forget()  # a first mark, at this position
    kept = Ticket(cache._position, clock[0])
    page(cache, "a", posts=(11,), ticket=kept)
    clock[0] += 61
    changes(cache, (POST, 12))
    cache._forget()
    assert 10 not in cache._stamps["posts"] and 12 in cache._stamps["posts"]
    assert cache._floor == kept.position  # what was forgotten can no longer be checked: not trusted
    assert keys_served(cache, "a") == set()


def test_the_local_bound_makes_room_and_counts_shared_parts_once() -> None:
    own = 1_024 + 128 * 2  # each page's own cost besides its parts (one post, one account)
    store = LocalStore(max_bytes=300 + 2 * own)
    cache = cache_on(store)
    shared = b"s" * 100
    page(cache, "a", parts=[shared, b"a" * 50])
    page(cache, "b", parts=[shared, b"b" * 50])
    assert store.bytes == 200 + 2 * own  # the shared part once
    page(cache, "c", parts=[b"c" * 150])
    # One of the others made room (a random one), never the page just stored.
    assert set(store._pages) in ({"a", "c"}, {"b", "c"}) and store.bytes == 300 + 2 * own
    assert not page(cache, "huge", parts=[b"h" * store.max_bytes])
    for n in range(50):  # the key list and the pages stay in step through many evictions
        page(cache, f"p{n}", parts=[bytes([n]) * 120])
        assert f"p{n}" in store._pages  # room is made for a new page, never by evicting it
    assert set(store._keys) == set(store._pages) and len(store._keys) == len(store._slot) == 2
    page(cache, "wide", parts=[b"w" * (store.max_bytes - own)])  # every other page must go
    assert set(store._pages) == {"wide"}
    store.drop("wide")
    assert store._keys == [] and store.bytes == 0 and store._parts == {}


def test_the_file_store_is_shared_and_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two processes' caches over one file: a page one kept is served by the other, with its links,
    and made stale there by a change that process read."""
    path = store_path(tmp_path / "db.sqlite3")
    codec = (encode_reply, decode_reply)
    one = cache_on(FileStore(path, max_bytes=1 << 20, codec=codec))
    two = cache_on(FileStore(path, max_bytes=1 << 20, codec=codec))
    _, ticket = one.lookup(NoSession(), "home")  # type: ignore[arg-type]
    reply = Reply([{"id": "1"}], headers={"Link": '<http://x/next>; rel="next"'})
    one.keep(ticket, "home", reply, [], Depends(1, frozenset({10}), frozenset({2})))
    found, _ = two.lookup(NoSession(), "home")  # type: ignore[arg-type]
    assert found is not None and found.headers == reply.headers
    assert orjson.dumps(found.body) == b'[{"id":"1"}]'
    changes(two, (ACCOUNT, 2))  # the author renamed themselves: process two read it
    assert keys_served(two, "home") == set()
    assert keys_served(one, "home") == set()  # two dropped it from the file
    # Beyond its bound, the oldest pages go (down to three quarters of it), at the next prune.
    bounded = FileStore(tmp_path / "small", max_bytes=4_000, codec=codec)
    small = cache_on(bounded)
    for n in range(10):
        page(small, f"p{n}", body=["x" * 500], ticket=Ticket(small._position, time.time() + n))
    assert bounded.stats()["bytes"] > 4_000
    monkeypatch.setattr(bounded, "_pruned", 0.0)  # the next keep prunes
    page(small, "last", body=["x" * 500], ticket=Ticket(small._position, time.time() + 20))
    assert 0 < bounded.stats()["bytes"] <= 3_000
    assert keys_served(small, "last", "p0") == {"last"}  # the newest stays, the oldest went
    # A start empties the store: its pages were checked against a log that may not go on.
    for c in (one, two):
        c.close()
    reset(tmp_path / "db.sqlite3")
    assert not path.exists()


def test_keys_sharing_a_row_of_the_file_store_are_told_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page's row is a hash of its key: another key with the same hash is a miss, never its page."""
    monkeypatch.setattr(stores, "_id", lambda name: 7)
    cache = cache_on(FileStore(tmp_path / "pages", max_bytes=1 << 20, codec=(encode_reply, decode_reply)))
    page(cache, "a")
    assert keys_served(cache, "a", "b") == {"a"}
    page(cache, "b")  # takes the row
    assert keys_served(cache, "a", "b") == {"b"}


def test_peek_serves_only_fresh_pages_and_counts_no_miss(cache: PageCache) -> None:
    page(cache, "a", reader=1)
    assert cache.peek("a") is not None and cache.peek("z") is None
    changes(cache, (READER, 1))
    misses = cache.misses
    assert cache.peek("a") is None
    assert cache.misses == misses  # the lookup that follows counts it (and drops the page)
    assert keys_served(cache, "a") == set() and cache.misses == misses + 1


def test_current_checks_a_ticket_against_any_field(cache: PageCache) -> None:
    """What a remembered token check asks (gazouillis.oauth.memo): its token's row, its login's row."""
    ticket = cache.ticket()
    refs = (("tokens", (5,)), ("logins", (9,)))
    changes(cache, (READER, 9), (POST, 5))  # about other things than tokens and logins
    assert cache.current(ticket, refs)
    changes(cache, (TOKEN, 5))
    assert not cache.current(ticket, refs)
    assert cache.current(cache.ticket(), refs)  # a check made since holds
    ticket = cache.ticket()
    changes(cache, (LOGIN, 9))
    assert not cache.current(ticket, refs)
