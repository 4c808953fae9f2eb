"""Grouped notifications (Mastodon 4.3's ``/api/v2/notifications``): which notifications form one group.

The rule is Mastodon's: likes and reposts of the same post, and follows, made within a span of time
share a key ``<type>-<post id>-<hour>`` / ``follow-<hour>``; a group keeps its key while new members
arrive less than ``MAX_GROUP_SPAN_HOURS`` after the hour it started. Every other notification is a
group of its own, ``ungrouped-<id>``. Mastodon keeps the current hour of each group in Redis; here the
newest notification of the group is the record (one indexed query).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, case, cast, literal, select
from sqlalchemy.orm import Session

from gazouillis.notifications.tables import Notification
from gazouillis.storage import utcnow

GROUPABLE = ("favourite", "reblog", "follow")
MAX_GROUP_SPAN_HOURS = 12


def group_key(session: Session, notification: Notification) -> str:
    """The key of the group ``notification`` (not yet stored, id set) joins."""
    kind = notification.type
    if kind not in GROUPABLE:
        return f"ungrouped-{notification.id}"
    prefix = kind if kind == "follow" else f"{kind}-{notification.post_id}"
    hour = int(utcnow().timestamp()) // 3600
    previous = session.scalar(
        select(Notification.group_key)
        .where(
            Notification.account_id == notification.account_id,
            Notification.type == kind,
            Notification.group_key.like(f"{prefix}-%"),
        )
        .order_by(Notification.id.desc())
        .limit(1)
    )
    if previous is not None:
        tail = previous.rsplit("-", 1)[-1]
        if tail.isdigit() and hour < int(tail) + MAX_GROUP_SPAN_HOURS:
            hour = int(tail)
    return f"{prefix}-{hour}"


def key_column(grouped_types: list[str] | None) -> Any:
    """The group key as a SQL expression; types left out of ``grouped_types`` are not grouped."""
    if grouped_types is None:
        return Notification.group_key
    ungrouped = literal("ungrouped-") + cast(Notification.id, String)
    return case((Notification.type.in_(grouped_types), Notification.group_key), else_=ungrouped)
