"""Reading notifications: the list (plain and grouped), one notification, the unread count, dismissing.

Lists leave out what the reader must not hear of: accounts hidden from their notifications, and posts
they may no longer see or that their filters hide (:func:`hydrate` passes posts through ``screen``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from gazouillis.accounts.tables import Account
from gazouillis.errors import NotFound
from gazouillis.graph.hiding import hidden_accounts, screen
from gazouillis.notifications.groups import key_column
from gazouillis.notifications.markers import last_read
from gazouillis.notifications.tables import TYPES, Notification
from gazouillis.pagination import Page, apply, newest_first
from gazouillis.posts.views import PostView, load_views

# What a client that names no ``supported_types[]`` can show (Mastodon's classic set).
CLASSIC = ("mention", "status", "reblog", "follow", "follow_request", "favourite", "poll", "update")
SAMPLE_ACCOUNTS = 8


@dataclass(frozen=True)
class Filter:
    """Which notifications a request asks for. ``types``: None for every (supported) type."""

    types: tuple[str, ...] | None = None
    exclude_types: tuple[str, ...] = ()
    from_account_id: int | None = None
    supported: tuple[str, ...] = TYPES

    def kinds(self) -> list[str]:
        wanted = [t for t in TYPES if t in self.supported]
        if self.types is not None:  # unknown types are simply none of ours (Mastodon intersects too)
            wanted = [t for t in wanted if t in self.types]
        return [t for t in wanted if t not in self.exclude_types]


@dataclass
class NotificationView:
    """A notification as shown: its row, who did it, and the post (None for follows)."""

    notification: Notification
    account: Account
    view: PostView | None = None


@dataclass
class Group:
    """One group of grouped notifications, as the page of groups holds it."""

    key: str
    type: str
    count: int
    most_recent_id: int
    page_min_id: int
    latest_at: datetime
    sample_account_ids: list[int]
    post_id: int | None


@dataclass
class GroupedPage:
    groups: list[Group] = field(default_factory=list)
    accounts: dict[int, Account] = field(default_factory=dict)
    views: dict[int, PostView] = field(default_factory=dict)


def _conditions(session: Session, viewer_id: int, filt: Filter) -> list[Any]:
    conditions = [Notification.account_id == viewer_id, Notification.type.in_(filt.kinds())]
    if filt.from_account_id is not None:
        conditions.append(Notification.from_account_id == filt.from_account_id)
    hidden = hidden_accounts(session, viewer_id, notifications=True)
    if hidden:
        conditions.append(Notification.from_account_id.not_in(hidden))
    return conditions


def hydrate(session: Session, viewer_id: int, rows: Iterable[Notification]) -> list[NotificationView]:
    """Views of ``rows`` in order, without those whose post is gone or hidden from the viewer."""
    rows = list(rows)
    hidden = hidden_accounts(session, viewer_id, notifications=True)
    rows = [n for n in rows if n.from_account_id not in hidden]
    account_ids = {n.from_account_id for n in rows}
    accounts = {a.id: a for a in session.scalars(select(Account).where(Account.id.in_(account_ids)))}
    post_ids = list(dict.fromkeys(n.post_id for n in rows if n.post_id is not None))
    views = {
        v.post.id: v
        for v in screen(session, viewer_id, load_views(session, post_ids, viewer_id), "notifications")
    }
    shown = []
    for n in rows:
        if n.from_account_id not in accounts or (n.post_id is not None and n.post_id not in views):
            continue
        shown.append(
            NotificationView(n, accounts[n.from_account_id], views.get(n.post_id) if n.post_id else None)
        )
    return shown


def notifications(
    session: Session, *, viewer_id: int, page: Page, filt: Filter = Filter()
) -> tuple[list[NotificationView], list[int]]:
    """A page of the viewer's notifications, newest first, with the ids of the rows read (the cursors:
    they count rows left out after reading, so the next page starts after them)."""
    query = select(Notification).where(*_conditions(session, viewer_id, filt))
    rows = newest_first(list(session.scalars(apply(query, Notification.id, page))), page)
    return hydrate(session, viewer_id, rows), [n.id for n in rows]


def get_notification(session: Session, *, viewer_id: int, notification_id: int) -> NotificationView:
    row = session.get(Notification, notification_id)
    shown = hydrate(session, viewer_id, [row]) if row is not None and row.account_id == viewer_id else []
    if not shown:
        raise NotFound()
    return shown[0]


def dismiss(session: Session, *, viewer_id: int, notification_id: int) -> None:
    gone = session.execute(
        delete(Notification).where(Notification.id == notification_id, Notification.account_id == viewer_id)
    )
    if not gone.rowcount:  # type: ignore[attr-defined]
        raise NotFound()


def clear(session: Session, *, viewer_id: int) -> None:
    session.execute(delete(Notification).where(Notification.account_id == viewer_id))


def unread_count(
    session: Session, *, viewer_id: int, filt: Filter = Filter(), limit: int = 100, grouped: bool = False
) -> int:
    """Notifications (or groups) newer than the viewer's notifications marker, counted up to ``limit``."""
    conditions = [
        *_conditions(session, viewer_id, filt),
        Notification.id > last_read(session, viewer_id, "notifications"),
    ]
    column = key_column(None) if grouped else Notification.id
    inner = select(column.label("k")).where(*conditions)
    if grouped:
        inner = inner.distinct()
    counted = inner.limit(limit).subquery()
    return session.scalar(select(func.count()).select_from(counted)) or 0


def grouped(
    session: Session,
    *,
    viewer_id: int,
    page: Page,
    filt: Filter = Filter(),
    grouped_types: list[str] | None = None,
) -> tuple[GroupedPage, list[int]]:
    """A page of notification groups, newest group first (by its most recent notification).

    A group counts its notifications within this page's range; older ones of the same group come back
    with it on the next page (as on Mastodon, whose ``page_min_id`` says where the page stopped).
    Returns the page and the cursors for the Link header.
    """
    conditions = _conditions(session, viewer_id, filt)
    key = key_column(grouped_types)
    inner = select(key.label("k"), Notification.id.label("id")).where(*conditions)
    inner = _bounded(inner, page).subquery()
    top = func.max(inner.c.id).label("top")
    heads = select(inner.c.k, top).group_by(inner.c.k)
    heads = heads.order_by(top.asc() if page.min_id is not None else top.desc()).limit(page.limit)
    tops = {r.k: r.top for r in session.execute(heads)}
    if not tops:
        return GroupedPage(), []
    members_query = select(Notification, key.label("k")).where(*conditions, key.in_(list(tops)))
    members_query = _bounded(members_query, page)
    if len(tops) == page.limit and page.min_id is None:
        # A full page ends at its oldest group's newest notification (Mastodon's range): that group's
        # older members come with it again on the next page. A last, short page takes them all.
        members_query = members_query.where(Notification.id >= min(tops.values()))
    members: dict[str, list[Notification]] = defaultdict(list)
    for n, k in session.execute(members_query.order_by(Notification.id.desc())):
        members[k].append(n)
    shown = {nv.notification.id: nv for nv in hydrate(session, viewer_id, [m[0] for m in members.values()])}
    result = GroupedPage()
    for k in sorted(tops, key=lambda k: tops[k], reverse=True):
        group = members[k]
        head = shown.get(group[0].id) if group else None
        if head is None:  # its post is gone or hidden
            continue
        samples = list(dict.fromkeys(n.from_account_id for n in group))[:SAMPLE_ACCOUNTS]
        result.groups.append(
            Group(
                k,
                group[0].type,
                len(group),
                group[0].id,
                group[-1].id,
                group[0].created_at,
                samples,
                group[0].post_id,
            )
        )
        if head.view is not None:
            result.views[head.view.post.id] = head.view
    wanted = {i for g in result.groups for i in g.sample_account_ids}
    result.accounts = {a.id: a for a in session.scalars(select(Account).where(Account.id.in_(wanted)))}
    return result, list(tops.values())


def _bounded(query: Any, page: Page) -> Any:
    if page.max_id is not None:
        query = query.where(Notification.id < page.max_id)
    for bound in (page.since_id, page.min_id):
        if bound is not None:
            query = query.where(Notification.id > bound)
    return query


def group(session: Session, *, viewer_id: int, key: str) -> list[NotificationView]:
    """The notifications of one group, newest first (NotFound when the viewer has none by that key)."""
    rows = session.scalars(
        select(Notification)
        .where(*_conditions(session, viewer_id, Filter()), Notification.group_key == key)
        .order_by(Notification.id.desc())
    ).all()
    if not rows and key.startswith("ungrouped-") and key[10:].isdigit():
        return [get_notification(session, viewer_id=viewer_id, notification_id=int(key[10:]))]
    shown = hydrate(session, viewer_id, rows)
    if not shown:
        raise NotFound()
    return shown


def dismiss_group(session: Session, *, viewer_id: int, key: str) -> None:
    gone = session.execute(
        delete(Notification).where(Notification.account_id == viewer_id, Notification.group_key == key)
    )
    if not gone.rowcount and key.startswith("ungrouped-") and key[10:].isdigit():  # type: ignore[attr-defined]
        dismiss(session, viewer_id=viewer_id, notification_id=int(key[10:]))
        return
    if not gone.rowcount:  # type: ignore[attr-defined]
        raise NotFound()
