"""The feed jobs: fan-out on write, merge on follow, backfill, and sweeping deleted posts out of feeds."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from gazouillis.jobs.queue import handler
from gazouillis.posts.tables import Post
from gazouillis.timelines.feeds import feeds_of, rules


@handler("fanout.post")
def fan_out_post(session: Session, payload: dict[str, Any]) -> None:
    """Deliver a post to its author's followers who may see it (see :mod:`.feeds.rules`).

    An author with at least ``fanout_threshold`` followers is not fanned out: the post reaches only the
    author's own feed, and is merged into their followers' home timelines when those are read.
    """
    post = session.get(Post, payload["post_id"])
    if post is None:  # deleted before the job ran: nothing to deliver
        return
    store = feeds_of(session)
    store.fan_out(session, post, followers=not rules.is_big(session, post.account_id, store.policy))


@handler("feed.merge")
def merge_on_follow(session: Session, payload: dict[str, Any]) -> None:
    """A new follow: bring the followed account's recent posts into the follower's feed."""
    feeds_of(session).merge_author(session, payload["reader_id"], payload["author_id"])


@handler("feed.backfill")
def backfill(session: Session, payload: dict[str, Any]) -> None:
    """An account fell below the fan-out threshold: its recent posts, not fanned out, go to its followers."""
    feeds_of(session).backfill_author(session, payload["author_id"])


@handler("feed.sweep")
def sweep(session: Session, payload: dict[str, Any]) -> None:
    """Deleted posts leave the feeds of their authors' followers (Redis; SQL did it in one DELETE)."""
    feeds_of(session).sweep(session, payload["post_ids"], payload["author_ids"])
