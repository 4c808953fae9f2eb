"""Timelines: home and public."""

from __future__ import annotations

from gazouillis.api.entities.statuses import status_list
from gazouillis.api.http import Ctx, Reply
from gazouillis.timelines import service as timelines


def home(ctx: Ctx) -> Reply:
    with ctx.db.read() as session:
        return timelines.home_page(
            session,
            viewer_id=ctx.user_id,
            page=ctx.page(),
            variant=ctx.request.scope.get("query_string", b""),
            render=ctx.status_page,
        )


def public(ctx: Ctx) -> Reply:
    p = ctx.params
    page = ctx.page()
    # Every account is local until federation exists: remote-only and media-only are truly empty.
    if p.bool("remote", False) or p.bool("only_media", False):
        return ctx.paginated([], [])
    with ctx.db.read() as session:
        views = timelines.public(session, viewer_id=ctx.viewer_id, page=page)
    return ctx.paginated(status_list(views, ctx.settings), [v.post.id for v in views])
