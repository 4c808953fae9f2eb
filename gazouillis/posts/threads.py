"""Conversation threads: the ancestors and the descendants of a post."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import bindparam, literal, select
from sqlalchemy.orm import Session

from gazouillis.errors import NotFound
from gazouillis.graph.hiding import Screen, authors
from gazouillis.hot import HotStatement
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
    # Blocked and muted accounts' posts, and those the viewer's "thread" filters hide, leave the thread.
    screen = Screen(session, viewer_id, "thread")
    # The post itself as get_visible would check it (hydration checks who may see it and a repost's
    # original; a block either way hides it), with no ORM object to build.
    (view,) = load_views(session, [post_id], viewer_id) or [None]
    if view is None or authors(view) & screen.hidden.blocked:
        raise NotFound()
    post = (view.reblog or view).post

    ancestor_ids = sorted(_ancestors_statement().scalars(session, {"parent": post.in_reply_to_id}))
    rows = _descendants_statement().all(session, {"root": post.id})
    children: dict[int, list[int]] = {}
    for child, parent in rows:
        children.setdefault(parent, []).append(child)
    ordered: list[int] = []
    stack = sorted(children.get(post.id, []), reverse=True)
    while stack:
        current = stack.pop()
        ordered.append(current)
        stack.extend(sorted(children.get(current, []), reverse=True))

    # One hydration for both sides (a post is never its own ancestor and descendant).
    views = {v.post.id: v for v in screen(load_views(session, [*ancestor_ids, *ordered], viewer_id))}
    return Context(
        ancestors=[views[i] for i in ancestor_ids if i in views],
        descendants=[views[i] for i in ordered if i in views],
    )


# Built once: building these recursive statements costs more than running them.
POSTS = Post.__table__


@cache
def _ancestors_statement() -> HotStatement:
    """Ids of the posts above ``parent`` (itself included), up to MAX_ANCESTORS."""
    up = (
        select(POSTS.c.id, POSTS.c.in_reply_to_id, literal(1).label("depth"))
        .where(POSTS.c.id == bindparam("parent"))
        .cte("up", recursive=True)
    )
    up = up.union_all(
        select(POSTS.c.id, POSTS.c.in_reply_to_id, up.c.depth + 1).where(
            POSTS.c.id == up.c.in_reply_to_id, up.c.depth < MAX_ANCESTORS
        )
    )
    return HotStatement(select(up.c.id))


@cache
def _descendants_statement() -> HotStatement:
    """(id, parent) of the replies below ``root``, down to MAX_DEPTH, at most MAX_DESCENDANTS."""
    down = (
        select(POSTS.c.id, POSTS.c.in_reply_to_id, literal(1).label("depth"))
        .where(POSTS.c.in_reply_to_id == bindparam("root"))
        .cte("down", recursive=True)
    )
    down = down.union_all(
        select(POSTS.c.id, POSTS.c.in_reply_to_id, down.c.depth + 1).where(
            POSTS.c.in_reply_to_id == down.c.id, down.c.depth < MAX_DEPTH
        )
    )
    return HotStatement(select(down.c.id, down.c.in_reply_to_id).limit(MAX_DESCENDANTS))
