"""Direct-message conversations: list, mark read, remove (for the caller only)."""

from __future__ import annotations

from typing import Any

from gazouillis.api.entities.conversations import conversation_entities
from gazouillis.api.http import Ctx, Reply
from gazouillis.conversations import service as conversations


def index(ctx: Ctx) -> Reply:
    """Newest conversation first; the cursor is each conversation's last post id."""
    with ctx.db.read() as session:
        rows = conversations.conversations(session, viewer_id=ctx.user_id, page=ctx.page())
        body = conversation_entities(session, ctx.user_id, rows, ctx.settings)
    return ctx.paginated(body, [r.last_post_id for r in rows if r.last_post_id is not None])


def read(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.write() as session:
        row = conversations.mark_read(session, viewer_id=ctx.user_id, conversation_id=ctx.path_id())
        return conversation_entities(session, ctx.user_id, [row], ctx.settings)[0]


def remove(ctx: Ctx) -> dict[str, Any]:
    with ctx.db.write() as session:
        conversations.remove(session, viewer_id=ctx.user_id, conversation_id=ctx.path_id())
    return {}
