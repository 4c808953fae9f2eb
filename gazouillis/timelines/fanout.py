"""The feed jobs: fan-out on write, merge on follow, backfill, and sweeping deleted posts out of feeds.

The jobs over an author's followers (fan-out, backfill, sweep) deliver one batch (``batch_size``
followers) each and enqueue, in the same transaction, the job of the next batch with its cursor: the
follow id of the last follower done (``after``). So no transaction lasts longer than one batch (on
SQLite, where writers take turns, a fan-out to 100,000 followers lets other writers in between its
batches), and a crash loses or repeats nothing: a batch commits with its successor or not at all, and
running a batch again only redoes writes that are idempotent.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from gazouillis.jobs.queue import enqueue, handler
from gazouillis.posts.tables import Post
from gazouillis.timelines.feeds import feeds_of, rules


@handler("fanout.post")
def fan_out_post(session: Session, payload: dict[str, Any]) -> None:
    """Deliver a post to one batch of its author's followers who may see it (see :mod:`.feeds.rules`),
    and schedule the next batch.

    An author with at least ``fanout_threshold`` followers is not fanned out: the post reaches only the
    author's own feed, and is merged into their followers' home timelines when those are read.
    """
    post = session.get(Post, payload["post_id"])
    if post is None:  # deleted before the job ran: nothing (more) to deliver
        return
    store = feeds_of(session)
    after = payload.get("after")
    # Decided once, by the first batch: a fan-out under way goes on to the end.
    followers = after is not None or not rules.is_big(session, post.account_id, store.policy)
    cursor = store.fan_out(session, post, followers=followers, after=after)
    if cursor is not None:
        enqueue(session, "fanout.post", {"post_id": post.id, "after": cursor})
    if after is None and rules.reaches_tag_followers(post):
        _to_tag_followers(session, post, None)  # the first batch with the first batch of followers


@handler("fanout.tags")
def fan_out_to_tag_followers(session: Session, payload: dict[str, Any]) -> None:
    """The next batch of the followers of a post's hashtags (see :func:`_to_tag_followers`)."""
    post = session.get(Post, payload["post_id"])
    if post is not None:
        _to_tag_followers(session, post, payload["after"])


def _to_tag_followers(session: Session, post: Post, after: int | None) -> None:
    """Deliver a public post to one batch of the followers of its hashtags (big author or not: nobody
    merges these at read time), and schedule the next batch."""
    store = feeds_of(session)
    readers, cursor = rules.tag_followers(session, post, after, store.policy.batch_size)
    if readers:
        store.add(session, readers, post, at_once=True)
    if cursor is not None:
        enqueue(session, "fanout.tags", {"post_id": post.id, "after": cursor})


@handler("feed.merge")
def merge_on_follow(session: Session, payload: dict[str, Any]) -> None:
    """A new follow: bring the followed account's recent posts into the follower's feed."""
    feeds_of(session).merge_author(session, payload["reader_id"], payload["author_id"])


@handler("feed.backfill")
def backfill(session: Session, payload: dict[str, Any]) -> None:
    """An account fell below the fan-out threshold: its recent posts, not fanned out, go to its followers
    (one batch per job)."""
    author_id = payload["author_id"]
    cursor = feeds_of(session).backfill_author(session, author_id, after=payload.get("after"))
    if cursor is not None:
        enqueue(session, "feed.backfill", {"author_id": author_id, "after": cursor})


@handler("feed.sweep")
def sweep(session: Session, payload: dict[str, Any]) -> None:
    """Deleted posts leave the feeds of their authors' followers (Redis; SQL did it in one DELETE), one
    batch per job."""
    post_ids = payload["post_ids"]
    left = feeds_of(session).sweep(session, post_ids, payload["author_ids"], after=payload.get("after"))
    if left is not None:
        authors, after = left
        enqueue(session, "feed.sweep", {"post_ids": post_ids, "author_ids": authors, "after": after})
