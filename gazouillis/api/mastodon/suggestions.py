"""Who to follow: ``/api/v2/suggestions``, the older ``/api/v1/suggestions``, and dismissing one."""

from __future__ import annotations

from typing import Any

from gazouillis.api.entities.accounts import account_entity
from gazouillis.api.entities.tags import suggestion_entity
from gazouillis.api.http import Ctx
from gazouillis.graph import suggestions as suggested


def _limit(ctx: Ctx) -> int:
    limit = ctx.params.int("limit", 40) or 40
    return max(1, min(limit, 80))


def v2(ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.db.read() as session:
        found = suggested.suggestions(session, viewer_id=ctx.user_id, limit=_limit(ctx))
    return [suggestion_entity(s, ctx.settings) for s in found]


def v1(ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.db.read() as session:
        found = suggested.suggestions(session, viewer_id=ctx.user_id, limit=_limit(ctx))
    return [account_entity(s.account, ctx.settings) for s in found]


def dismiss(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.write() as session:
        suggested.dismiss(session, viewer_id=ctx.user_id, account_id=ctx.path_id("account_id"))
    return {}
