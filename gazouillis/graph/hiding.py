"""Who a viewer must not hear from: the accounts they block, those blocking them, those they mute.

Every place that shows posts or notifications to a viewer (timelines, threads, search, notifications,
streaming, live pages) removes these accounts' posts with :func:`hidden_accounts` and
:func:`screen`; keyword filters (``gazouillis.filters``) are applied by :func:`screen` too.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select, union
from sqlalchemy.orm import Session

from gazouillis.graph.tables import Block, Mute
from gazouillis.posts.views import PostView
from gazouillis.storage import utcnow


def hidden_accounts(
    session: Session, viewer_id: int | None, *, notifications: bool = False
) -> frozenset[int]:
    """Accounts whose posts ``viewer_id`` must not see; with ``notifications``, those whose notifications
    they must not get (a mute counts there only when it covers notifications)."""
    if viewer_id is None:
        return frozenset()
    live_mute = or_(Mute.expires_at.is_(None), Mute.expires_at > utcnow())
    if notifications:
        live_mute = live_mute & Mute.notifications.is_(True)
    query = union(
        select(Block.target_account_id).where(Block.account_id == viewer_id),
        select(Block.account_id).where(Block.target_account_id == viewer_id),
        select(Mute.target_account_id).where(Mute.account_id == viewer_id, live_mute),
    )
    return frozenset(session.scalars(query))


def shows(view: PostView, hidden: frozenset[int]) -> bool:
    """Whether a view keeps clear of ``hidden``: its author, a repost's original author, a quote's."""
    if view.account.id in hidden:
        return False
    return all(inner is None or inner.account.id not in hidden for inner in (view.reblog, view.quote))


def screen(
    session: Session, viewer_id: int | None, views: Iterable[PostView], context: str
) -> list[PostView]:
    """``views`` without what ``viewer_id`` must not see in ``context`` (home, notifications, public,
    thread, account): hidden accounts' posts, and posts their "hide" filters match; "warn" filters
    are noted on the view (``view.filtered``)."""
    views = list(views)
    if viewer_id is None:
        return views
    hidden = hidden_accounts(session, viewer_id)
    return [v for v in views if shows(v, hidden)]
