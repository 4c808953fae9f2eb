"""Notifications (v1 and grouped v2), the unread count, and the notification policy stand-ins."""

from __future__ import annotations

from typing import Any

from gazouillis.api.entities.accounts import account_entity
from gazouillis.api.entities.notifications import grouped_entity, notification_entity
from gazouillis.api.http import Ctx, Reply
from gazouillis.errors import NotFound
from gazouillis.notifications import reading

GROUP_KEY_MAX = 100


def _types(ctx: Ctx, name: str) -> tuple[str, ...]:
    return tuple(str(t) for t in ctx.params.list(name))


def _filter(ctx: Ctx) -> reading.Filter:
    """``types[]``, ``exclude_types[]``, ``account_id``; only the classic types unless the client names
    the ones it supports (``supported_types[]``), as Mastodon does."""
    p = ctx.params
    supported = _types(ctx, "supported_types")
    return reading.Filter(
        types=_types(ctx, "types") if "types" in p else None,
        exclude_types=_types(ctx, "exclude_types"),
        from_account_id=p.id("account_id"),
        supported=tuple(dict.fromkeys((*reading.CLASSIC, *supported))) if supported else reading.CLASSIC,
    )


def index(ctx: Ctx) -> Reply:
    with ctx.db.read() as session:
        shown, cursors = reading.notifications(
            session, viewer_id=ctx.user_id, page=ctx.page(default=40, maximum=80), filt=_filter(ctx)
        )
        body = [notification_entity(s, ctx.settings) for s in shown]
    return ctx.paginated(body, cursors)


def get(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.read() as session:
        shown = reading.get_notification(session, viewer_id=ctx.user_id, notification_id=ctx.path_id())
        return notification_entity(shown, ctx.settings)


def clear(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.write() as session:
        reading.clear(session, viewer_id=ctx.user_id)
    return {}


def dismiss(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.write() as session:
        reading.dismiss(session, viewer_id=ctx.user_id, notification_id=ctx.path_id())
    return {}


def _count(ctx: Ctx, *, grouped: bool) -> dict[str, Any]:
    limit = ctx.params.int("limit", 100) or 100
    with ctx.db.read() as session:
        count = reading.unread_count(
            session, viewer_id=ctx.user_id, filt=_filter(ctx), limit=max(1, min(limit, 1000)), grouped=grouped
        )
    return {"count": count}


def unread_count(ctx: Ctx) -> dict[str, Any]:
    return _count(ctx, grouped=False)


def unread_group_count(ctx: Ctx) -> dict[str, Any]:
    return _count(ctx, grouped=True)


def grouped(ctx: Ctx) -> Reply:
    grouped_types = _types(ctx, "grouped_types") if "grouped_types" in ctx.params else None
    with ctx.db.read() as session:
        found, cursors = reading.grouped(
            session,
            viewer_id=ctx.user_id,
            page=ctx.page(default=40, maximum=80),
            filt=_filter(ctx),
            grouped_types=list(grouped_types) if grouped_types is not None else None,
        )
        body = grouped_entity(found, ctx.settings)
    return ctx.paginated(body, cursors) if found.groups else Reply(body)


def _key(ctx: Ctx) -> str:
    key = ctx.request.path_params.get("id", "")
    if not key or len(key) > GROUP_KEY_MAX:
        raise NotFound()
    return str(key)


def group(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.read() as session:
        members = reading.group(session, viewer_id=ctx.user_id, key=_key(ctx))
        head = members[0]
        found = reading.GroupedPage(
            groups=[
                reading.Group(
                    key=_key(ctx),
                    type=head.notification.type,
                    count=len(members),
                    most_recent_id=head.notification.id,
                    page_min_id=members[-1].notification.id,
                    latest_at=head.notification.created_at,
                    sample_account_ids=list(dict.fromkeys(m.account.id for m in members))[
                        : reading.SAMPLE_ACCOUNTS
                    ],
                    post_id=head.notification.post_id,
                )
            ],
            accounts={m.account.id: m.account for m in members[: reading.SAMPLE_ACCOUNTS]},
            views={head.view.post.id: head.view} if head.view is not None else {},
        )
        return grouped_entity(found, ctx.settings)


def group_accounts(ctx: Ctx) -> list[dict[str, Any]]:
    with ctx.db.read() as session:
        members = reading.group(session, viewer_id=ctx.user_id, key=_key(ctx))
        people = {m.account.id: m.account for m in members}
        return [account_entity(a, ctx.settings) for a in people.values()]


def dismiss_group(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.write() as session:
        reading.dismiss_group(session, viewer_id=ctx.user_id, key=_key(ctx))
    return {}


# Notification requests and policies (Mastodon 4.3) filter notifications from strangers; here every
# notification is accepted, so the policy says "accept" everywhere and there is never a request.
POLICY_FIELDS = (
    "for_not_following",
    "for_not_followers",
    "for_new_accounts",
    "for_private_mentions",
    "for_limited_accounts",
)


def _policy() -> dict[str, Any]:
    return {
        **dict.fromkeys(POLICY_FIELDS, "accept"),
        # Pre-4.3 boolean names, still read by some clients.
        "filter_not_following": False,
        "filter_not_followers": False,
        "filter_new_accounts": False,
        "filter_private_mentions": False,
        "summary": {"pending_requests_count": 0, "pending_notifications_count": 0},
    }


def policy(ctx: Ctx) -> dict[str, Any]:
    ctx.user_id  # noqa: B018  (signed-in only)
    return _policy()


def update_policy(ctx: Ctx) -> dict[str, Any]:
    """Accepted and ignored: nothing is filtered, whatever the client asks."""
    ctx.user_id  # noqa: B018
    return _policy()


def requests(ctx: Ctx) -> Reply:
    ctx.user_id  # noqa: B018
    return Reply([])
