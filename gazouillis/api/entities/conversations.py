"""Mastodon Conversation entity: one participant's view of a direct-message thread."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from gazouillis.api.entities.accounts import account_entity
from gazouillis.api.entities.statuses import status_entity
from gazouillis.config import Settings
from gazouillis.conversations import service as conversations
from gazouillis.conversations.tables import AccountConversation


def conversation_entities(
    session: Session, viewer_id: int, rows: Iterable[AccountConversation], settings: Settings
) -> list[dict[str, Any]]:
    """Conversations as ``viewer_id`` sees them: the other participants and the last post (None when it
    is hidden from the viewer), in one batch (the streaming API renders each event through this too)."""
    rows = list(rows)
    accounts = conversations.participants(session, rows)
    views = conversations.last_posts(session, viewer_id, rows)
    return [
        {
            "id": str(r.id),
            "unread": r.unread,
            "accounts": [
                account_entity(accounts[i], settings) for i in r.participant_ids or [] if i in accounts
            ],
            "last_status": status_entity(views[r.last_post_id], settings)
            if r.last_post_id in views
            else None,
        }
        for r in rows
    ]
