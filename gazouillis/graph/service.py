"""The follow graph: follow, unfollow, follow requests to locked accounts, lists and relationships."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from gazouillis.accounts import profiles
from gazouillis.accounts.service import get_account
from gazouillis.accounts.tables import Account
from gazouillis.changes.log import everything_changed
from gazouillis.counters import bump
from gazouillis.errors import Forbidden, NotFound
from gazouillis.graph import hiding
from gazouillis.graph.tables import Block, Follow, FollowRequest, Mute
from gazouillis.ids import new_id
from gazouillis.jobs.queue import enqueue
from gazouillis.lists.service import remove_from_lists
from gazouillis.notifications import service as notifications
from gazouillis.pagination import Page, apply, newest_first
from gazouillis.storage import utcnow
from gazouillis.timelines.feeds import feeds_of


@dataclass(frozen=True)
class Relationship:
    """How the viewer and another account stand to each other."""

    id: int
    following: bool = False
    showing_reblogs: bool = False
    notifying: bool = False
    followed_by: bool = False
    requested: bool = False
    requested_by: bool = False
    blocking: bool = False
    blocked_by: bool = False
    muting: bool = False
    muting_notifications: bool = False
    muting_expires_at: datetime | None = None


def follow(
    session: Session,
    *,
    follower_id: int,
    target_id: int,
    reblogs: bool | None = None,
    notify: bool | None = None,
) -> Relationship:
    """Follow ``target_id``, or ask to when the account is locked. Repeating it updates the options."""
    if follower_id == target_id:
        raise Forbidden("You cannot follow yourself")
    target = get_account(session, target_id)
    if hiding.blocked(session, follower_id, [target_id]):  # either way, as on Mastodon
        raise Forbidden("This action is not allowed")
    existing = session.scalar(
        select(Follow).where(Follow.account_id == follower_id, Follow.target_account_id == target_id)
    )
    if existing is not None:
        if reblogs is not None and reblogs != existing.show_reblogs:
            existing.show_reblogs = reblogs
            _reposts_shown(session, follower_id, target_id, shown=reblogs)
        if notify is not None:
            existing.notify = notify
    elif target.locked:
        request = session.scalar(
            select(FollowRequest).where(
                FollowRequest.account_id == follower_id, FollowRequest.target_account_id == target_id
            )
        )
        if request is None:
            session.add(
                FollowRequest(
                    id=new_id(),
                    account_id=follower_id,
                    target_account_id=target_id,
                    show_reblogs=True if reblogs is None else reblogs,
                    notify=bool(notify),
                )
            )
            session.flush()
            notifications.followed(session, follower_id=follower_id, target_id=target_id, requested=True)
    else:
        _create_follow(
            session, follower_id, target_id, reblogs=True if reblogs is None else reblogs, notify=bool(notify)
        )
        session.flush()
        notifications.followed(session, follower_id=follower_id, target_id=target_id, requested=False)
    session.flush()
    return relationships(session, viewer_id=follower_id, ids=[target_id])[0]


def _create_follow(
    session: Session, follower_id: int, target_id: int, *, reblogs: bool, notify: bool
) -> None:
    session.add(
        Follow(
            id=new_id(),
            account_id=follower_id,
            target_account_id=target_id,
            show_reblogs=reblogs,
            notify=notify,
        )
    )
    bump(session, Account, follower_id, following_count=1)
    bump(session, Account, target_id, followers_count=1)
    enqueue(session, "feed.merge", {"reader_id": follower_id, "author_id": target_id})
    threshold = feeds_of(session).policy.threshold
    if session.scalar(select(Account.followers_count).where(Account.id == target_id)) == threshold:
        # Just reached the fan-out threshold: its next posts reach its followers' pages at read time, and
        # which cached pages follow it is known to no one.
        everything_changed(session)


def _reposts_shown(session: Session, follower_id: int, target_id: int, *, shown: bool) -> None:
    """The follower turned the account's reposts on (they are merged in) or off (they leave at once)."""
    if shown:
        enqueue(session, "feed.merge", {"reader_id": follower_id, "author_id": target_id})
    else:
        session.flush()
        feeds_of(session).remove_author(session, follower_id, target_id, reposts_only=True)


def unfollow(session: Session, *, follower_id: int, target_id: int) -> Relationship:
    """Stop following (or withdraw a request); the account's posts leave the home feed at once."""
    get_account(session, target_id)
    gone = session.execute(
        delete(Follow).where(Follow.account_id == follower_id, Follow.target_account_id == target_id)
    )
    if gone.rowcount:  # type: ignore[attr-defined]
        bump(session, Account, follower_id, following_count=-1)
        bump(session, Account, target_id, followers_count=-1)
        store = feeds_of(session)
        store.remove_author(session, follower_id, target_id)
        followers = session.scalar(select(Account.followers_count).where(Account.id == target_id))
        if followers == store.policy.threshold - 1:
            # Just fell below the fan-out threshold: its posts made above it were never fanned out.
            enqueue(session, "feed.backfill", {"author_id": target_id})
    session.execute(
        delete(FollowRequest).where(
            FollowRequest.account_id == follower_id, FollowRequest.target_account_id == target_id
        )
    )
    # As on Mastodon, an account one stops following leaves one's lists.
    remove_from_lists(session, follower_id, target_id)
    notifications.unfollowed(session, follower_id=follower_id, target_id=target_id)
    session.flush()
    return relationships(session, viewer_id=follower_id, ids=[target_id])[0]


def authorize_request(session: Session, *, target_id: int, requester_id: int) -> Relationship:
    """The locked account accepts a pending request: it becomes a follow."""
    _accept(session, _request(session, target_id, requester_id))
    session.flush()
    return relationships(session, viewer_id=target_id, ids=[requester_id])[0]


def _accept(session: Session, request: FollowRequest) -> None:
    session.delete(request)
    notifications.request_answered(
        session, target_id=request.target_account_id, requester_id=request.account_id
    )
    _create_follow(
        session,
        request.account_id,
        request.target_account_id,
        reblogs=request.show_reblogs,
        notify=request.notify,
    )


def update_profile(session: Session, account: Account, changes: profiles.ProfileChanges) -> Account:
    """Edit a profile (API and settings pages alike); unlocking it accepts every pending follow request,
    as on Mastodon: nobody is left waiting for an approval that is no longer asked for."""
    was_locked = account.locked
    profiles.update_profile(session, account, changes)
    if was_locked and not account.locked:
        pending = session.scalars(select(FollowRequest).where(FollowRequest.target_account_id == account.id))
        for request in pending.all():
            _accept(session, request)
        session.flush()
    return account


def reject_request(session: Session, *, target_id: int, requester_id: int) -> Relationship:
    session.delete(_request(session, target_id, requester_id))
    notifications.request_answered(session, target_id=target_id, requester_id=requester_id)
    session.flush()
    return relationships(session, viewer_id=target_id, ids=[requester_id])[0]


def _request(session: Session, target_id: int, requester_id: int) -> FollowRequest:
    request = session.scalar(
        select(FollowRequest).where(
            FollowRequest.account_id == requester_id, FollowRequest.target_account_id == target_id
        )
    )
    if request is None:
        raise NotFound()
    return request


def relationships(session: Session, *, viewer_id: int, ids: list[int]) -> list[Relationship]:
    """The viewer's relationship with each of ``ids`` (unknown ids are left out), in the order asked."""
    known = set(session.scalars(select(Account.id).where(Account.id.in_(set(ids)))))
    outgoing = {
        f.target_account_id: f
        for f in session.scalars(
            select(Follow).where(Follow.account_id == viewer_id, Follow.target_account_id.in_(known))
        )
    }
    incoming = set(
        session.scalars(
            select(Follow.account_id).where(
                Follow.target_account_id == viewer_id, Follow.account_id.in_(known)
            )
        )
    )
    requested = set(
        session.scalars(
            select(FollowRequest.target_account_id).where(
                FollowRequest.account_id == viewer_id, FollowRequest.target_account_id.in_(known)
            )
        )
    )
    requested_by = set(
        session.scalars(
            select(FollowRequest.account_id).where(
                FollowRequest.target_account_id == viewer_id, FollowRequest.account_id.in_(known)
            )
        )
    )
    blocks = session.execute(
        select(Block.account_id, Block.target_account_id).where(
            ((Block.account_id == viewer_id) & Block.target_account_id.in_(known))
            | ((Block.target_account_id == viewer_id) & Block.account_id.in_(known))
        )
    ).all()
    blocking = {b.target_account_id for b in blocks if b.account_id == viewer_id}
    blocked_by = {b.account_id for b in blocks if b.target_account_id == viewer_id}
    mutes = {
        m.target_account_id: m
        for m in session.scalars(
            select(Mute).where(Mute.account_id == viewer_id, Mute.target_account_id.in_(known))
        )
        if m.expires_at is None or m.expires_at > utcnow()
    }
    result = []
    seen: set[int] = set()
    for i in ids:
        if i not in known or i in seen:
            continue
        seen.add(i)
        f = outgoing.get(i)
        result.append(
            Relationship(
                id=i,
                following=f is not None,
                showing_reblogs=f.show_reblogs if f else False,
                notifying=f.notify if f else False,
                followed_by=i in incoming,
                requested=i in requested,
                requested_by=i in requested_by,
                blocking=i in blocking,
                blocked_by=i in blocked_by,
                muting=i in mutes,
                muting_notifications=i in mutes and mutes[i].notifications,
                muting_expires_at=mutes[i].expires_at if i in mutes else None,
            )
        )
    return result


def followers(session: Session, *, account_id: int, page: Page) -> tuple[list[Account], list[int]]:
    """Accounts following ``account_id``, most recent first, with the follow ids (the cursors)."""
    query = select(Follow.id, Account).join(Account, Account.id == Follow.account_id)
    rows = newest_first(
        session.execute(apply(query.where(Follow.target_account_id == account_id), Follow.id, page)).all(),
        page,
    )
    return [r.Account for r in rows], [r.id for r in rows]


def following(session: Session, *, account_id: int, page: Page) -> tuple[list[Account], list[int]]:
    """Accounts ``account_id`` follows, most recent first, with the follow ids (the cursors)."""
    query = select(Follow.id, Account).join(Account, Account.id == Follow.target_account_id)
    rows = newest_first(
        session.execute(apply(query.where(Follow.account_id == account_id), Follow.id, page)).all(), page
    )
    return [r.Account for r in rows], [r.id for r in rows]


def follow_requests(session: Session, *, account_id: int, page: Page) -> tuple[list[Account], list[int]]:
    """Accounts waiting for ``account_id`` to accept their follow request."""
    query = select(FollowRequest.id, Account).join(Account, Account.id == FollowRequest.account_id)
    rows = newest_first(
        session.execute(
            apply(query.where(FollowRequest.target_account_id == account_id), FollowRequest.id, page)
        ).all(),
        page,
    )
    return [r.Account for r in rows], [r.id for r in rows]


def pending_request_count(session: Session, account_id: int) -> int:
    query = select(func.count()).select_from(FollowRequest)
    return session.scalar(query.where(FollowRequest.target_account_id == account_id)) or 0
