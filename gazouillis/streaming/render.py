"""From one event to the frames of the connections of this process: one read of the post, a few batched
queries about its viewers, and the status rendered once.

Statuses are rendered once per event without the viewer's own state (liked? reposted?), as Mastodon's
streaming server sends them; the only per-viewer work is deciding (:mod:`gazouillis.streaming.streams`)
and screening (blocks, mutes, filters: a "warn" filter re-renders that viewer's copy with ``filtered``).
Runs in a worker thread: everything here is synchronous.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import exists, literal, select
from sqlalchemy.orm import Session

from gazouillis.api.entities.statuses import status_entity
from gazouillis.config import Settings
from gazouillis.conversations.tables import AccountConversation
from gazouillis.events import Event
from gazouillis.graph.hiding import Screen, hidden, hidden_accounts
from gazouillis.graph.tables import Follow
from gazouillis.lists.tables import List, ListMember
from gazouillis.notifications.tables import Notification
from gazouillis.posts.tables import Mention, Post, PostTag, Tag
from gazouillis.posts.views import PostView, load_view
from gazouillis.streaming.streams import (
    ANONYMOUS,
    MEDIA_STREAMS,
    POST_STREAMS,
    PostFacts,
    ViewerFacts,
    in_list,
    is_broadcast,
    streams_for,
)
from gazouillis.tags.tables import TagFollow

try:  # written alongside this module (notifications and conversations); streamed once they exist
    from gazouillis.api.entities.notifications import notification_entities
except ImportError:  # pragma: no cover
    notification_entities = None  # type: ignore[assignment]
try:
    from gazouillis.api.entities.conversations import conversation_entities
except ImportError:  # pragma: no cover
    conversation_entities = None  # type: ignore[assignment]

log = logging.getLogger("gazouillis.streaming")


@dataclass(frozen=True)
class Target:
    """One subscription of one connection, as the planner sees it."""

    ref: int  # the hub's reference of the subscription
    name: str
    param: str | None
    viewer_id: int | None
    notifications: bool = False  # the token may read notifications (they then come on "user" too)


# (subscription reference, event name, payload: the JSON text, the bare id, or None)
Out = tuple[int, str, str | None]


def plan(session: Session, settings: Settings, event: Event, targets: list[Target]) -> list[Out]:
    """The frames ``event`` makes for ``targets``."""
    data = event.data
    if event.name in ("update", "status.update"):
        return _post_frames(session, settings, event.name, _int(data.get("post_id")), targets)
    if event.name == "delete":
        payload = str(_int(data.get("post_id")))
        return [(t.ref, "delete", payload) for t in targets if t.name in POST_STREAMS | MEDIA_STREAMS]
    account_id = _int(data.get("account_id"))
    mine = [t for t in targets if t.viewer_id is not None and t.viewer_id == account_id]
    if event.name == "notification":
        wanted = [t for t in mine if t.name == "user:notification" or (t.name == "user" and t.notifications)]
        payload = _notification(session, settings, account_id, _int(data.get("notification_id")), wanted)
        return [(t.ref, "notification", payload) for t in wanted] if payload else []
    if event.name == "conversation":
        wanted = [t for t in mine if t.name == "direct"]
        payload = _conversation(session, settings, account_id, _int(data.get("conversation_id")), wanted)
        return [(t.ref, "conversation", payload) for t in wanted] if payload else []
    if event.name == "filters_changed":
        return [(t.ref, "filters_changed", None) for t in mine if t.name == "user"]
    return []


def needs_database(event: Event, targets: list[Target]) -> bool:
    """Whether :func:`plan` has anything to read for ``event`` (else it is answered without a session)."""
    if event.name in ("delete", "filters_changed"):
        return False
    if event.name in ("update", "status.update"):
        return any(t.name in POST_STREAMS for t in targets)
    account_id = _int(event.data.get("account_id"))
    return any(t.viewer_id == account_id for t in targets)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def dumps(entity: Any) -> str:
    return orjson.dumps(entity).decode()


# Posts


def load_post(session: Session, post_id: int, *, depth: int = 0) -> PostFacts | None:
    """The facts of a post (and of its original, for a repost), or None if it is gone."""
    row = session.execute(
        select(
            Post.id,
            Post.account_id,
            Post.visibility,
            Post.reblog_of_id,
            Post.in_reply_to_account_id,
        ).where(Post.id == post_id)
    ).first()
    if row is None:
        return None
    original = None
    if row.reblog_of_id is not None and depth == 0:
        original = load_post(session, row.reblog_of_id, depth=1)
        if original is None:
            return None
    mentioned = frozenset(session.scalars(select(Mention.account_id).where(Mention.post_id == post_id)))
    tags = frozenset(
        session.scalars(
            select(Tag.name).join(PostTag, PostTag.tag_id == Tag.id).where(PostTag.post_id == post_id)
        )
    )
    return PostFacts(
        id=row.id,
        account_id=row.account_id,
        visibility=row.visibility,
        mentioned=mentioned,
        reblog_of=original,
        in_reply_to_account_id=row.in_reply_to_account_id,
        tags=tags,
    )


def load_viewers(
    session: Session, post: PostFacts, viewer_ids: set[int | None], *, lists: bool
) -> dict[int | None, ViewerFacts]:
    """The facts of every viewer about ``post``: three batched queries, plus each viewer's hidden accounts."""
    ids = sorted(v for v in viewer_ids if v is not None)
    found: dict[int | None, ViewerFacts] = {None: ANONYMOUS}
    if not ids:
        return found
    accounts = {post.account_id}
    if post.reblog_of is not None:
        accounts.add(post.reblog_of.account_id)
    if post.in_reply_to_account_id is not None:
        accounts.add(post.in_reply_to_account_id)
    follows: dict[int, dict[int, bool]] = defaultdict(dict)
    for reader, target, show in session.execute(
        select(Follow.account_id, Follow.target_account_id, Follow.show_reblogs).where(
            Follow.account_id.in_(ids), Follow.target_account_id.in_(accounts)
        )
    ):
        follows[reader][target] = bool(show)
    tags: dict[int, set[str]] = defaultdict(set)
    if post.tags and is_broadcast(post):
        for reader, name in session.execute(
            select(TagFollow.account_id, Tag.name)
            .join(Tag, Tag.id == TagFollow.tag_id)
            .where(TagFollow.account_id.in_(ids), Tag.name.in_(post.tags))
        ):
            tags[reader].add(name)
    in_lists: dict[int, set[str]] = defaultdict(set)
    if lists:
        other = ListMember.__table__.alias()
        replied_is_member = (
            exists().where(other.c.list_id == List.id, other.c.account_id == post.in_reply_to_account_id)
            if post.in_reply_to_account_id is not None
            else literal(False)
        )
        for owner, list_id, policy, member_replied in session.execute(
            select(List.account_id, List.id, List.replies_policy, replied_is_member)
            .join(ListMember, ListMember.list_id == List.id)
            .where(List.account_id.in_(ids), ListMember.account_id == post.account_id)
        ):
            if in_list(post, owner, follows[owner], policy, bool(member_replied)):
                in_lists[owner].add(str(list_id))
    for viewer in ids:
        found[viewer] = ViewerFacts(
            viewer_id=viewer,
            follows=follows[viewer],
            hidden=hidden(session, viewer),
            followed_tags=frozenset(tags[viewer]),
            lists=frozenset(in_lists[viewer]),
        )
    return found


def anonymous_copy(view: PostView) -> PostView:
    """A copy of ``view`` without the viewer's own state (rendered once for everybody)."""
    return dataclasses.replace(
        view,
        favourited=None,
        reblogged=None,
        bookmarked=None,
        pinned=None,
        filtered=(),
        reblog=anonymous_copy(view.reblog) if view.reblog else None,
        quote=anonymous_copy(view.quote) if view.quote else None,
    )


def _post_frames(
    session: Session, settings: Settings, name: str, post_id: int, targets: list[Target]
) -> list[Out]:
    candidates = [t for t in targets if t.name in POST_STREAMS]
    if not candidates:
        return []
    post = load_post(session, post_id)
    if post is None:
        return []
    viewers = load_viewers(
        session, post, {t.viewer_id for t in candidates}, lists=any(t.name == "list" for t in candidates)
    )
    keys = {viewer: streams_for(post, facts) for viewer, facts in viewers.items()}
    matched = [t for t in candidates if (t.name, t.param) in keys[t.viewer_id]]
    if not matched:
        return []
    # The author may always see their post: hydrate as them, then drop their own state.
    view = load_view(session, post.id, post.account_id)
    if view is None:
        return []
    shared = anonymous_copy(view)
    base = dumps(status_entity(shared, settings))
    payloads: dict[tuple[int | None, str], str | None] = {}

    def payload(viewer: int | None, context: str) -> str | None:
        if (viewer, context) not in payloads:
            payloads[(viewer, context)] = _screened(session, settings, viewers[viewer], context, shared, base)
        return payloads[(viewer, context)]

    out: list[Out] = []
    for t in matched:
        text = payload(t.viewer_id, "home" if t.name in ("user", "list") else "public")
        if text is not None:
            out.append((t.ref, name, text))
    return out


def _screened(
    session: Session, settings: Settings, viewer: ViewerFacts, context: str, shared: PostView, base: str
) -> str | None:
    """The payload for one viewer: none if their blocks, mutes or filters hide the post."""
    if viewer.viewer_id is None:
        return base
    mine = dataclasses.replace(shared)  # screening may note "warn" filters on the view: not on the shared one
    # The hidden accounts were loaded for the stream decision: screening reads only the filters.
    kept = Screen(session, viewer.viewer_id, context, known=viewer.hidden)([mine])
    if not kept:
        return None
    if kept[0].filtered:
        return dumps(status_entity(kept[0], settings))
    return base


# Notifications and conversations


def _render_one(
    what: str,
    render: Callable[..., list[Any]] | None,
    session: Session,
    settings: Settings,
    viewer: int,
    rows: list[Any],
) -> str | None:
    if render is None:
        log.warning("%s entities are not available: %s event not streamed", what, what)
        return None
    entities = render(session, viewer, rows, settings)
    return dumps(entities[0]) if entities else None


def _notification(
    session: Session, settings: Settings, account_id: int, notification_id: int, wanted: list[Target]
) -> str | None:
    if not wanted:
        return None
    row = session.get(Notification, notification_id)
    if row is None or row.account_id != account_id:
        return None
    if row.from_account_id in hidden_accounts(session, account_id, notifications=True):
        return None
    return _render_one("notification", notification_entities, session, settings, account_id, [row])


def _conversation(
    session: Session, settings: Settings, account_id: int, conversation_id: int, wanted: list[Target]
) -> str | None:
    if not wanted:
        return None
    row = session.get(AccountConversation, conversation_id)
    if row is None or row.account_id != account_id:
        return None
    return _render_one("conversation", conversation_entities, session, settings, account_id, [row])
