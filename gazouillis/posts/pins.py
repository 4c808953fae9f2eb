"""Pinned posts: up to five of one's own posts shown at the top of one's profile, newest pin first.

As on Mastodon, only one's own public, unlisted or followers-only posts can be pinned: never a direct
post, never a repost. Pinning again or unpinning what is not pinned changes nothing.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from gazouillis.errors import Invalid
from gazouillis.graph.hiding import screen
from gazouillis.ids import new_id
from gazouillis.pagination import Page
from gazouillis.posts.service import get_visible
from gazouillis.posts.tables import Pin, Post
from gazouillis.posts.views import PostView, load_views

MAX_PINS = 5


def pin(session: Session, *, viewer_id: int, post_id: int) -> Post:
    """Pin one of the viewer's posts; NotFound when they may not see it, Invalid when it cannot be pinned."""
    post = get_visible(session, viewer_id, post_id)
    if post.reblog_of_id is not None:
        raise Invalid("Validation failed: A boost cannot be pinned")
    if post.account_id != viewer_id:
        raise Invalid("Validation failed: Someone else's post cannot be pinned")
    if post.visibility == "direct":
        raise Invalid("Validation failed: Posts that are only visible to mentioned users cannot be pinned")
    pinned = set(session.scalars(select(Pin.post_id).where(Pin.account_id == viewer_id)))
    if post.id in pinned:
        return post
    if len(pinned) >= MAX_PINS:
        raise Invalid("Validation failed: You have already pinned the maximum number of posts")
    session.add(Pin(id=new_id(), account_id=viewer_id, post_id=post.id))
    session.flush()
    return post


def unpin(session: Session, *, viewer_id: int, post_id: int) -> Post:
    post = get_visible(session, viewer_id, post_id)
    session.execute(delete(Pin).where(Pin.account_id == viewer_id, Pin.post_id == post.id))
    session.flush()
    return post


def pin_count(session: Session, account_id: int) -> int:
    return int(session.scalar(select(func.count()).select_from(Pin).where(Pin.account_id == account_id)) or 0)


def pinned_posts(
    session: Session, *, account_id: int, viewer_id: int | None, page: Page | None = None
) -> list[PostView]:
    """``account_id``'s pinned posts that the viewer may see, newest pin first; ``page`` cursors (post ids)
    narrow them down so that a client following the ``Link`` header comes to an end."""
    ids = list(
        session.scalars(select(Pin.post_id).where(Pin.account_id == account_id).order_by(Pin.id.desc()))
    )
    if page is not None:
        ids = [
            i
            for i in ids
            if (page.max_id is None or i < page.max_id)
            and (page.since_id is None or i > page.since_id)
            and (page.min_id is None or i > page.min_id)
        ][: page.limit]
    if not ids:  # most profiles: one query and done
        return []
    return screen(session, viewer_id, load_views(session, ids, viewer_id), "account")
