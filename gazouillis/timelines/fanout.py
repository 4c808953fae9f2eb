"""Fan-out on write: the jobs that copy a new post into its readers' home feeds."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from gazouillis.jobs.queue import handler
from gazouillis.posts.tables import Post
from gazouillis.timelines.feedstore import feeds


@handler("fanout.post")
def fan_out_post(session: Session, payload: dict[str, Any]) -> None:
    """Deliver a post to its author's followers (and to mentioned followers only, when direct)."""
    post = session.get(Post, payload["post_id"])
    if post is None:  # deleted before the job ran: nothing to deliver
        return
    # A reply to someone else reaches those who follow both sides, as on Mastodon and Twitter.
    other = (
        post.in_reply_to_account_id
        if post.in_reply_to_account_id is not None and post.in_reply_to_account_id != post.account_id
        else None
    )
    feeds.fan_out_to_followers(session, post, also_require_following=other)


@handler("feed.merge")
def merge_on_follow(session: Session, payload: dict[str, Any]) -> None:
    """A new follow: bring the followed account's recent posts into the follower's feed."""
    feeds.merge_author(session, payload["reader_id"], payload["author_id"])
