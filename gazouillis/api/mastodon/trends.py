"""Trends: hashtags used more than usual now, and public posts drawing engagement (offset pagination)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from gazouillis.api.entities.statuses import status_list
from gazouillis.api.entities.tags import tag_entity
from gazouillis.api.http import Ctx, Reply
from gazouillis.graph.hiding import screen
from gazouillis.posts.views import load_views
from gazouillis.tags import history
from gazouillis.tags import service as tags
from gazouillis.trends import service as trends


def _window(ctx: Ctx, default: int, maximum: int) -> tuple[int, int]:
    """``(offset, limit)``, clamped as Mastodon does (a limit past the maximum gets the maximum)."""
    limit = ctx.params.int("limit", default) or default
    offset = ctx.params.int("offset", 0) or 0
    return max(0, offset), max(1, min(limit, maximum))


def _reply(ctx: Ctx, body: list[Any], offset: int, limit: int, total: int) -> Reply:
    """The page with a ``Link`` header carrying ``offset`` (what Mastodon.py follows for trends)."""
    base = ctx.settings.base_url + ctx.request.url.path
    kept = [(k, v) for k, v in ctx.request.query_params.multi_items() if k not in ("offset", "limit")]
    links = []
    if offset + limit < total:
        after = offset + limit
        links.append(f'<{base}?{urlencode([*kept, ("limit", limit), ("offset", after)])}>; rel="next"')
    if offset > 0:
        before = max(0, offset - limit)
        links.append(f'<{base}?{urlencode([*kept, ("limit", limit), ("offset", before)])}>; rel="prev"')
    return Reply(body, headers={"Link": ", ".join(links)} if links else {})


def tags_(ctx: Ctx) -> Reply:
    """``GET /api/v1/trends/tags`` (and the older ``/api/v1/trends``): 10 by default, 20 at most."""
    offset, limit = _window(ctx, 10, 20)
    with ctx.db.read() as session:
        ranked = trends.trending_tags(session)
        chosen = ranked[offset : offset + limit]
        found = tags.tags_by_id(session, chosen)
        days = history.histories(session, chosen)
        following = tags.followed_ids(session, ctx.viewer_id, chosen)
    body = [
        tag_entity(
            found[i], ctx.settings, days[i], following=(i in following) if ctx.viewer_id is not None else None
        )
        for i in chosen
        if i in found
    ]
    return _reply(ctx, body, offset, limit, len(ranked))


def statuses(ctx: Ctx) -> Reply:
    """``GET /api/v1/trends/statuses``: 20 by default, 40 at most, screened for the viewer."""
    offset, limit = _window(ctx, 20, 40)
    with ctx.db.read() as session:
        ranked = trends.trending_posts(session)
        chosen = ranked[offset : offset + limit]
        views = screen(session, ctx.viewer_id, load_views(session, chosen, ctx.viewer_id), "public")
    # Only what is still public (a post edited or deleted since the ranking was made drops out).
    views = [v for v in views if v.post.visibility == "public"]
    return _reply(ctx, status_list(views, ctx.settings), offset, limit, len(ranked))
