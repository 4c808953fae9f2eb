"""Conversation threads: the ancestors and the descendants of a post."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from gazouillis.posts.service import get_visible
from gazouillis.posts.tables import Post
from gazouillis.posts.views import PostView, load_views

MAX_ANCESTORS = 40
MAX_DEPTH = 20
MAX_DESCENDANTS = 4096


@dataclass
class Context:
    ancestors: list[PostView]
    descendants: list[PostView]


def context(session: Session, *, viewer_id: int | None, post_id: int) -> Context:
    """What comes before ``post_id`` (root first) and after it (depth-first), as far as the viewer may see."""
    post = get_visible(session, viewer_id, post_id)
    if post.reblog_of_id is not None:
        post = get_visible(session, viewer_id, post.reblog_of_id)

    up = (
        select(Post.id, Post.in_reply_to_id, literal(1).label("depth"))
        .where(Post.id == post.in_reply_to_id)
        .cte("up", recursive=True)
    )
    up = up.union_all(
        select(Post.id, Post.in_reply_to_id, up.c.depth + 1).where(
            Post.id == up.c.in_reply_to_id, up.c.depth < MAX_ANCESTORS
        )
    )
    ancestor_ids = sorted(session.scalars(select(up.c.id)))

    down = (
        select(Post.id, Post.in_reply_to_id, literal(1).label("depth"))
        .where(Post.in_reply_to_id == post.id)
        .cte("down", recursive=True)
    )
    down = down.union_all(
        select(Post.id, Post.in_reply_to_id, down.c.depth + 1).where(
            Post.in_reply_to_id == down.c.id, down.c.depth < MAX_DEPTH
        )
    )
    rows = session.execute(select(down.c.id, down.c.in_reply_to_id).limit(MAX_DESCENDANTS)).all()
    children: dict[int, list[int]] = {}
    for child, parent in rows:
        children.setdefault(parent, []).append(child)
    ordered: list[int] = []
    stack = sorted(children.get(post.id, []), reverse=True)
    while stack:
        current = stack.pop()
        ordered.append(current)
        stack.extend(sorted(children.get(current, []), reverse=True))

    return Context(
        ancestors=load_views(session, ancestor_ids, viewer_id),
        descendants=load_views(session, ordered, viewer_id),
    )
