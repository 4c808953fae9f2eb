"""Hashtags: a tag and its history, following tags, the hashtag timeline, featured tags."""

from __future__ import annotations

from typing import Any

from gazouillis.accounts import service as accounts
from gazouillis.api.entities.statuses import status_list
from gazouillis.api.entities.tags import featured_tag_entity, tag_entity
from gazouillis.api.http import Ctx, Reply
from gazouillis.posts.tables import Tag
from gazouillis.tags import featured as featured_tags
from gazouillis.tags import history
from gazouillis.tags import service as tags
from gazouillis.timelines import service as timelines


def _name(ctx: Ctx) -> str:
    return str(ctx.request.path_params.get("name", ""))


def _entity(ctx: Ctx, session: Any, tag: Tag, following: bool | None = None) -> dict[str, Any]:
    if following is None and ctx.viewer_id is not None:
        following = tag.id in tags.followed_ids(session, ctx.viewer_id, [tag.id])
    return tag_entity(tag, ctx.settings, history.history(session, tag.id), following=following)


def get(ctx: Ctx) -> dict[str, Any]:
    """``GET /api/v1/tags/:name``: 404 for a hashtag nobody ever used or followed."""
    with ctx.db.read() as session:
        return _entity(ctx, session, tags.get_tag(session, _name(ctx)))


def follow(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.write() as session:
        tag = tags.follow_tag(session, account_id=ctx.user_id, name=_name(ctx))
        return _entity(ctx, session, tag, following=True)


def unfollow(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.write() as session:
        tag = tags.unfollow_tag(session, account_id=ctx.user_id, name=_name(ctx))
        return _entity(ctx, session, tag, following=False)


def followed(ctx: Ctx) -> Reply:
    with ctx.db.read() as session:
        found = tags.followed_tags(session, account_id=ctx.user_id, page=ctx.page(default=100, maximum=200))
        days = history.histories(session, [f.tag.id for f in found])
    body = [tag_entity(f.tag, ctx.settings, days[f.tag.id], following=True) for f in found]
    return ctx.paginated(body, [f.cursor for f in found])


def _names(ctx: Ctx, key: str) -> list[str]:
    return [str(v) for v in ctx.params.list(key) if isinstance(v, str | int)]


def timeline(ctx: Ctx) -> Reply:
    """``GET /api/v1/timelines/tag/:hashtag`` with ``any[]``, ``all[]``, ``none[]``: public posts only."""
    p = ctx.params
    page = ctx.page()
    # Every account is local until federation exists: remote-only and media-only are truly empty.
    if p.bool("remote", False) or p.bool("only_media", False):
        return ctx.paginated([], [])
    with ctx.db.read() as session:
        views = timelines.tag(
            session,
            viewer_id=ctx.viewer_id,
            name=str(ctx.request.path_params.get("hashtag", "")),
            page=page,
            any_=_names(ctx, "any"),
            all_=_names(ctx, "all"),
            none=_names(ctx, "none"),
        )
    # Screened for the viewer (gazouillis.graph.hiding) inside timelines.tag.
    return ctx.paginated(status_list(views, ctx.settings), [v.post.id for v in views])


# Featured tags


def featured(ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.db.read() as session:
        found = featured_tags.featured_tags(session, ctx.user_id)
    return [featured_tag_entity(f, ctx.settings) for f in found]


def account_featured(ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.db.read() as session:
        account = accounts.get_account(session, ctx.path_id())
        found = featured_tags.featured_tags(session, account.id)
    return [featured_tag_entity(f, ctx.settings) for f in found]


def feature(ctx: Ctx) -> dict[str, Any]:
    name = ctx.params.required("name")
    with ctx.db.write() as session:
        created = featured_tags.feature_tag(session, account_id=ctx.user_id, name=name)
    return featured_tag_entity(created, ctx.settings)


def unfeature(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.write() as session:
        featured_tags.unfeature_tag(session, account_id=ctx.user_id, featured_id=ctx.path_id())
    return {}


def featured_suggestions(ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.db.read() as session:
        found = featured_tags.suggested_tags(session, ctx.user_id)
        days = history.histories(session, [t.id for t in found])
        following = tags.followed_ids(session, ctx.user_id, [t.id for t in found])
    return [tag_entity(t, ctx.settings, days[t.id], following=t.id in following) for t in found]
