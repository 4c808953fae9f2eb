"""Mastodon Notification, GroupedNotificationsResults and Marker entities."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from gazouillis.api.entities.accounts import account_entity
from gazouillis.api.entities.common import timestamp
from gazouillis.api.entities.statuses import status_entity
from gazouillis.config import Settings
from gazouillis.notifications.reading import GroupedPage, NotificationView, hydrate
from gazouillis.notifications.tables import Marker, Notification


def notification_entity(shown: NotificationView, settings: Settings) -> dict[str, Any]:
    n = shown.notification
    entity: dict[str, Any] = {
        "id": str(n.id),
        "type": n.type,
        "group_key": n.group_key,
        "created_at": timestamp(n.created_at),
        "account": account_entity(shown.account, settings),
    }
    if shown.view is not None:
        entity["status"] = status_entity(shown.view, settings)
    return entity


def notification_entities(
    session: Session, viewer_id: int, notifications: Iterable[Notification], settings: Settings
) -> list[dict[str, Any]]:
    """Entities of ``notifications`` for ``viewer_id``, leaving out those whose post is gone or hidden
    (the streaming API renders each event through this too)."""
    return [notification_entity(shown, settings) for shown in hydrate(session, viewer_id, notifications)]


def grouped_entity(found: GroupedPage, settings: Settings) -> dict[str, Any]:
    """GroupedNotificationsResults (``/api/v2/notifications``)."""
    return {
        "accounts": [account_entity(a, settings) for a in found.accounts.values()],
        "statuses": [status_entity(v, settings) for v in found.views.values()],
        "notification_groups": [
            {
                "group_key": g.key,
                "notifications_count": g.count,
                "type": g.type,
                "most_recent_notification_id": str(g.most_recent_id),
                "page_min_id": str(g.page_min_id),
                "page_max_id": str(g.most_recent_id),
                "latest_page_notification_at": timestamp(g.latest_at),
                "sample_account_ids": [str(i) for i in g.sample_account_ids],
                "status_id": str(g.post_id) if g.post_id is not None else None,
            }
            for g in found.groups
        ],
    }


def marker_entity(marker: Marker) -> dict[str, Any]:
    return {
        "last_read_id": str(marker.last_read_id),
        "version": marker.version,
        "updated_at": timestamp(marker.updated_at),
    }
