"""The feed-store interface, on both back-ends: cursors, cap, missing feeds, batched fan-out."""

from __future__ import annotations

from collections.abc import Callable
from math import ceil
from typing import Any

import pytest
import redis
from sqlalchemy import event, func, insert, select

from gazouillis.accounts.tables import Account
from gazouillis.graph.tables import Follow
from gazouillis.ids import new_id
from gazouillis.pagination import Page
from gazouillis.posts.tables import Post
from gazouillis.storage import Database
from gazouillis.timelines.feeds import FeedPolicy, FeedStore, feeds_of
from gazouillis.timelines.feeds.redis import ADD_CHUNK, RedisFeedStore, feed_key
from gazouillis.timelines.tables import FeedEntry
from tests.timelines.conftest import World


def expected(feed: list[int], page: Page) -> list[int]:
    """Mastodon's cursors over a newest-first list."""
    chosen = [
        p
        for p in feed
        if (page.max_id is None or p < page.max_id)
        and (page.since_id is None or p > page.since_id)
        and (page.min_id is None or p > page.min_id)
    ]
    return chosen[-page.limit :] if page.min_id is not None else chosen[: page.limit]


def test_pages_follow_mastodon_cursors(world: World, store: FeedStore) -> None:
    reader, author = world.accounts(2)
    world.follow(reader, author)
    world.open_feeds(reader)
    for n in range(25):
        world.post(author, f"post {n}")
    world.drain()
    feed = world.feed(reader)
    assert feed is not None and len(feed) == 26 and feed == sorted(feed, reverse=True)
    cursors = [None, feed[0] + 1, feed[0], feed[3], feed[12], feed[-1], feed[-1] - 1]
    with world.db.read() as session:
        for limit in (1, 5, 40):
            for a in cursors:
                for b in cursors:
                    for page in (
                        Page(limit=limit, max_id=a, since_id=b),
                        Page(limit=limit, max_id=a, min_id=b),
                    ):
                        window = store.page(session, reader, page)
                        assert window is not None
                        assert [e.post_id for e in window.entries] == expected(feed, page), page


def test_a_feed_is_trimmed_to_the_cap(
    world: World, use_store: Callable[..., FeedStore], backend: str
) -> None:
    store = use_store(cap=10)
    reader, author = world.accounts(2)
    world.follow(reader, author)
    world.open_feeds(reader)
    posts = [world.post(author, f"post {n}") for n in range(15)]
    world.drain()
    newest = list(reversed(posts))[:10]
    assert world.feed(reader) == newest
    # The home timeline ends at the cap too.
    assert world.walk(reader, 4) == newest
    with world.db.write() as session:
        store.trim(session, [reader])
    if backend == "redis":
        assert isinstance(store, RedisFeedStore)
        assert store.client.strlen(feed_key(reader)) == 10 * 16
    else:
        with world.db.read() as session:
            kept = session.scalar(select(func.count()).where(FeedEntry.account_id == reader))
        assert kept == 10


def test_a_missing_feed_is_rebuilt_on_demand(world: World, store: FeedStore, backend: str) -> None:
    reader, a, b = world.accounts(3)
    world.follow(reader, a)
    world.follow(reader, b)
    world.open_feeds(reader)
    root = world.post(a, "a question")
    world.post(b, "@u1 an answer", in_reply_to_id=root)
    world.repost(b, root)
    world.post(a, "hidden", visibility="direct")
    world.drain()
    before = world.walk(reader, 2)
    assert len(before) == 3  # own, root, answer: the repost of a post already shown and the DM stay out
    world.drop_feed(reader)
    assert world.feed(reader) is None
    assert world.walk(reader, 2) == before
    assert world.feed(reader) is not None  # rebuilt, and kept
    if backend == "redis":
        assert isinstance(store, RedisFeedStore)
        assert 0 < store.client.ttl(feed_key(reader)) <= store.ttl


def test_fan_out_goes_in_batches(
    db: Database, use_store: Callable[..., FeedStore], backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = use_store(batch_size=5_000, threshold=10**9)
    author, followers = new_id(), [new_id() for _ in range(12_000)]
    post_id = new_id()
    with db.write() as session:
        session.execute(
            insert(Account),
            [{"id": a, "username": f"f{a}", "username_key": f"f{a}"} for a in [author, *followers]],
        )
        session.execute(
            insert(Follow),
            [{"id": new_id(), "account_id": f, "target_account_id": author} for f in followers],
        )
        session.add(Post(id=post_id, account_id=author, text="to everyone", html="<p>to everyone</p>"))
    # Every follower has a feed already (fan-out never starts one).
    if isinstance(store, RedisFeedStore):
        pipe = store.client.pipeline(transaction=False)
        for f in [author, *followers]:
            pipe.set(feed_key(f), b"")
        pipe.execute()
    else:
        with db.write() as session:
            rows = [{"account_id": f, "post_id": 1, "author_id": f} for f in [author, *followers]]
            session.execute(insert(FeedEntry), rows)

    statements: list[str] = []

    def count_inserts(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if sql.startswith("INSERT INTO feed_entries") and "FROM follows" in sql:
            statements.append(sql)

    pipelines: list[int] = []
    real_execute = redis.client.Pipeline.execute

    def counting_execute(self: redis.client.Pipeline, *args: Any, **kwargs: Any) -> Any:
        pipelines.append(len(self.command_stack))
        return real_execute(self, *args, **kwargs)

    monkeypatch.setattr(redis.client.Pipeline, "execute", counting_execute)
    event.listen(db.write_engine, "before_cursor_execute", count_inserts)
    cursors: list[int | None] = [None]
    try:
        while True:  # one batch per call and transaction, as the fanout.post jobs do
            with db.write() as session:
                post = session.get(Post, post_id)
                assert post is not None
                cursors.append(store.fan_out(session, post, after=cursors[-1]))
            if cursors[-1] is None:
                break
    finally:
        event.remove(db.write_engine, "before_cursor_execute", count_inserts)

    assert len(cursors) == 4  # three batches: two cursors, then None
    if backend == "redis":
        # One pipeline per batch, each of a few script calls (ADD_CHUNK feeds each); the author's own feed
        # rides along with the first batch.
        assert pipelines == [ceil(n / ADD_CHUNK) for n in (5_001, 5_000, 2_000)]
        pipe = store.client.pipeline(transaction=False)
        for f in followers:
            pipe.get(feed_key(f))
        assert all(blob == post_id.to_bytes(8, "big") + bytes(8) for blob in pipe.execute())
    else:
        assert len(statements) == 3
        with db.read() as session:
            reached = session.scalar(select(func.count()).where(FeedEntry.post_id == post_id))
        assert reached == 12_001


def test_an_800_entry_redis_feed_fits_in_16_kb(db: Database, redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    store = RedisFeedStore(client, FeedPolicy(cap=800))
    reader = new_id()
    try:
        client.set(feed_key(reader), b"")
        with db.read() as session:
            for n in range(1_000):  # one at a time, as fan-out does; one in five a repost
                post = Post(id=new_id(), account_id=1, reblog_of_id=new_id() if n % 5 == 0 else None)
                store.add(session, [reader], post)
            window = store.page(session, reader, Page(limit=800))
        assert window is not None and len(window.entries) == 800
        assert client.strlen(feed_key(reader)) == 800 * 16
        used = client.memory_usage(feed_key(reader), samples=0)
        assert used is not None and used <= 16 * 1024, used
        # A rebuild writes the feed whole: the same size.
        client.delete(feed_key(reader))
        with db.read() as session:
            assert store.rebuild(session, reader) == []  # nothing in the database: an empty feed
        blob = b"".join(e.post_id.to_bytes(8, "big") + bytes(8) for e in window.entries)
        store._merge(keys=[feed_key(reader)], args=[blob, 800, 0])
        used = client.memory_usage(feed_key(reader), samples=0)
        assert used is not None and used <= 16 * 1024, used
    finally:
        client.close()


def test_domain_code_needs_a_feed_store_attached(tmp_path: Any) -> None:
    db = Database(f"sqlite:///{tmp_path / 'none.sqlite3'}")
    try:
        with db.read() as session, pytest.raises(RuntimeError, match="attach_from_settings"):
            feeds_of(session)
    finally:
        db.dispose()
