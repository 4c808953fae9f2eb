"""Who may subscribe to what: the stream must exist, carry its parameter, be allowed by the token's
scopes, and (a list) belong to the viewer. The same rules for WebSocket, server-sent events and pages."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gazouillis.errors import BadRequest, DomainError, Forbidden, NotFound, Unauthorized
from gazouillis.lists.tables import List
from gazouillis.oauth import scopes as sc
from gazouillis.streaming.streams import HASHTAG, NEEDS_USER, STREAMS, Key, normalize_param


class UnknownStream(DomainError):
    status = 400


def check_subscription(
    session: Session, viewer_id: int | None, scopes: list[str], name: str, raw: str | None
) -> tuple[Key, tuple[str, ...]]:
    """The key of a subscription to ``name`` (with its tag or list ``raw``), and the stream array frames
    echo (the parameter exactly as sent, as masto.js compares it); raises a DomainError otherwise."""
    if name not in STREAMS:
        raise UnknownStream("Unknown stream type")
    if name in NEEDS_USER and viewer_id is None:
        raise Unauthorized("Missing access token")
    needed = STREAMS[name]
    if needed is not None and not sc.covers(scopes, needed):
        raise Forbidden("Access token does not have the required scopes")
    param = normalize_param(name, raw)
    if name in HASHTAG and param is None:
        raise BadRequest("Missing tag name parameter")
    if name == "list":
        if param is None:
            raise BadRequest("Missing list parameter")
        if not (param.isascii() and param.isdigit() and len(param) <= 19) or not _owns_list(
            session, viewer_id, int(param)
        ):
            raise NotFound("Record not found")
    stream = (name, (raw or "").strip()) if param is not None else (name,)
    return (name, param), stream


def _owns_list(session: Session, viewer_id: int | None, list_id: int) -> bool:
    if list_id >= 2**63:
        return False
    return session.scalar(select(List.id).where(List.id == list_id, List.account_id == viewer_id)) is not None


def reads_notifications(scopes: list[str]) -> bool:
    return sc.covers(scopes, "read:notifications")
