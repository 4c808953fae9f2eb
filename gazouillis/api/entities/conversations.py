"""Mastodon Conversation entity: one participant's view of a direct-message thread."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gazouillis.accounts.tables import Account
from gazouillis.api.entities.accounts import account_entity
from gazouillis.api.entities.statuses import status_entity
from gazouillis.config import Settings
from gazouillis.conversations.tables import AccountConversation
from gazouillis.graph.hiding import screen
from gazouillis.posts.views import load_views


def conversation_entities(
    session: Session, viewer_id: int, rows: Iterable[AccountConversation], settings: Settings
) -> list[dict[str, Any]]:
    """Conversations as ``viewer_id`` sees them: the other participants and the last post (None when it
    is hidden from the viewer), in one batch (the streaming API renders each event through this too)."""
    rows = list(rows)
    people = {i for r in rows for i in (r.participant_ids or [])}
    accounts = {a.id: a for a in session.scalars(select(Account).where(Account.id.in_(people)))}
    post_ids = [r.last_post_id for r in rows if r.last_post_id is not None]
    views = {
        v.post.id: v for v in screen(session, viewer_id, load_views(session, post_ids, viewer_id), "thread")
    }
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
