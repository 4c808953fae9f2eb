"""The feed store: each reader's home feed as a list of post ids, filled by fan-out on write.

This is the SQL back-end (the embedded default). Every operation is one statement, whatever the number
of readers it touches, so fan-out to many followers costs one round trip.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, and_, delete, exists, literal, or_, select
from sqlalchemy.orm import Session, aliased

from gazouillis.graph.tables import Follow
from gazouillis.pagination import Page, apply, newest_first
from gazouillis.posts.tables import Mention, Post
from gazouillis.storage import insert_ignore
from gazouillis.timelines.tables import FeedEntry

# How many of an account's recent posts a new follower gets in their feed straight away.
MERGE_ON_FOLLOW = 100


class SqlFeedStore:
    """Home feeds in the ``feed_entries`` table."""

    def add(self, session: Session, reader_ids: list[int], post: Post) -> None:
        """Put ``post`` in the feeds of ``reader_ids`` (a repeat does nothing)."""
        rows = [
            {
                "account_id": r,
                "post_id": post.id,
                "author_id": post.account_id,
                "reblog_of_id": post.reblog_of_id,
            }
            for r in reader_ids
        ]
        insert_ignore(session, FeedEntry, rows, keys=["account_id", "post_id"])

    def fan_out_to_followers(
        self, session: Session, post: Post, *, also_require_following: int | None
    ) -> None:
        """Put ``post`` in the feed of every follower of its author, in one INSERT … SELECT.

        ``also_require_following``: only followers who also follow that account (a reply is shown to
        those who follow both sides of the conversation). Reposts skip followers who turned reposts
        off and feeds that already hold the original or another repost of it. Direct posts reach only
        mentioned followers.
        """
        query = select(
            Follow.account_id.label("account_id"),
            literal(post.id, BigInteger).label("post_id"),
            literal(post.account_id, BigInteger).label("author_id"),
            literal(post.reblog_of_id, BigInteger).label("reblog_of_id"),
        ).where(Follow.target_account_id == post.account_id)
        if also_require_following is not None:
            other = aliased(Follow)
            query = query.where(
                or_(
                    Follow.account_id == also_require_following,
                    exists().where(
                        other.account_id == Follow.account_id,
                        other.target_account_id == also_require_following,
                    ),
                )
            )
        if post.visibility == "direct":
            query = query.where(
                exists().where(Mention.post_id == post.id, Mention.account_id == Follow.account_id)
            )
        if post.reblog_of_id is not None:
            original = post.reblog_of_id
            query = query.where(
                Follow.show_reblogs.is_(True),
                ~exists().where(
                    FeedEntry.account_id == Follow.account_id,
                    or_(FeedEntry.post_id == original, FeedEntry.reblog_of_id == original),
                ),
            )
        insert_ignore(session, FeedEntry, query, keys=["account_id", "post_id"])

    def merge_author(self, session: Session, reader_id: int, author_id: int) -> None:
        """Bring ``author_id``'s recent posts that ``reader_id`` may see into their feed (on follow)."""
        recent = (
            select(
                literal(reader_id, BigInteger).label("account_id"),
                Post.id.label("post_id"),
                Post.account_id.label("author_id"),
                Post.reblog_of_id.label("reblog_of_id"),
            )
            .where(
                Post.account_id == author_id,
                or_(
                    Post.visibility.in_(("public", "unlisted", "private")),
                    exists().where(Mention.post_id == Post.id, Mention.account_id == reader_id),
                ),
                or_(Post.in_reply_to_id.is_(None), Post.in_reply_to_account_id == author_id),
            )
            .order_by(Post.id.desc())
            .limit(MERGE_ON_FOLLOW)
        )
        insert_ignore(session, FeedEntry, select(recent.subquery()), keys=["account_id", "post_id"])

    def remove_post(self, session: Session, post_id: int) -> None:
        """Take ``post_id`` (and reposts of it) out of every feed."""
        session.execute(
            delete(FeedEntry).where(or_(FeedEntry.post_id == post_id, FeedEntry.reblog_of_id == post_id))
        )

    def remove_author(self, session: Session, reader_id: int, author_id: int) -> None:
        """Take everything ``author_id`` put in ``reader_id``'s feed out of it (on unfollow)."""
        session.execute(
            delete(FeedEntry).where(and_(FeedEntry.account_id == reader_id, FeedEntry.author_id == author_id))
        )

    def page(self, session: Session, reader_id: int, page: Page) -> list[int]:
        """Post ids of one page of ``reader_id``'s feed, newest first."""
        query = apply(
            select(FeedEntry.post_id).where(FeedEntry.account_id == reader_id), FeedEntry.post_id, page
        )
        return newest_first(list(session.scalars(query)), page)


feeds = SqlFeedStore()
