"""Hydration: a fixed number of queries per page, cached fixed parts, and always-fresh counts and state."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from gazouillis.config import Settings
from gazouillis.posts.cache import (
    NO_EXTRAS,
    AppRef,
    MentionRef,
    PostCache,
    TagRef,
    decode_extras,
    encode_extras,
    make_extras,
    post_cache_of,
)
from gazouillis.storage import Database
from tests.conftest import User


@contextmanager
def counting(db: Database) -> Iterator[list[str]]:
    """The SQL statements run on ``db`` inside the block."""
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement != "BEGIN":  # SQLite's explicit transaction start
            statements.append(statement)

    engines = {db.read_engine, db.write_engine}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)


def test_a_page_costs_the_same_few_queries_whatever_its_size(
    alice: User, bob: User, carol: User, make_user: Any, db: Database, drain: Any
) -> None:
    dave = make_user("dave")  # not followed by bob: his posts reach bob only as carol's reposts
    bob.post(f"/api/v1/accounts/{alice.id}/follow")
    bob.post(f"/api/v1/accounts/{carol.id}/follow")
    for n in range(30):
        alice.status(f"#tag{n % 3} hello @bob number {n}")
        if n % 10 == 5:
            carol.post(f"/api/v1/statuses/{dave.status(f'dave {n} #jazz')['id']}/reblog")
    drain()
    bob.get("/api/v1/timelines/home")  # the feed exists (a first read may rebuild it)
    costs = {}
    for limit in (5, 30):
        path = f"/api/v1/timelines/home?limit={limit}"
        cache = post_cache_of(db.info)
        assert cache is not None
        cache.clear()
        with counting(db) as cold:
            first = bob.get(path).json()
        with counting(db) as warm:
            again = bob.get(path).json()
        assert first == again and len(first) == limit
        assert sum(1 for s in first if s["reblog"]) == {5: 1, 30: 3}[limit]
        costs[limit] = (len(cold), len(warm))
    # Independent of the page size; the cached fixed parts (mentions, tags, application) save queries.
    assert costs[5] == costs[30]
    cold_count, warm_count = costs[30]
    assert warm_count < cold_count
    # token, feed window, big accounts followed, vet, originals of reposts, authors, viewer state, and the
    # screen (hidden accounts with exclusive lists' members; keyword filters): one each per page
    assert warm_count <= 9


def test_counts_and_viewer_state_are_fresh_with_the_cache_warm(alice: User, bob: User) -> None:
    posted = alice.status("count me #fresh @bob")
    path = f"/api/v1/statuses/{posted['id']}"
    before = bob.get(path).json()
    assert before["favourites_count"] == 0 and before["favourited"] is False
    bob.post(f"{path}/favourite")
    bob.post(f"{path}/bookmark")
    after = bob.get(path).json()
    assert after["favourites_count"] == 1 and after["favourited"] is True and after["bookmarked"] is True
    assert [t["name"] for t in after["tags"]] == ["fresh"]
    assert [m["username"] for m in after["mentions"]] == ["bob"]
    # Profile changes show at once too: the rendered profile is checked against the row.
    alice.patch("/api/v1/accounts/update_credentials", data={"display_name": "Alice Renamed"})
    assert bob.get(path).json()["account"]["display_name"] == "Alice Renamed"
    assert bob.get(path).json()["account"]["statuses_count"] == 1


def test_a_deleted_post_is_gone_though_its_parts_are_cached(alice: User, bob: User) -> None:
    posted = alice.status("soon gone #bye")
    assert bob.get(f"/api/v1/statuses/{posted['id']}").status_code == 200
    alice.delete(f"/api/v1/statuses/{posted['id']}")
    assert bob.get(f"/api/v1/statuses/{posted['id']}").status_code == 404
    assert posted["id"] not in [s["id"] for s in bob.get("/api/v1/timelines/public").json()]


def test_cached_and_uncached_pages_are_identical(
    alice: User, bob: User, db: Database, settings: Settings
) -> None:
    for n in range(5):
        alice.status(f"@bob #same {n}")
    cached = bob.get("/api/v1/timelines/public").json()
    cache = post_cache_of(db.info)
    assert cache is not None
    cache.clear()
    db.info.pop("post_cache")  # hydration now reads every part from the database
    try:
        assert bob.get("/api/v1/timelines/public").json() == cached
    finally:
        db.info["post_cache"] = cache


def test_extras_round_trip_through_their_encoding() -> None:
    extras = make_extras(
        (MentionRef(1, "ann"), MentionRef(2, "bo")), (TagRef(3, "café", "Café"),), AppRef("toot", None)
    )
    assert decode_extras(encode_extras(extras)) == extras
    assert decode_extras(encode_extras(NO_EXTRAS)) == NO_EXTRAS


def test_redis_shares_fixed_parts_between_processes(redis_url: str) -> None:
    import redis

    extras = make_extras(
        (MentionRef(7, "ann"),), (TagRef(9, "jazz", "Jazz"),), AppRef("Elk", "https://elk.zone")
    )
    one = PostCache(100, redis.Redis.from_url(redis_url))
    other = PostCache(100, redis.Redis.from_url(redis_url))  # another process: its own memory
    one.put_many({(42, None): extras})
    assert other.get_many([(42, None), (43, None)]) == {(42, None): extras}
    one.close()
    other.close()


def test_an_unreachable_redis_is_only_a_miss(caplog: pytest.LogCaptureFixture) -> None:
    import redis

    cache = PostCache(100, redis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2))
    cache.put_many({(1, None): NO_EXTRAS})  # logged, kept in memory
    assert cache.get_many([(1, None), (2, None)]) == {(1, None): NO_EXTRAS}
    assert "Redis" in caplog.text


def test_an_empty_home_feed_is_built_once(alice: User, db: Database) -> None:
    # A newcomer following nobody: the first read builds an empty feed; later reads only read it
    # (before, every read rebuilt it, each in a write transaction that SQLite serialises).
    assert alice.get("/api/v1/timelines/home").json() == []
    with counting(db) as statements:
        assert alice.get("/api/v1/timelines/home").json() == []
    assert not [s for s in statements if s.lstrip().upper().startswith("INSERT")]
    # The marker that says so never shows, and the feed fills as usual.
    posted = alice.status("first words")
    assert [s["id"] for s in alice.get("/api/v1/timelines/home").json()] == [posted["id"]]


def test_rendered_statuses_follow_every_change(
    alice: User, bob: User, carol: User, make_user: Any, drain: Any
) -> None:
    # Timelines encode each status once and reuse it while nothing it shows has changed (the key is the
    # rows and the viewer's flags): every change must still show on the next page, for each viewer.
    dave = make_user("dave")  # follows carol only: alice's post reaches him as carol's repost
    for reader in (bob, carol):
        reader.post(f"/api/v1/accounts/{alice.id}/follow")
    dave.post(f"/api/v1/accounts/{carol.id}/follow")
    posted = alice.status("render me #fresh")
    drain()

    def shown(reader: User) -> dict[str, Any]:
        return next(s for s in reader.get("/api/v1/timelines/home").json() if s["id"] == posted["id"])

    assert shown(bob)["favourites_count"] == 0 and shown(bob)["favourited"] is False
    carol.post(f"/api/v1/statuses/{posted['id']}/favourite")
    assert shown(bob)["favourites_count"] == 1 and shown(bob)["favourited"] is False
    assert shown(carol)["favourited"] is True
    bob.post(f"/api/v1/statuses/{posted['id']}/bookmark")
    assert shown(bob)["bookmarked"] is True and shown(carol)["bookmarked"] is False
    alice.patch("/api/v1/accounts/update_credentials", data={"display_name": "Alice Renamed"})
    assert shown(carol)["account"]["display_name"] == "Alice Renamed"
    alice.status("another one")
    assert shown(bob)["account"]["statuses_count"] == 2
    # A repost embeds the original with the reader's own flags and its current counts.
    carol.post(f"/api/v1/statuses/{posted['id']}/reblog")
    drain()

    def embedded(reader: User) -> dict[str, Any]:
        return next(s["reblog"] for s in reader.get("/api/v1/timelines/home").json() if s["reblog"])

    assert embedded(dave)["id"] == posted["id"] and embedded(dave)["favourited"] is False
    assert embedded(dave)["reblogs_count"] == 1 and embedded(dave)["favourites_count"] == 1
    dave.post(f"/api/v1/statuses/{posted['id']}/favourite")
    assert embedded(dave)["favourited"] is True and embedded(dave)["favourites_count"] == 2
    assert shown(bob)["favourites_count"] == 2 and shown(bob)["favourited"] is False
