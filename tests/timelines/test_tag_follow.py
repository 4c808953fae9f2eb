"""A followed hashtag's public posts reach the follower's home timeline (fan-out) and stay there when the
feed is rebuilt; private ones never do. On both feed stores."""

from __future__ import annotations

from gazouillis.tags import service as tags
from tests.timelines.conftest import World


def follow_tag(world: World, reader: int, name: str) -> None:
    with world.db.write() as session:
        tags.follow_tag(session, account_id=reader, name=name)


def test_followed_tag_reaches_home_and_survives_rebuild(world: World) -> None:
    author, reader, other = world.accounts(3)
    world.open_feeds(reader, other)
    follow_tag(world, reader, "Jardin")
    public = world.post(author, "Les tomates #jardin")
    private = world.post(author, "Secret #jardin", visibility="private")
    unlisted = world.post(author, "Calme #jardin", visibility="unlisted")
    untagged = world.post(author, "Rien à voir")
    world.drain()
    home = world.home(reader)
    assert public in home
    assert private not in home and unlisted not in home and untagged not in home
    assert public in (world.feed(reader) or [])  # delivered by fan-out, not only at read time
    assert public not in world.home(other)
    world.drop_feed(reader)
    rebuilt = world.home(reader)
    assert public in rebuilt and private not in rebuilt
    # Following the author too: one entry only.
    world.follow(reader, author)
    world.drain()
    assert world.home(reader).count(public) == 1


def test_reposts_of_tagged_posts_do_not_come_through_the_tag(world: World) -> None:
    author, reposter, reader = world.accounts(3)
    world.open_feeds(reader)
    follow_tag(world, reader, "news")
    post = world.post(author, "#news today")
    world.drain()
    repost = world.repost(reposter, post)
    world.drain()
    home = world.home(reader)
    assert post in home and repost not in home


def test_unfollowed_tag_leaves_home(world: World) -> None:
    author, reader = world.accounts(2)
    world.open_feeds(reader)
    follow_tag(world, reader, "chess")
    post = world.post(author, "#chess puzzle")
    world.drain()
    assert post in world.home(reader)
    with world.db.write() as session:
        tags.unfollow_tag(session, account_id=reader, name="CHESS")
    assert post not in world.home(reader)
    world.drop_feed(reader)
    assert post not in world.home(reader)


def test_big_authors_tagged_posts_still_reach_tag_followers(world: World, use_store: object) -> None:
    """A big account is never fanned out to its followers, but its tagged posts go to tag followers."""
    store = use_store(threshold=1)  # type: ignore[operator]
    assert store.policy.threshold == 1
    author, fan, reader = world.accounts(3)
    world.follow(fan, author)  # the author is now "big"
    world.open_feeds(reader)
    follow_tag(world, reader, "launch")
    post = world.post(author, "We #launch today")
    world.drain()
    assert post in (world.feed(reader) or [])
    assert post in world.home(reader)


def test_tag_fan_out_goes_batch_by_batch(world: World, use_store: object) -> None:
    use_store(batch_size=2)  # type: ignore[operator]
    author, *readers = world.accounts(6)
    world.open_feeds(*readers)
    for reader in readers:
        follow_tag(world, reader, "many")
    post = world.post(author, "#many #Many readers")
    world.drain()
    assert all(post in (world.feed(r) or []) for r in readers)
