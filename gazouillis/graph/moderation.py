"""Blocks and mutes: what a member does to keep someone out of their timelines.

A block ends every follow and pending follow request between the two accounts (counters kept right,
each other's posts taken out of both home feeds at once), takes each out of the other's lists, and
from then on neither sees the other's posts (see :mod:`gazouillis.graph.hiding`); the blocked account
cannot follow, like, repost, quote or reply to the blocker. A mute only hides: the muted account's
posts (and, unless asked otherwise, its notifications) until it expires.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gazouillis.accounts.service import get_account
from gazouillis.accounts.tables import Account
from gazouillis.errors import Forbidden, Invalid
from gazouillis.graph import service as graph
from gazouillis.graph.tables import Block, Mute
from gazouillis.ids import new_id
from gazouillis.lists.service import remove_from_lists
from gazouillis.pagination import Page, apply, newest_first
from gazouillis.storage import utcnow
from gazouillis.timelines.feeds import feeds_of

# Mastodon accepts any duration; ours stops at ten years so the expiry stays a sane date.
MAX_MUTE_SECONDS = 10 * 365 * 24 * 3600


def _other(session: Session, account_id: int, target_id: int) -> None:
    if account_id == target_id:
        raise Forbidden("This action is not allowed")
    get_account(session, target_id)


def block(session: Session, *, account_id: int, target_id: int) -> graph.Relationship:
    """``account_id`` blocks ``target_id`` (repeating it changes nothing)."""
    _other(session, account_id, target_id)
    exists = session.scalar(
        select(Block.id).where(Block.account_id == account_id, Block.target_account_id == target_id)
    )
    if exists is None:
        session.add(Block(id=new_id(), account_id=account_id, target_account_id=target_id))
        # Follows and requests both ways end the way an unfollow ends them (counters, feeds, backfill).
        graph.unfollow(session, follower_id=account_id, target_id=target_id)
        graph.unfollow(session, follower_id=target_id, target_id=account_id)
        remove_from_lists(session, account_id, target_id)
        remove_from_lists(session, target_id, account_id)
        # Entries a follow never explained (reposts merged earlier…) leave both feeds too.
        store = feeds_of(session)
        store.remove_author(session, account_id, target_id)
        store.remove_author(session, target_id, account_id)
    session.flush()
    return graph.relationships(session, viewer_id=account_id, ids=[target_id])[0]


def unblock(session: Session, *, account_id: int, target_id: int) -> graph.Relationship:
    """Lift a block; follows it ended are not restored (as on Mastodon)."""
    get_account(session, target_id)
    session.execute(delete(Block).where(Block.account_id == account_id, Block.target_account_id == target_id))
    session.flush()
    return graph.relationships(session, viewer_id=account_id, ids=[target_id])[0]


def mute_expiry(duration: int | None) -> datetime | None:
    """When a mute of ``duration`` seconds started now ends (None or 0: never)."""
    if duration is None or duration == 0:
        return None
    if duration < 0 or duration > MAX_MUTE_SECONDS:
        raise Invalid(
            "Validation failed: Duration must be a number of seconds between 0 (forever) "
            f"and {MAX_MUTE_SECONDS}",
            details={"duration": [{"error": "ERR_INVALID", "description": "is not a valid duration"}]},
        )
    return utcnow() + timedelta(seconds=duration)


def mute(
    session: Session,
    *,
    account_id: int,
    target_id: int,
    notifications: bool = True,
    duration: int | None = None,
) -> graph.Relationship:
    """Mute ``target_id`` for ``duration`` seconds (forever when 0 or None), its notifications too unless
    ``notifications`` is False. Muting again replaces the options and the expiry."""
    _other(session, account_id, target_id)
    expires_at = mute_expiry(duration)
    row = session.scalar(
        select(Mute).where(Mute.account_id == account_id, Mute.target_account_id == target_id)
    )
    if row is None:
        session.add(
            Mute(
                id=new_id(),
                account_id=account_id,
                target_account_id=target_id,
                notifications=notifications,
                expires_at=expires_at,
            )
        )
    else:
        row.notifications = notifications
        row.expires_at = expires_at
    session.flush()
    return graph.relationships(session, viewer_id=account_id, ids=[target_id])[0]


def unmute(session: Session, *, account_id: int, target_id: int) -> graph.Relationship:
    get_account(session, target_id)
    session.execute(delete(Mute).where(Mute.account_id == account_id, Mute.target_account_id == target_id))
    session.flush()
    return graph.relationships(session, viewer_id=account_id, ids=[target_id])[0]


def blocked_accounts(session: Session, *, account_id: int, page: Page) -> tuple[list[Account], list[int]]:
    """Accounts ``account_id`` blocks, most recent first, with the block ids (the cursors)."""
    query = select(Block.id, Account).join(Account, Account.id == Block.target_account_id)
    rows = newest_first(
        session.execute(apply(query.where(Block.account_id == account_id), Block.id, page)).all(), page
    )
    return [r.Account for r in rows], [r.id for r in rows]


def muted_accounts(
    session: Session, *, account_id: int, page: Page
) -> tuple[list[tuple[Account, Mute]], list[int]]:
    """Accounts ``account_id`` mutes (expired mutes left out), with their mutes, and the mute ids."""
    now = utcnow()
    query = (
        select(Mute.id, Account, Mute)
        .join(Account, Account.id == Mute.target_account_id)
        .where(Mute.account_id == account_id, (Mute.expires_at.is_(None)) | (Mute.expires_at > now))
    )
    rows = newest_first(session.execute(apply(query, Mute.id, page)).all(), page)
    return [(r.Account, r.Mute) for r in rows], [r.id for r in rows]
