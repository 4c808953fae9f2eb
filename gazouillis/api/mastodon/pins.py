"""Pinned posts: pin and unpin one's own posts (the Status comes back with ``pinned``)."""

from __future__ import annotations

from typing import Any

from gazouillis.api.entities.statuses import status_entity
from gazouillis.api.http import Ctx
from gazouillis.errors import NotFound
from gazouillis.posts import pins
from gazouillis.posts.views import load_view


def _act(ctx: Ctx, action: Any) -> dict[str, Any]:
    with ctx.db.write() as session:
        post = action(session, viewer_id=ctx.user_id, post_id=ctx.path_id())
    with ctx.db.read() as session:
        view = load_view(session, post.id, ctx.user_id)
    if view is None:
        raise NotFound()
    return status_entity(view, ctx.settings)


def pin(ctx: Ctx) -> dict[str, Any]:
    return _act(ctx, pins.pin)


def unpin(ctx: Ctx) -> dict[str, Any]:
    return _act(ctx, pins.unpin)
