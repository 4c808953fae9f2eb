"""What members do to posts: like, repost, bookmark, and undo each. All are safe to repeat."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gazouillis.accounts.tables import Account
from gazouillis.counters import bump
from gazouillis.errors import Forbidden, Invalid
from gazouillis.ids import new_id
from gazouillis.notifications import service as notifications
from gazouillis.pagination import Page, apply, newest_first
from gazouillis.posts.service import deliver, get_visible, remove_post
from gazouillis.posts.tables import Bookmark, Favourite, Post
from gazouillis.posts.visibility import PUBLIC_LIKE


def original(session: Session, viewer_id: int, post_id: int) -> Post:
    """The post acted upon: likes, reposts and bookmarks of a repost go to the original."""
    post = get_visible(session, viewer_id, post_id)
    return get_visible(session, viewer_id, post.reblog_of_id) if post.reblog_of_id is not None else post


def favourite(session: Session, *, viewer_id: int, post_id: int) -> Post:
    post = original(session, viewer_id, post_id)
    exists = session.scalar(
        select(Favourite.id).where(Favourite.account_id == viewer_id, Favourite.post_id == post.id)
    )
    if exists is None:
        session.add(Favourite(id=new_id(), account_id=viewer_id, post_id=post.id))
        bump(session, Post, post.id, favourites_count=1)
        notifications.favourited(session, post, viewer_id)
    return post


def unfavourite(session: Session, *, viewer_id: int, post_id: int) -> Post:
    post = original(session, viewer_id, post_id)
    gone = session.execute(
        delete(Favourite).where(Favourite.account_id == viewer_id, Favourite.post_id == post.id)
    )
    if gone.rowcount:  # type: ignore[attr-defined]
        bump(session, Post, post.id, favourites_count=-1)
        notifications.unfavourited(session, post, viewer_id)
    return post


def bookmark(session: Session, *, viewer_id: int, post_id: int) -> Post:
    post = original(session, viewer_id, post_id)
    exists = session.scalar(
        select(Bookmark.id).where(Bookmark.account_id == viewer_id, Bookmark.post_id == post.id)
    )
    if exists is None:
        session.add(Bookmark(id=new_id(), account_id=viewer_id, post_id=post.id))
    return post


def unbookmark(session: Session, *, viewer_id: int, post_id: int) -> Post:
    post = original(session, viewer_id, post_id)
    session.execute(delete(Bookmark).where(Bookmark.account_id == viewer_id, Bookmark.post_id == post.id))
    return post


def reblog(session: Session, *, viewer_id: int, post_id: int, visibility: str | None = None) -> Post:
    """Repost a post; returns the repost (an existing one when the viewer already reposted it)."""
    post = original(session, viewer_id, post_id)
    if post.visibility not in PUBLIC_LIKE and not (
        post.visibility == "private" and post.account_id == viewer_id
    ):
        raise Forbidden("This action is not allowed")
    visibility = visibility or "public"
    if visibility not in ("public", "unlisted", "private"):
        raise Invalid("Validation failed: Visibility must be public, unlisted or private")
    existing = session.scalar(select(Post).where(Post.account_id == viewer_id, Post.reblog_of_id == post.id))
    if existing is not None:
        return existing
    wrapper = Post(
        id=new_id(),
        account_id=viewer_id,
        text="",
        html="",
        visibility=visibility if post.visibility != "private" else "private",
        reblog_of_id=post.id,
    )
    session.add(wrapper)
    session.flush()
    bump(session, Post, post.id, reblogs_count=1)
    bump(session, Account, viewer_id, statuses_count=1)
    notifications.reblogged(session, post, viewer_id)
    deliver(session, wrapper)
    return wrapper


def unreblog(session: Session, *, viewer_id: int, post_id: int) -> Post:
    """Undo the viewer's repost; returns the original."""
    post = original(session, viewer_id, post_id)
    for wrapper in session.scalars(
        select(Post).where(Post.account_id == viewer_id, Post.reblog_of_id == post.id)
    ):
        remove_post(session, wrapper)
    notifications.unreblogged(session, post, viewer_id)
    return post


def who_favourited(
    session: Session, *, viewer_id: int | None, post_id: int, page: Page
) -> tuple[list[Account], list[int]]:
    """Accounts that liked a post the viewer may see, most recent first, with the like ids (cursors)."""
    post = get_visible(session, viewer_id, post_id)
    query = select(Favourite.id, Account).join(Account, Account.id == Favourite.account_id)
    rows = newest_first(
        session.execute(apply(query.where(Favourite.post_id == post.id), Favourite.id, page)).all(), page
    )
    return [r.Account for r in rows], [r.id for r in rows]


def who_reblogged(
    session: Session, *, viewer_id: int | None, post_id: int, page: Page
) -> tuple[list[Account], list[int]]:
    """Accounts that reposted a post (publicly or unlisted), with the repost ids (cursors)."""
    post = get_visible(session, viewer_id, post_id)
    query = select(Post.id, Account).join(Account, Account.id == Post.account_id)
    query = query.where(Post.reblog_of_id == post.id, Post.visibility.in_(PUBLIC_LIKE))
    rows = newest_first(session.execute(apply(query, Post.id, page)).all(), page)
    return [r.Account for r in rows], [r.id for r in rows]
