"""Making and unmaking notifications: who is told what, and when they must not be.

The actions that notify (posts, likes, reposts, follows) call the hooks here from their own write
transaction, so a notification exists exactly when its cause does; undoing the action removes it, and
deleting a post removes its notifications (foreign key cascade). Nobody is notified of their own
doing, by an account hidden from their notifications (blocks, mutes covering notifications), or of a
post they may not see.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from gazouillis.events import emit
from gazouillis.graph.hiding import hidden_accounts
from gazouillis.graph.tables import NOTIFYING, Follow
from gazouillis.hot import HotStatement
from gazouillis.ids import new_id
from gazouillis.jobs.queue import enqueue, handler
from gazouillis.notifications.groups import group_key
from gazouillis.notifications.tables import Notification
from gazouillis.posts.tables import Post
from gazouillis.posts.visibility import can_see

# Followers told of a new post per job ("status" notifications): one transaction stays short.
STATUS_BATCH = 500


def notify(
    session: Session, *, recipient_id: int, from_account_id: int, type: str, post: Post | None = None
) -> Notification | None:
    """Tell ``recipient_id`` that ``from_account_id`` did ``type`` (about ``post``), unless they must not
    hear of it; returns the notification made, if any."""
    if recipient_id == from_account_id:
        return None
    if from_account_id in hidden_accounts(session, recipient_id, notifications=True):
        return None
    if post is not None and not can_see(session, recipient_id, post):
        return None
    notification = Notification(
        id=new_id(),
        account_id=recipient_id,
        from_account_id=from_account_id,
        type=type,
        post_id=post.id if post is not None else None,
    )
    notification.group_key = group_key(session, notification)
    session.add(notification)
    session.flush()
    emit(session, "notification", account_id=recipient_id, notification_id=notification.id)
    return notification


def unnotify(
    session: Session,
    *,
    recipient_id: int,
    from_account_id: int,
    types: Iterable[str],
    post_id: int | None = None,
) -> None:
    """Remove the notifications an undone action made."""
    query = delete(Notification).where(
        Notification.account_id == recipient_id,
        Notification.from_account_id == from_account_id,
        Notification.type.in_(list(types)),
    )
    if post_id is not None:
        query = query.where(Notification.post_id == post_id)
    session.execute(query)


def post_created(session: Session, post: Post, mentioned_ids: Iterable[int]) -> None:
    """A new post: mentions (a reply counts as one for the author replied to, as on Mastodon), the quoted
    post's author, and — later, in a job — the followers who asked to be told of this author's posts."""
    told: set[int] = set()
    recipients = set(mentioned_ids)
    if post.in_reply_to_account_id is not None:
        recipients.add(post.in_reply_to_account_id)
    for recipient in sorted(recipients):
        if notify(
            session, recipient_id=recipient, from_account_id=post.account_id, type="mention", post=post
        ):
            told.add(recipient)
    if post.quote_of_id is not None:
        quoted_author = session.scalar(select(Post.account_id).where(Post.id == post.quote_of_id))
        if quoted_author is not None and quoted_author not in told and quoted_author not in recipients:
            notify(
                session, recipient_id=quoted_author, from_account_id=post.account_id, type="quote", post=post
            )
    original = post.visibility != "direct" and post.reblog_of_id is None
    if original and _notified_follower().first(session, {"author": post.account_id}):
        enqueue(session, "notifications.status", {"post_id": post.id, "skip": sorted(recipients)})


@cache
def _notified_follower() -> HotStatement:
    """One follower of ``author`` asking to be told of their posts, if any (every new post asks)."""
    follows = Follow.__table__
    return HotStatement(
        select(follows.c.id)
        # Not IS TRUE: PostgreSQL then read all of a 703,112-follower author's follows on every post (2.4 s).
        .where(follows.c.target_account_id == bindparam("author"), NOTIFYING)
        .limit(1)
    )


@handler("notifications.status")
def notify_followers(session: Session, payload: dict[str, Any]) -> None:
    """Tell one batch of the author's notify-followers of a new post, then schedule the next batch."""
    post = session.get(Post, payload["post_id"])
    if post is None:  # deleted before the job ran
        return
    after = payload.get("after") or 0
    skip = set(payload.get("skip") or ())
    query = (
        select(Follow.id, Follow.account_id)
        .where(Follow.target_account_id == post.account_id, NOTIFYING, Follow.id > after)
        .order_by(Follow.id)
        .limit(STATUS_BATCH)
    )
    rows = session.execute(query).all()
    done = set(
        session.scalars(
            select(Notification.account_id).where(
                Notification.post_id == post.id, Notification.type == "status"
            )
        )
    )
    for row in rows:
        if row.account_id not in skip and row.account_id not in done:  # a repeated job repeats nothing
            notify(
                session,
                recipient_id=row.account_id,
                from_account_id=post.account_id,
                type="status",
                post=post,
            )
    if len(rows) == STATUS_BATCH:
        enqueue(session, "notifications.status", {**payload, "after": rows[-1].id})


def favourited(session: Session, post: Post, by: int) -> None:
    notify(session, recipient_id=post.account_id, from_account_id=by, type="favourite", post=post)


def unfavourited(session: Session, post: Post, by: int) -> None:
    unnotify(session, recipient_id=post.account_id, from_account_id=by, types=["favourite"], post_id=post.id)


def reblogged(session: Session, post: Post, by: int) -> None:
    """``post`` is the original; the notification points at it (Mastodon shows the boosted status)."""
    notify(session, recipient_id=post.account_id, from_account_id=by, type="reblog", post=post)


def unreblogged(session: Session, post: Post, by: int) -> None:
    unnotify(session, recipient_id=post.account_id, from_account_id=by, types=["reblog"], post_id=post.id)


def followed(session: Session, *, follower_id: int, target_id: int, requested: bool) -> None:
    kind = "follow_request" if requested else "follow"
    notify(session, recipient_id=target_id, from_account_id=follower_id, type=kind)


def unfollowed(session: Session, *, follower_id: int, target_id: int) -> None:
    """An unfollow, a withdrawn request: both notifications go."""
    unnotify(session, recipient_id=target_id, from_account_id=follower_id, types=["follow", "follow_request"])


def request_answered(session: Session, *, target_id: int, requester_id: int) -> None:
    """A follow request accepted or rejected: its notification has served."""
    unnotify(session, recipient_id=target_id, from_account_id=requester_id, types=["follow_request"])
