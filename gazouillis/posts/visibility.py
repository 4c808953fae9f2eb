"""Who may see a post: the single rule every timeline, thread, list and lookup applies."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from gazouillis.graph.tables import Follow
from gazouillis.posts.tables import Mention, Post

PUBLIC_LIKE = ("public", "unlisted")


def visible_clause(viewer_id: int | None) -> Any:
    """A SQL condition on ``Post`` that holds for exactly the posts ``viewer_id`` may see."""
    public = Post.visibility.in_(PUBLIC_LIKE)
    if viewer_id is None:
        return public
    follows_author = exists().where(
        Follow.account_id == viewer_id, Follow.target_account_id == Post.account_id
    )
    mentioned = exists().where(Mention.post_id == Post.id, Mention.account_id == viewer_id)
    return or_(
        public,
        Post.account_id == viewer_id,
        and_(Post.visibility == "private", follows_author),
        mentioned,
    )


def can_see(session: Session, viewer_id: int | None, post: Post) -> bool:
    """Whether ``viewer_id`` (None for a visitor) may see ``post``."""
    if post.visibility in PUBLIC_LIKE:
        return True
    if viewer_id is None:
        return False
    if post.account_id == viewer_id:
        return True
    if session.scalar(
        select(Mention.post_id).where(Mention.post_id == post.id, Mention.account_id == viewer_id)
    ):
        return True
    if post.visibility == "private":
        follow = session.scalar(
            select(Follow.id).where(
                Follow.account_id == viewer_id, Follow.target_account_id == post.account_id
            )
        )
        return follow is not None
    return False


def can_see_loaded(
    post: Post, viewer_id: int | None, *, followed_ids: set[int], mentioned_ids: set[int]
) -> bool:
    """:func:`can_see` over data already loaded in batch (used by hydration, no query)."""
    if post.visibility in PUBLIC_LIKE:
        return True
    if viewer_id is None:
        return False
    if post.account_id == viewer_id or viewer_id in mentioned_ids:
        return True
    return post.visibility == "private" and post.account_id in followed_ids
