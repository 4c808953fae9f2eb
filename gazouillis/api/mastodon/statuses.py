"""Statuses: compose, read, delete, thread context, likes, reposts, bookmarks and who did them."""

from __future__ import annotations

from typing import Any

from gazouillis.api.entities.accounts import account_entity
from gazouillis.api.entities.statuses import status_entity, status_list
from gazouillis.api.http import Ctx, Reply
from gazouillis.errors import NotFound
from gazouillis.graph.hiding import authors, blocked
from gazouillis.posts import interactions, threads
from gazouillis.posts import service as posts
from gazouillis.posts.tables import Post
from gazouillis.posts.views import load_view
from gazouillis.timelines import service as timelines


def rules(ctx: Ctx) -> posts.Rules:
    return posts.Rules(max_length=ctx.settings.max_post_length, base_url=ctx.settings.base_url)


def _show(ctx: Ctx, post_id: int, *, source: bool = False) -> dict[str, Any]:
    with ctx.db.read() as session:
        view = load_view(session, post_id, ctx.viewer_id)
        if view is not None and blocked(session, ctx.viewer_id, authors(view)):
            view = None  # a block either way: as if it did not exist, as on Mastodon
    if view is None:
        raise NotFound()
    return status_entity(view, ctx.settings, source=source)


def create(ctx: Ctx) -> dict[str, Any]:
    p = ctx.params
    assert ctx.token is not None
    draft = posts.Draft(
        text=p.str("status") or "",
        visibility=p.str("visibility") or None,
        spoiler_text=p.str("spoiler_text") or "",
        sensitive=p.bool("sensitive"),
        language=p.str("language") or None,
        in_reply_to_id=p.id("in_reply_to_id"),
        quote_of_id=p.id("quoted_status_id") or p.id("quote_id"),
        application_id=ctx.token.application_id,
        idempotency_key=ctx.request.headers.get("idempotency-key") or None,
    )
    with ctx.db.write() as session:
        post = posts.create_post(session, author_id=ctx.user_id, draft=draft, rules=rules(ctx))
    return _show(ctx, post.id)


def get(ctx: Ctx) -> dict[str, Any]:
    return _show(ctx, ctx.path_id())


def delete(ctx: Ctx) -> dict[str, Any]:
    post_id = ctx.path_id()
    with ctx.db.read() as session:
        view = load_view(session, post_id, ctx.user_id)
    if view is None:
        raise NotFound()
    with ctx.db.write() as session:
        posts.delete_post(session, viewer_id=ctx.user_id, post_id=post_id)
    return status_entity(view, ctx.settings, source=True)


def context(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.read() as session:
        found = threads.context(session, viewer_id=ctx.viewer_id, post_id=ctx.path_id())
    return {
        "ancestors": status_list(found.ancestors, ctx.settings),
        "descendants": status_list(found.descendants, ctx.settings),
    }


def _act(ctx: Ctx, action: Any, **extra: Any) -> dict[str, Any]:
    with ctx.db.write() as session:
        post: Post = action(session, viewer_id=ctx.user_id, post_id=ctx.path_id(), **extra)
    return _show(ctx, post.id)


def favourite(ctx: Ctx) -> dict[str, Any]:
    return _act(ctx, interactions.favourite)


def unfavourite(ctx: Ctx) -> dict[str, Any]:
    return _act(ctx, interactions.unfavourite)


def bookmark(ctx: Ctx) -> dict[str, Any]:
    return _act(ctx, interactions.bookmark)


def unbookmark(ctx: Ctx) -> dict[str, Any]:
    return _act(ctx, interactions.unbookmark)


def reblog(ctx: Ctx) -> dict[str, Any]:
    return _act(ctx, interactions.reblog, visibility=ctx.params.str("visibility") or None)


def unreblog(ctx: Ctx) -> dict[str, Any]:
    return _act(ctx, interactions.unreblog)


def _who(ctx: Ctx, fn: Any) -> Reply:
    with ctx.db.read() as session:
        found, cursors = fn(
            session, viewer_id=ctx.viewer_id, post_id=ctx.path_id(), page=ctx.page(default=40, maximum=80)
        )
    return ctx.paginated([account_entity(a, ctx.settings) for a in found], cursors)


def favourited_by(ctx: Ctx) -> Reply:
    return _who(ctx, interactions.who_favourited)


def reblogged_by(ctx: Ctx) -> Reply:
    return _who(ctx, interactions.who_reblogged)


def favourites(ctx: Ctx) -> Reply:
    with ctx.db.read() as session:
        views, cursors = timelines.favourites(session, viewer_id=ctx.user_id, page=ctx.page())
    return ctx.paginated(status_list(views, ctx.settings), cursors)


def bookmarks(ctx: Ctx) -> Reply:
    with ctx.db.read() as session:
        views, cursors = timelines.bookmarks(session, viewer_id=ctx.user_id, page=ctx.page())
    return ctx.paginated(status_list(views, ctx.settings), cursors)
