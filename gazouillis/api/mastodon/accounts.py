"""Accounts: registration, credentials, profiles, follows and relationships."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from gazouillis.accounts import service as accounts
from gazouillis.api.entities.accounts import account_entity, credential_account_entity, relationship_entity
from gazouillis.api.entities.statuses import status_list
from gazouillis.api.http import Ctx, Reply
from gazouillis.errors import Forbidden, Invalid
from gazouillis.graph import service as graph
from gazouillis.oauth import service as oauth
from gazouillis.posts import pins
from gazouillis.timelines import service as timelines


def register(ctx: Ctx) -> dict[str, Any]:
    """``POST /api/v1/accounts`` with an app token: sign up and get a user token back."""
    s, p = ctx.settings, ctx.params
    if s.registrations == "closed":
        raise Forbidden("Registrations are closed on this instance")
    if not p.bool("agreement", False):
        raise Invalid(
            "Validation failed: Agreement must be accepted",
            details={"agreement": [{"error": "ERR_ACCEPTED", "description": "must be accepted"}]},
        )
    assert ctx.token is not None
    with ctx.db.write() as session:
        account = accounts.create_account(
            session,
            username=p.str("username") or "",
            email=p.str("email") or "",
            password=p.str("password") or "",
            approved=s.registrations == "open",
            locale=p.str("locale") or "",
            reason=p.str("reason") or "",
        )
        app = oauth.get_application(session, ctx.token.application_id)
        assert app is not None
        issued = oauth.issue_token(
            session, app=app, account_id=account.id, scopes=ctx.token.scopes, lifetime=s.token_lifetime
        )
    return {
        "access_token": issued.token,
        "token_type": "Bearer",
        "scope": issued.row.scopes,
        "created_at": int(issued.row.created_at.timestamp()),
    }


def _credential(ctx: Ctx, account_id: int) -> dict[str, Any]:
    with ctx.db.read() as session:
        account = accounts.get_account(session, account_id)
        user = accounts.get_user(session, account_id)
        pending = graph.pending_request_count(session, account_id)
    return credential_account_entity(account, user, ctx.settings, pending)


def verify_credentials(ctx: Ctx) -> dict[str, Any]:
    return _credential(ctx, ctx.user_id)


def _fields(ctx: Ctx) -> list[dict[str, str]] | None:
    if "fields_attributes" not in ctx.params:
        return None
    return [
        {"name": str(f.get("name", "")), "value": str(f.get("value", ""))}
        for f in ctx.params.list("fields_attributes")
        if isinstance(f, dict)
    ]


def update_credentials(ctx: Ctx) -> dict[str, Any]:
    p = ctx.params
    source = p.dict("source")
    source_bool = source.get("sensitive")
    changes = accounts.ProfileChanges(
        display_name=p.str("display_name"),
        note=p.str("note"),
        website=p.str("website"),
        locked=p.bool("locked"),
        bot=p.bool("bot"),
        discoverable=p.bool("discoverable"),
        fields=_fields(ctx),
        default_visibility=source.get("privacy"),
        default_sensitive=None if source_bool is None else str(source_bool).lower() not in ("0", "false", ""),
        default_language=source.get("language"),
    )
    with ctx.db.write() as session:
        graph.update_profile(session, accounts.get_account(session, ctx.user_id), changes)
    return _credential(ctx, ctx.user_id)


def get(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.read() as session:
        account = accounts.get_account(session, ctx.path_id())
    return account_entity(account, ctx.settings)


def lookup(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.read() as session:
        account = accounts.lookup(session, ctx.params.required("acct"), local_domain=ctx.settings.domain)
    return account_entity(account, ctx.settings)


def statuses(ctx: Ctx) -> Reply:
    p = ctx.params
    page = ctx.page()
    with ctx.db.read() as session:
        if not (p.bool("pinned", False) or p.bool("only_media", False)):
            return timelines.account_page(
                session,
                viewer_id=ctx.viewer_id,
                account_id=ctx.path_id(),
                page=page,
                exclude_replies=bool(p.bool("exclude_replies", False)),
                exclude_reblogs=bool(p.bool("exclude_reblogs", False)),
                variant=ctx.variant,
                render=ctx.status_page,
            )
        account_id = accounts.known_account_id(session, ctx.path_id())
        if p.bool("pinned", False):
            views = pins.pinned_posts(session, account_id=account_id, viewer_id=ctx.viewer_id, page=page)
        else:
            # Media arrive with a later feature; until then this list is truly empty.
            views = []
    return ctx.paginated(status_list(views, ctx.settings), [v.post.id for v in views])


def statuses_kept(ctx: Ctx) -> Hashable:
    """Where :func:`statuses` keeps its page (pinned and media-only lists are never kept: no page is
    found under their query strings)."""
    return timelines.account_key(ctx.viewer_id, ctx.path_id(), ctx.variant)


def _account_page(ctx: Ctx, fn: Any, account_id: int) -> Reply:
    with ctx.db.read() as session:
        found, cursors = fn(session, account_id=account_id, page=ctx.page(default=40, maximum=80))
    return ctx.paginated([account_entity(a, ctx.settings) for a in found], cursors)


def followers(ctx: Ctx) -> Reply:
    with ctx.db.read() as session:
        account_id = accounts.known_account_id(session, ctx.path_id())
    return _account_page(ctx, graph.followers, account_id)


def following(ctx: Ctx) -> Reply:
    with ctx.db.read() as session:
        account_id = accounts.known_account_id(session, ctx.path_id())
    return _account_page(ctx, graph.following, account_id)


def relationships(ctx: Ctx) -> list[dict[str, Any]]:
    ids = []
    for raw in ctx.params.list("id"):
        value = str(raw)
        if value.isdigit() and int(value) < 2**63:
            ids.append(int(value))
    with ctx.db.read() as session:
        found = graph.relationships(session, viewer_id=ctx.user_id, ids=ids)
    return [relationship_entity(r) for r in found]


def follow(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.write() as session:
        rel = graph.follow(
            session,
            follower_id=ctx.user_id,
            target_id=ctx.path_id(),
            reblogs=ctx.params.bool("reblogs"),
            notify=ctx.params.bool("notify"),
        )
    return relationship_entity(rel)


def unfollow(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.write() as session:
        rel = graph.unfollow(session, follower_id=ctx.user_id, target_id=ctx.path_id())
    return relationship_entity(rel)


def follow_requests(ctx: Ctx) -> Reply:
    return _account_page(ctx, graph.follow_requests, ctx.user_id)


def authorize_request(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.write() as session:
        rel = graph.authorize_request(session, target_id=ctx.user_id, requester_id=ctx.path_id())
    return relationship_entity(rel)


def reject_request(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.write() as session:
        rel = graph.reject_request(session, target_id=ctx.user_id, requester_id=ctx.path_id())
    return relationship_entity(rel)
