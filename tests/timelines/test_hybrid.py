"""Hybrid fan-out: big accounts merged at read time; nothing twice, nothing missing, on both back-ends."""

from __future__ import annotations

from collections.abc import Callable

from gazouillis.timelines.feeds import FeedStore
from gazouillis.timelines.feeds.redis import RedisFeedStore, feed_key
from tests.timelines.conftest import World


def test_a_big_account_is_merged_at_read_time(world: World, use_store: Callable[..., FeedStore]) -> None:
    use_store(threshold=2)
    author, r1, r2 = world.accounts(3)
    mine = world.open_feeds(r1, r2)
    world.follow(r1, author)
    world.follow(r2, author)  # two followers: at the threshold
    world.drain()
    big = world.post(author, "to my many followers")
    world.drain()
    for reader, own in zip((r1, r2), mine, strict=True):
        assert big not in (world.feed(reader) or [])  # not fanned out…
        assert world.home(reader) == [big, own]  # …but there when read
    assert world.home(author) == [big] and world.feed(author) == [big]  # the author's own feed has it


def test_crossing_the_threshold_both_ways(world: World, use_store: Callable[..., FeedStore]) -> None:
    use_store(threshold=2)
    author, reader, other = world.accounts(3)
    (mine,) = world.open_feeds(reader)
    world.follow(reader, author)
    world.drain()
    small = world.post(author, "one follower")  # fanned out
    world.drain()
    world.follow(other, author)  # now big
    world.drain()
    big = world.post(author, "two followers")  # merged at read time
    world.drain()
    assert world.walk(reader, 1) == [big, small, mine]
    assert world.feed(reader) == [small, mine]
    world.unfollow(other, author)  # small again: a job backfills its posts made while big
    world.drain()
    assert world.feed(reader) == [big, small, mine]
    assert world.walk(reader, 2) == [big, small, mine]


def test_rebuilds_keep_the_timeline(world: World, use_store: Callable[..., FeedStore], backend: str) -> None:
    store = use_store(threshold=3)
    big, small, reader, f1, f2 = world.accounts(5)
    world.open_feeds(reader)
    for follower in (reader, f1, f2):
        world.follow(follower, big)
    world.follow(reader, small)
    world.drain()
    for n in range(6):
        world.post(big, f"big {n}")
        world.post(small, f"small {n}")
    world.repost(small, world.post(big, "worth sharing"))
    world.drain()
    before = world.walk(reader, 3)
    assert len(before) == 14 and len(set(before)) == 14
    world.drop_feed(reader)
    assert world.walk(reader, 3) == before
    if isinstance(store, RedisFeedStore):
        assert store.client.ttl(feed_key(reader)) > 0  # an expiring feed, refreshed on every read


def test_deleted_posts_leave_and_pages_stay_full(world: World, store: FeedStore) -> None:
    author, reader = world.accounts(2)
    world.follow(reader, author)
    (mine,) = world.open_feeds(reader)
    posts = [world.post(author, f"post {n}") for n in range(30)]
    world.drain()
    gone = posts[-2:-12:-2]  # five of the newest twenty
    for post in gone:
        world.delete(author, post)
    # Before any job ran (Redis sweeps followers' feeds in one): still 20 to a page, none deleted.
    page = world.home(reader, limit=20)
    assert len(page) == 20 and not set(page) & set(gone)
    assert world.walk(reader, 7) == [p for p in reversed(posts) if p not in gone] + [mine]
    world.drain()
    assert not set(world.feed(reader) or []) & set(gone)
    assert not set(world.feed(author) or []) & set(gone)


def test_unfollow_takes_posts_and_replies_out_at_once(
    world: World, use_store: Callable[..., FeedStore]
) -> None:
    use_store(threshold=100)
    a, b, reader = world.accounts(3)
    (mine,) = world.open_feeds(reader)
    world.follow(reader, a)
    world.follow(reader, b)
    world.drain()
    root = world.post(a, "a question")
    reply = world.post(b, "@u0 an answer", in_reply_to_id=root)
    plain = world.post(b, "something else")
    world.drain()
    assert world.home(reader) == [plain, reply, root, mine]
    world.unfollow(reader, a)  # no job runs: the removal is immediate
    assert world.home(reader) == [plain, mine]
    assert world.feed(reader) == [plain, mine]
    world.follow(reader, a)  # following again brings both back
    world.drain()
    assert world.home(reader) == [plain, reply, root, mine]


def test_a_reposted_post_shows_once(world: World, use_store: Callable[..., FeedStore]) -> None:
    use_store(threshold=2)
    author, a, b, reader, extra = world.accounts(5)
    (mine,) = world.open_feeds(reader)
    for followed in (author, a, b):
        world.follow(reader, followed)
    world.follow(extra, b)  # b has two followers: merged at read time
    world.drain()
    original = world.post(author, "worth sharing")
    by_a = world.repost(a, original)
    by_b = world.repost(b, original)
    world.drain()
    assert world.walk(reader, 1) == [original, mine]
    world.unfollow(reader, author)  # the earliest repost the reader sees takes its place
    assert world.walk(reader, 1) == [by_a, mine]
    world.follow(reader, a, reblogs=False)  # a's reposts turned off: b's now
    assert world.walk(reader, 1) == [by_b, mine]
    world.follow(reader, a, reblogs=True)
    world.drain()
    assert world.walk(reader, 1) == [by_a, mine]
    assert by_b not in (world.feed(reader) or [])  # b is never fanned out


def test_deleting_a_reposted_post_sweeps_the_reposts_out_of_feeds(world: World, store: FeedStore) -> None:
    author, booster, reader = world.accounts(3)
    (mine,) = world.open_feeds(reader)
    world.follow(reader, booster)
    world.drain()
    original = world.post(author, "worth sharing")
    wrapper = world.repost(booster, original)
    world.drain()
    assert world.feed(reader) == [wrapper, mine] and world.home(reader) == [wrapper, mine]
    world.delete(author, original)
    assert world.home(reader) == [mine]  # at once, whatever is left in the feed
    world.drain()
    assert world.feed(reader) == [mine]
