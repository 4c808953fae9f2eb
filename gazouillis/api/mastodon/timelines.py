"""Timelines: home and public."""

from __future__ import annotations

from collections.abc import Hashable

from gazouillis.api.entities.statuses import status_list
from gazouillis.api.http import Ctx, Reply
from gazouillis.timelines import service as timelines


def home(ctx: Ctx) -> Reply:
    with ctx.db.read() as session:
        return timelines.home_page(
            session,
            viewer_id=ctx.user_id,
            page=ctx.page(),
            variant=ctx.variant,
            render=ctx.status_page,
        )


def home_kept(ctx: Ctx) -> Hashable:
    """Where :func:`home`'s page is kept (served from the cache alone while fresh: api.http)."""
    return timelines.home_key(ctx.user_id, ctx.variant)


def public(ctx: Ctx) -> Reply:
    p = ctx.params
    page = ctx.page()
    # Every account is local until federation exists: remote-only and media-only are truly empty.
    if p.bool("remote", False) or p.bool("only_media", False):
        return ctx.paginated([], [])
    with ctx.db.read() as session:
        views = timelines.public(session, viewer_id=ctx.viewer_id, page=page)
    return ctx.paginated(status_list(views, ctx.settings), [v.post.id for v in views])
