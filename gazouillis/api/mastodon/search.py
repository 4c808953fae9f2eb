"""Search: ``GET /api/v2/search`` (accounts, statuses, hashtags) and ``GET /api/v1/accounts/search``."""

from __future__ import annotations

from typing import Any

from gazouillis.api.entities.accounts import account_entity
from gazouillis.api.entities.statuses import status_list
from gazouillis.api.entities.tags import tag_entity
from gazouillis.api.http import Ctx
from gazouillis.errors import BadRequest, Unauthorized
from gazouillis.pagination import Page
from gazouillis.search import service
from gazouillis.tags.history import histories
from gazouillis.tags.service import followed_ids


def _query(ctx: Ctx) -> str:
    q = ctx.params.required("q")
    if not q.strip():
        raise BadRequest("`q` parameter is missing")
    return q


def _checked(ctx: Ctx, default: int, maximum: int) -> tuple[int, int, bool]:
    """limit (clamped), offset and resolve; offset and resolve need a signed-in user, as on Mastodon."""
    p = ctx.params
    limit = max(1, min(p.int("limit", default) or default, maximum))
    offset = p.int("offset", 0) or 0
    resolve = bool(p.bool("resolve", False))
    if ctx.viewer_id is None and offset > 0:
        raise Unauthorized("Search queries pagination is not supported without authentication")
    if ctx.viewer_id is None and resolve:
        raise Unauthorized(
            "Search queries that resolve remote resources are not supported without authentication"
        )
    service.check_offset(offset)
    return limit, offset, resolve


def search_v2(ctx: Ctx) -> dict[str, Any]:
    q = _query(ctx)
    limit, offset, resolve = _checked(ctx, 20, 40)
    p = ctx.params
    kind = p.str("type")
    # An unknown type finds nothing (as on Mastodon), rather than everything.
    types = service.TYPES if not kind else tuple(t for t in service.TYPES if t == kind)
    request = service.Request(
        q=q,
        types=types,
        limit=limit,
        offset=offset,
        page=Page(limit=limit, max_id=p.id("max_id"), min_id=p.id("min_id")),
        following=bool(p.bool("following", False)),
        account_id=p.id("account_id"),
        resolve=resolve,
    )
    s = ctx.settings
    with ctx.db.read() as session:
        found = service.search(
            session, viewer_id=ctx.viewer_id, request=request, base_url=s.base_url, local_domain=s.domain
        )
        tag_ids = [hit.tag.id for hit in found.hashtags]
        history = histories(session, tag_ids) if tag_ids else {}
        followed = followed_ids(session, ctx.viewer_id, tag_ids)
    signed_in = ctx.viewer_id is not None
    return {
        "accounts": [account_entity(a, s) for a in found.accounts],
        "statuses": status_list(found.statuses, s),
        "hashtags": [
            tag_entity(
                hit.tag,
                s,
                history.get(hit.tag.id, []),
                following=(hit.tag.id in followed) if signed_in else None,
            )
            for hit in found.hashtags
        ],
    }


def accounts_search(ctx: Ctx) -> list[dict[str, Any]]:
    q = _query(ctx)
    limit, offset, resolve = _checked(ctx, 40, 80)
    request = service.Request(
        q=q,
        types=("accounts",),
        limit=limit,
        offset=offset,
        following=bool(ctx.params.bool("following", False)),
        resolve=resolve,
    )
    s = ctx.settings
    with ctx.db.read() as session:
        found = service.search(
            session, viewer_id=ctx.viewer_id, request=request, base_url=s.base_url, local_domain=s.domain
        )
    return [account_entity(a, s) for a in found.accounts]
