"""Lists: the caller's lists, their members, the lists holding an account, and a list's timeline."""

from __future__ import annotations

from typing import Any

from gazouillis.accounts import service as accounts
from gazouillis.api.entities.accounts import account_entity
from gazouillis.api.entities.statuses import status_list
from gazouillis.api.http import Ctx, Reply
from gazouillis.errors import NotFound
from gazouillis.lists import service as lists
from gazouillis.lists.tables import List
from gazouillis.lists.timeline import list_timeline


def list_entity(row: List) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "title": row.title,
        "replies_policy": row.replies_policy,
        "exclusive": row.exclusive,
    }


def index(ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.db.read() as session:
        return [list_entity(r) for r in lists.lists_of(session, owner_id=ctx.user_id)]


def create(ctx: Ctx) -> dict[str, Any]:
    p = ctx.params
    with ctx.db.write() as session:
        row = lists.create_list(
            session,
            owner_id=ctx.user_id,
            title=p.str("title"),
            replies_policy=p.str("replies_policy"),
            exclusive=p.bool("exclusive"),
        )
        return list_entity(row)


def get(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.read() as session:
        return list_entity(lists.get_list(session, owner_id=ctx.user_id, list_id=ctx.path_id()))


def update(ctx: Ctx) -> dict[str, Any]:
    p = ctx.params
    with ctx.db.write() as session:
        row = lists.update_list(
            session,
            owner_id=ctx.user_id,
            list_id=ctx.path_id(),
            title=p.str("title"),
            replies_policy=p.str("replies_policy"),
            exclusive=p.bool("exclusive"),
        )
        return list_entity(row)


def delete(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.write() as session:
        lists.delete_list(session, owner_id=ctx.user_id, list_id=ctx.path_id())
    return {}


def accounts_of(ctx: Ctx) -> Reply:
    """``limit=0`` gives every member at once, without a Link header (Mastodon's rule)."""
    everything = ctx.params.int("limit") == 0
    page = None if everything else ctx.page(default=40, maximum=80)
    with ctx.db.read() as session:
        people, cursors = lists.members(session, owner_id=ctx.user_id, list_id=ctx.path_id(), page=page)
    body = [account_entity(a, ctx.settings) for a in people]
    return Reply(body) if everything else ctx.paginated(body, cursors)


def _account_ids(ctx: Ctx) -> list[int]:
    """``account_ids[]`` (form, query or JSON); a value that is not an id cannot be an account."""
    ids = []
    for raw in ctx.params.list("account_ids"):
        value = str(raw)
        if not value.isdigit() or len(value) > 19 or int(value) >= 2**63:
            raise NotFound()
        ids.append(int(value))
    return ids


def add_accounts(ctx: Ctx) -> dict[str, Any]:
    ids = _account_ids(ctx)
    with ctx.db.write() as session:
        lists.add_accounts(session, owner_id=ctx.user_id, list_id=ctx.path_id(), account_ids=ids)
    return {}


def remove_accounts(ctx: Ctx) -> dict[str, Any]:
    ids = _account_ids(ctx)
    with ctx.db.write() as session:
        lists.remove_accounts(session, owner_id=ctx.user_id, list_id=ctx.path_id(), account_ids=ids)
    return {}


def of_account(ctx: Ctx) -> list[dict[str, Any]]:
    """``GET /api/v1/accounts/:id/lists``: the caller's lists holding that account."""
    with ctx.db.read() as session:
        account_id = accounts.known_account_id(session, ctx.path_id())
        found = lists.lists_containing(session, owner_id=ctx.user_id, account_id=account_id)
        return [list_entity(r) for r in found]


def timeline(ctx: Ctx) -> Reply:
    with ctx.db.read() as session:
        views = list_timeline(session, owner_id=ctx.user_id, list_id=ctx.path_id(), page=ctx.page())
    return ctx.paginated(status_list(views, ctx.settings), [v.post.id for v in views])
