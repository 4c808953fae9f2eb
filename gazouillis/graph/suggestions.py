"""Who to follow: accounts suggested to a member, and the suggestions they dismiss.

Three sources, in this order of trust:

1. ``friends_of_friends``: accounts followed by the people the member follows, ranked by how many of
   them follow it;
2. ``most_interactions`` (Mastodon's nearest name): accounts active in the last 30 days with public posts
   on the hashtags the member used lately, ranked by how many such posts;
3. ``most_followed``: the most followed accounts, so a newcomer who follows nobody still gets some.

Never suggested: the member, accounts they follow or asked to follow, accounts hidden from them (blocks
either way, mutes), accounts they dismissed, accounts that are not discoverable or not (yet) allowed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from gazouillis.accounts.tables import Account, User
from gazouillis.errors import NotFound
from gazouillis.graph.hiding import hidden_accounts
from gazouillis.graph.tables import Follow, FollowRequest, SuggestionDismissal
from gazouillis.ids import id_at
from gazouillis.posts.tables import Post, PostTag
from gazouillis.storage import insert_ignore, utcnow

ACTIVE_DAYS = 30
OWN_RECENT_POSTS = 200  # the member's "hashtags used lately" come from this many of their last posts


@dataclass(frozen=True)
class Suggestion:
    account: Account
    sources: tuple[str, ...]


def _excluded(session: Session, viewer_id: int) -> set[int]:
    following = select(Follow.target_account_id).where(Follow.account_id == viewer_id)
    requested = select(FollowRequest.target_account_id).where(FollowRequest.account_id == viewer_id)
    dismissed = select(SuggestionDismissal.target_account_id).where(
        SuggestionDismissal.account_id == viewer_id
    )
    found = {viewer_id, *hidden_accounts(session, viewer_id)}
    for query in (following, requested, dismissed):
        found.update(session.scalars(query))
    return found


def _friends_of_friends(session: Session, viewer_id: int, limit: int) -> list[int]:
    mine, theirs = aliased(Follow), aliased(Follow)
    followers = func.count(theirs.account_id.distinct()).label("followers")
    query = (
        select(theirs.target_account_id)
        .select_from(mine)
        .join(theirs, theirs.account_id == mine.target_account_id)
        .where(mine.account_id == viewer_id)
        .group_by(theirs.target_account_id)
        .order_by(followers.desc(), theirs.target_account_id)
        .limit(limit)
    )
    return list(session.scalars(query))


def _same_hashtags(session: Session, viewer_id: int, limit: int) -> list[int]:
    own = (
        select(Post.id)
        .where(Post.account_id == viewer_id)
        .order_by(Post.id.desc())
        .limit(OWN_RECENT_POSTS)
        .subquery()
    )
    tags = select(PostTag.tag_id).where(PostTag.post_id.in_(select(own.c.id))).distinct()
    since = id_at(int((utcnow() - timedelta(days=ACTIVE_DAYS)).timestamp() * 1000))
    posts = func.count().label("posts")
    query = (
        select(Post.account_id)
        .join(PostTag, PostTag.post_id == Post.id)
        .where(
            PostTag.tag_id.in_(tags),
            PostTag.post_id >= since,
            Post.visibility == "public",
            Post.reblog_of_id.is_(None),
        )
        .group_by(Post.account_id)
        .order_by(posts.desc(), Post.account_id)
        .limit(limit)
    )
    return list(session.scalars(query))


def _most_followed(session: Session, limit: int) -> list[int]:
    query = (
        select(Account.id)
        .where(Account.followers_count > 0)
        .order_by(Account.followers_count.desc(), Account.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def _allowed(query: Select[tuple[Account]]) -> Select[tuple[Account]]:
    """Discoverable accounts whose login (if any) is approved and enabled."""
    return (
        query.outerjoin(User, User.account_id == Account.id)
        .where(Account.discoverable.is_(True))
        .where(or_(User.account_id.is_(None), (User.approved.is_(True)) & (User.disabled.is_(False))))
    )


def suggestions(session: Session, *, viewer_id: int, limit: int = 40) -> list[Suggestion]:
    """Up to ``limit`` accounts to suggest to ``viewer_id``, best first, each with the sources naming it."""
    excluded = _excluded(session, viewer_id)
    # Ask each source for enough that the exclusions (applied after) still leave ``limit``.
    wanted = limit + len(excluded)
    sources: dict[int, list[str]] = {}
    for name, ids in (
        ("friends_of_friends", _friends_of_friends(session, viewer_id, wanted)),
        ("most_interactions", _same_hashtags(session, viewer_id, wanted)),
        ("most_followed", _most_followed(session, wanted)),
    ):
        for account_id in ids:
            if account_id not in excluded:
                sources.setdefault(account_id, []).append(name)
    if not sources:
        return []
    found = {a.id: a for a in session.scalars(_allowed(select(Account).where(Account.id.in_(sources))))}
    ordered = [i for i in sources if i in found][:limit]
    return [Suggestion(found[i], tuple(sources[i])) for i in ordered]


def dismiss(session: Session, *, viewer_id: int, account_id: int) -> None:
    """Never suggest ``account_id`` to ``viewer_id`` again (:class:`NotFound` for an unknown account)."""
    if session.get(Account, account_id) is None:
        raise NotFound()
    row = {"account_id": viewer_id, "target_account_id": account_id}
    insert_ignore(session, SuggestionDismissal, [row], keys=["account_id", "target_account_id"])
