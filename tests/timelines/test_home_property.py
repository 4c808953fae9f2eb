"""Property: the home timeline is what the rules say, whether authors are fanned out or merged at read time.

Random small communities (5–8 accounts; follows with and without reposts, unfollows; public, unlisted,
followers-only and direct posts with mentions; replies, reposts, deletions; feeds lost and rebuilt, read
at random moments, jobs run at random moments) and a random fan-out threshold. Once every job has run,
each member's home timeline, walked page by page with ``max_id``, must equal a reference computed here
from the rows, independently of the application's queries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from gazouillis.graph.tables import Follow
from gazouillis.posts.tables import Mention, Post
from gazouillis.storage import Database
from gazouillis.timelines.feeds import FeedStore
from gazouillis.timelines.feeds.redis import RedisFeedStore
from tests.conftest import empty_database
from tests.timelines.conftest import World

VISIBILITIES = ("public", "public", "unlisted", "private", "direct")
index = st.integers(0, 7)
post_index = st.integers(0, 40)
follow = st.tuples(st.just("follow"), index, index, st.booleans() | st.just(True))
post = st.tuples(st.just("post"), index, st.sampled_from(VISIBILITIES), st.none() | index)
reply = st.tuples(st.just("reply"), index, post_index, st.sampled_from(VISIBILITIES))
repost = st.tuples(st.just("repost"), index, post_index)
drain = st.tuples(st.just("drain"))
read = st.tuples(st.just("read"), index)
# Weighted towards what builds timelines (follows, posts), with jobs and reads at random moments so
# fan-outs, merges, rebuilds and removals interleave in every order.
operations = st.one_of(
    follow,
    follow,
    st.tuples(st.just("unfollow"), index, index),
    post,
    post,
    reply,
    repost,
    st.tuples(st.just("delete"), post_index),
    drain,
    drain,
    st.tuples(st.just("drop"), index),
    read,
    read,
)


def reference(session: Session, reader: int) -> list[int]:
    """What ``reader`` should see, newest first, straight from the rules on the rows."""
    posts = {p.id: p for p in session.scalars(select(Post))}
    follows = {(f.account_id, f.target_account_id): f.show_reblogs for f in session.scalars(select(Follow))}
    mentioned = {(m.post_id, m.account_id) for m in session.scalars(select(Mention))}

    def belongs(p: Post) -> bool:
        if p.account_id == reader:
            return True
        shows_reposts = follows.get((reader, p.account_id))
        if shows_reposts is None or (p.reblog_of_id is not None and not shows_reposts):
            return False
        if p.visibility == "direct" and (p.id, reader) not in mentioned:
            return False
        other = p.in_reply_to_account_id
        return other in (None, p.account_id, reader) or (reader, other) in follows

    def visible(p: Post) -> bool:
        return (
            p.visibility in ("public", "unlisted")
            or p.account_id == reader
            or (p.id, reader) in mentioned
            or (p.visibility == "private" and (reader, p.account_id) in follows)
        )

    candidates = [p for p in posts.values() if belongs(p)]
    first: dict[int, int] = {}
    for p in candidates:  # one entry per reposted post: the earliest the reader gets
        group = p.reblog_of_id or p.id
        first[group] = min(first.get(group, p.id), p.id)
    shown = [
        p.id
        for p in candidates
        if first[p.reblog_of_id or p.id] == p.id
        and visible(p)
        and (p.reblog_of_id is None or visible(posts[p.reblog_of_id]))
    ]
    return sorted(shown, reverse=True)


@pytest.fixture
def fresh(db: Database, use_store: Callable[..., FeedStore]) -> Callable[[int], World]:
    """A new, empty community for each example (hypothesis runs many inside one test)."""

    def make(threshold: int) -> World:
        empty_database(db)
        store = use_store(threshold=threshold)
        if isinstance(store, RedisFeedStore):
            store.client.flushdb()
        return World(db)

    return make


def play(world: World, ids: list[int], ops: list[tuple[Any, ...]]) -> None:
    posts: list[tuple[int, int]] = []  # (post, author), deleted ones included: acting on them is refused

    def pick(k: int) -> tuple[int, int] | None:
        return posts[k % len(posts)] if posts else None

    for op in ops:
        kind, args = op[0], op[1:]
        account = ids[args[0] % len(ids)] if args and kind not in ("delete",) else 0
        if kind == "follow" and (target := ids[args[1] % len(ids)]) != account:
            world.follow(account, target, reblogs=args[2])
        elif kind == "unfollow" and (target := ids[args[1] % len(ids)]) != account:
            world.unfollow(account, target)
        elif kind == "post":
            mention = "" if args[2] is None else f"@u{args[2] % len(ids)} "
            posts.append((world.post(account, mention + "hello", visibility=args[1]), account))
        elif kind == "reply" and (parent := pick(args[1])):
            made = world.attempt(world.post, account, "indeed", in_reply_to_id=parent[0], visibility=args[2])
            if made:
                posts.append((made, account))
        elif kind == "repost" and (original := pick(args[1])):
            made = world.attempt(world.repost, account, original[0])
            if made:
                posts.append((made, account))
        elif kind == "delete" and (target_post := pick(args[0])):
            world.attempt(world.delete, target_post[1], target_post[0])
        elif kind == "drain":
            world.drain()
        elif kind == "drop":
            world.drop_feed(account)
        elif kind == "read":
            world.home(account)
    world.drain()


@settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_home_matches_the_rules_whatever_the_threshold(
    fresh: Callable[[int], World], data: st.DataObject
) -> None:
    size = data.draw(st.integers(5, 7), label="accounts")
    world = fresh(data.draw(st.integers(0, 3), label="threshold"))  # often someone is big
    ids = world.accounts(size)
    # Everyone starts with a feed, so what follows goes through fan-out, merges and removals; a feed is
    # rebuilt only when lost ("drop"), and once more for everyone at the end.
    world.open_feeds(*ids)
    play(world, ids, data.draw(st.lists(operations, min_size=8, max_size=24), label="operations"))
    limit = data.draw(st.integers(2, 5), label="limit")
    for reader in ids:
        with world.db.read() as session:
            expected = reference(session, reader)
        pages: list[list[int]] = []
        cursor: int | None = None
        while page := world.home(reader, limit=limit, max_id=cursor):
            pages.append(page)
            cursor = page[-1]
        assert pages == [expected[i : i + limit] for i in range(0, len(expected), limit)], reader
        if expected:
            after = data.draw(st.sampled_from(expected), label="min_id")
            newer = [p for p in expected if p > after]
            assert world.home(reader, limit=limit, min_id=after) == newer[-limit:]
            assert world.home(reader, limit=limit, since_id=after) == newer[:limit]
    # Nobody's view depends on whether a feed was kept: lose them all, read again (one page: walking
    # pages over a rebuilt feed is what the first check did for the feeds lost during the play).
    for reader in ids:
        with world.db.read() as session:
            expected = reference(session, reader)
        world.drop_feed(reader)
        assert world.home(reader, limit=40) == expected[:40]


def test_the_reference_is_not_trivial(world: World) -> None:
    """A sanity check of the reference itself on a hand-made case."""
    a, b, reader = world.accounts(3)
    world.follow(reader, a)
    root = world.post(b, "not followed")
    reply = world.post(a, "@u1 reply to someone the reader does not follow", in_reply_to_id=root)
    direct = world.post(a, "@u2 secret", visibility="direct")
    plain = world.post(a, "hello")
    world.drain()
    with world.db.read() as session:
        assert reply not in reference(session, reader)
        assert reference(session, reader) == [plain, direct]
    assert world.walk(reader, 1) == [plain, direct]
