"""Blocks and mutes: block, unblock, mute, unmute an account, and the lists of those blocked or muted."""

from __future__ import annotations

from typing import Any

from gazouillis.api.entities.accounts import account_entity, relationship_entity
from gazouillis.api.http import Ctx, Reply
from gazouillis.graph import moderation


def block(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.write() as session:
        rel = moderation.block(session, account_id=ctx.user_id, target_id=ctx.path_id())
    return relationship_entity(rel)


def unblock(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.write() as session:
        rel = moderation.unblock(session, account_id=ctx.user_id, target_id=ctx.path_id())
    return relationship_entity(rel)


def mute(ctx: Ctx) -> dict[str, Any]:
    p = ctx.params
    notifications = p.bool("notifications", True)
    with ctx.db.write() as session:
        rel = moderation.mute(
            session,
            account_id=ctx.user_id,
            target_id=ctx.path_id(),
            notifications=True if notifications is None else notifications,
            duration=p.int("duration"),
        )
    return relationship_entity(rel)


def unmute(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.write() as session:
        rel = moderation.unmute(session, account_id=ctx.user_id, target_id=ctx.path_id())
    return relationship_entity(rel)


def blocks(ctx: Ctx) -> Reply:
    with ctx.db.read() as session:
        found, cursors = moderation.blocked_accounts(
            session, account_id=ctx.user_id, page=ctx.page(default=40, maximum=80)
        )
    return ctx.paginated([account_entity(a, ctx.settings) for a in found], cursors)


def mutes(ctx: Ctx) -> Reply:
    with ctx.db.read() as session:
        found, cursors = moderation.muted_accounts(
            session, account_id=ctx.user_id, page=ctx.page(default=40, maximum=80)
        )
    return ctx.paginated([account_entity(a, ctx.settings) for a, _ in found], cursors)
