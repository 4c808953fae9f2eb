"""Timelines: home (from the feed store), public, a hashtag, an account's posts, likes and bookmarks."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from functools import cache
from typing import TypeVar

from sqlalchemy import bindparam, exists, or_, select
from sqlalchemy.orm import Session, aliased

from gazouillis.accounts.service import known_account_id
from gazouillis.changes.pages import Depends, pages_of
from gazouillis.graph.hiding import Screen, screen_changes_at
from gazouillis.hot import HotStatement
from gazouillis.pagination import Page, Shape, apply, apply_bound, bound, newest_first, shape
from gazouillis.posts.tables import Bookmark, Favourite, Post, PostTag, Tag
from gazouillis.posts.views import PostView, load_views
from gazouillis.posts.visibility import visible_clause
from gazouillis.text import normalize_hashtag
from gazouillis.timelines.home import home_timeline, home_timeline_merging

T = TypeVar("T")


def home(session: Session, *, viewer_id: int, page: Page) -> list[PostView]:
    """The viewer's home timeline: their own posts and those of the accounts they follow, newest first.

    Their feed (fan-out on write) merged with the big accounts they follow (read time): see timelines.home.
    """
    return home_timeline(session, viewer_id=viewer_id, page=page)


def home_page(
    session: Session,
    *,
    viewer_id: int,
    page: Page,
    variant: Hashable,
    render: Callable[[list[PostView]], tuple[T, Sequence[bytes]]],
) -> T:
    """:func:`home` as ``render`` makes it (a reply, and the encoded parts it holds), from the process's
    page cache when nothing the page shows has changed since it was rendered (gazouillis.changes.pages).

    ``variant``: what else the rendering depends on besides the viewer and the page (the request's query
    string, which the pagination links repeat).
    """

    def compute() -> tuple[list[PostView], frozenset[int]]:
        return home_timeline_merging(session, viewer_id=viewer_id, page=page)

    return _kept(session, home_key(viewer_id, variant), viewer_id, compute, render)


def home_key(viewer_id: int, variant: Hashable) -> Hashable:
    """What :func:`home_page` keeps its page under (a request served from the cache alone asks for it)."""
    return ("home", viewer_id, variant)


def account_key(viewer_id: int | None, account_id: int, variant: Hashable) -> Hashable:
    """What :func:`account_page` keeps its page under."""
    return ("account", viewer_id, account_id, variant)


def account_page(
    session: Session,
    *,
    viewer_id: int | None,
    account_id: int,
    page: Page,
    exclude_replies: bool,
    exclude_reblogs: bool,
    variant: Hashable,
    render: Callable[[list[PostView]], tuple[T, Sequence[bytes]]],
) -> T:
    """:func:`account_posts` as ``render`` makes it, from the page cache as :func:`home_page` (the
    account's own new posts and deletions change it without reaching anyone's feed); NotFound for an
    account that does not exist (a deleted one drops its pages)."""

    def compute() -> tuple[list[PostView], frozenset[int]]:
        known_account_id(session, account_id)
        views = account_posts(
            session,
            viewer_id=viewer_id,
            account_id=account_id,
            page=page,
            exclude_replies=exclude_replies,
            exclude_reblogs=exclude_reblogs,
        )
        return views, frozenset({account_id})

    return _kept(session, account_key(viewer_id, account_id, variant), viewer_id, compute, render)


def _kept(
    session: Session,
    key: Hashable,
    viewer_id: int | None,
    compute: Callable[[], tuple[list[PostView], frozenset[int]]],
    render: Callable[[list[PostView]], tuple[T, Sequence[bytes]]],
) -> T:
    """The page ``compute`` gives (its views, and the accounts whose new posts reach it directly) as
    ``render`` makes it, kept under ``key`` while nothing it shows changes."""
    cache = pages_of(session.info)
    if cache is None:
        return render(compute()[0])[0]
    found, ticket = cache.lookup(session, key)
    if found is not None:
        return found
    views, writers = compute()
    value, parts = render(views)
    posts, accounts = shown(views)
    until = screen_changes_at(session, viewer_id) if viewer_id is not None else None
    # A visitor's page depends on no reader's state: 0 is no account's id.
    cache.keep(ticket, key, value, parts, Depends(viewer_id or 0, posts, accounts, writers, until))
    return value


def shown(views: Iterable[PostView]) -> tuple[frozenset[int], frozenset[int]]:
    """The posts ``views`` show (reposted and quoted ones too) and their authors."""
    posts: set[int] = set()
    accounts: set[int] = set()
    todo = list(views)
    while todo:
        view = todo.pop()
        posts.add(view.post.id)
        accounts.add(view.account.id)
        todo.extend(inner for inner in (view.reblog, view.quote) if inner is not None)
    return frozenset(posts), frozenset(accounts)


def public(session: Session, *, viewer_id: int | None, page: Page) -> list[PostView]:
    """Every public original post of this instance, newest first (reposts and unlisted posts stay out)."""
    query = select(Post.id).where(Post.visibility == "public", Post.reblog_of_id.is_(None))
    screen = Screen(session, viewer_id, "public")
    if screen.accounts:  # left out by the query, so that a page is not emptied by them
        query = query.where(Post.account_id.not_in(screen.accounts))
    return screen(
        load_views(session, newest_first(list(session.scalars(apply(query, Post.id, page))), page), viewer_id)
    )


def tag(
    session: Session,
    *,
    viewer_id: int | None,
    name: str,
    page: Page,
    any_: Sequence[str] = (),
    all_: Sequence[str] = (),
    none: Sequence[str] = (),
) -> list[PostView]:
    """Public original posts carrying the hashtag ``name`` (any case or width), newest first; or any of
    ``any_`` too, and only those also carrying every tag of ``all_`` and none of ``none``.

    As on Mastodon, a hashtag timeline is public posts only: unlisted posts asked not to be listed.
    """
    wanted = _tag_ids(session, [name, *any_])
    required = _tag_ids(session, all_)
    if not wanted or len(required) < len({normalize_hashtag(n) for n in all_ if n.strip()}):
        return []  # a tag nobody used: nothing carries it
    # Paginate on post_tags.post_id: the (tag_id, post_id) index serves the whole query.
    query = (
        select(PostTag.post_id)
        .join(Post, Post.id == PostTag.post_id)
        .where(PostTag.tag_id.in_(wanted), Post.visibility == "public", Post.reblog_of_id.is_(None))
    )
    if len(wanted) > 1:
        query = query.distinct()  # a post carrying two of the tags shows once
    for tag_id in required:
        other = aliased(PostTag)
        query = query.where(exists().where(other.post_id == PostTag.post_id, other.tag_id == tag_id))
    excluded = _tag_ids(session, none)
    if excluded:
        other = aliased(PostTag)
        query = query.where(~exists().where(other.post_id == PostTag.post_id, other.tag_id.in_(excluded)))
    screen = Screen(session, viewer_id, "public")
    if screen.accounts:  # left out by the query, so that a page is not emptied by them
        query = query.where(Post.account_id.not_in(screen.accounts))
    return screen(
        load_views(
            session, newest_first(list(session.scalars(apply(query, PostTag.post_id, page))), page), viewer_id
        )
    )


def _tag_ids(session: Session, names: Sequence[str]) -> list[int]:
    keys = {normalize_hashtag(n.strip()) for n in names if n.strip()}
    if not keys:
        return []
    return list(session.scalars(select(Tag.id).where(Tag.name.in_(keys))))


def account_posts(
    session: Session,
    *,
    viewer_id: int | None,
    account_id: int,
    page: Page,
    exclude_replies: bool = False,
    exclude_reblogs: bool = False,
) -> list[PostView]:
    """An account's posts that the viewer may see; without replies to others, without reposts, on demand."""
    screen = Screen(session, viewer_id, "account")
    if account_id in screen.accounts:  # a block, either way: nothing to see (Mastodon answers [] too)
        return []
    statement = _account_statement(shape(page), viewer_id is not None, exclude_replies, exclude_reblogs)
    params = {"account": account_id, "viewer": viewer_id, **bound(page)}
    return screen(load_views(session, newest_first(statement.scalars(session, params), page), viewer_id))


@cache
def _account_statement(
    page_shape: Shape, signed_in: bool, exclude_replies: bool, exclude_reblogs: bool
) -> HotStatement:
    """Built once per variant (a profile is the second most read page after home)."""
    account = bindparam("account")
    query = select(Post.id).where(
        Post.account_id == account, visible_clause(bindparam("viewer") if signed_in else None)
    )
    if exclude_replies:
        # A thread of one's own stays: only replies to other people are left out.
        query = query.where(or_(Post.in_reply_to_id.is_(None), Post.in_reply_to_account_id == account))
    if exclude_reblogs:
        query = query.where(Post.reblog_of_id.is_(None))
    return HotStatement(apply_bound(query, Post.id, page_shape))


def favourites(session: Session, *, viewer_id: int, page: Page) -> tuple[list[PostView], list[int]]:
    """Posts the viewer liked, most recent like first, with the like ids (the cursors)."""
    return _marked(session, Favourite, viewer_id, page)


def bookmarks(session: Session, *, viewer_id: int, page: Page) -> tuple[list[PostView], list[int]]:
    """Posts the viewer bookmarked, most recent first, with the bookmark ids (the cursors)."""
    return _marked(session, Bookmark, viewer_id, page)


def _marked(
    session: Session, table: type[Favourite] | type[Bookmark], viewer_id: int, page: Page
) -> tuple[list[PostView], list[int]]:
    query = select(table.id, table.post_id).where(table.account_id == viewer_id)
    rows = newest_first(session.execute(apply(query, table.id, page)).all(), page)
    views = {v.post.id: v for v in load_views(session, [r.post_id for r in rows], viewer_id)}
    kept = [r for r in rows if r.post_id in views]
    return [views[r.post_id] for r in kept], [r.id for r in rows]
