"""Hydration: turn post ids into everything needed to show them, in a fixed, small number of queries.

A page of any size costs: the posts (plus the originals of reposts and quoted posts when there are
some), their authors, and the viewer's own state — likes, reposts, bookmarks and follows — in one
query. Rows are read as plain tuples (no ORM objects to build). What never changes once a post is
written (mentions, hashtags, application) comes from the post cache (:mod:`gazouillis.posts.cache`) and
is queried only for the posts it has not seen yet; counters and profiles are always read fresh.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import CompoundSelect, Row, Select, bindparam, literal, select, union_all
from sqlalchemy.orm import Session

from gazouillis.accounts.tables import Account
from gazouillis.graph.tables import Follow
from gazouillis.hot import HotStatement
from gazouillis.oauth.tables import Application
from gazouillis.posts.cache import (
    NO_EXTRAS,
    AppRef,
    Extras,
    Key,
    MentionRef,
    TagRef,
    make_extras,
    post_cache_of,
)
from gazouillis.posts.tables import Bookmark, Favourite, Mention, Pin, Post, PostTag, Tag
from gazouillis.posts.visibility import can_see_loaded

POSTS = Post.__table__
ACCOUNTS = Account.__table__


@dataclass(slots=True)
class PostView:
    """One post as shown: its row, its author's row, what it embeds, and the viewer's own state."""

    post: Any  # a row of the posts table (attributes named as Post's), or a Post
    account: Any  # a row of the accounts table, or an Account
    reblog: PostView | None = None
    quote: PostView | None = None
    extras: Extras = NO_EXTRAS
    # The viewer's own state; None for a visitor.
    favourited: bool | None = None
    reblogged: bool | None = None
    bookmarked: bool | None = None
    pinned: bool | None = None
    # The viewer's "warn" filters this post matches (gazouillis.filters); "hide" ones remove the post.
    filtered: tuple[Any, ...] = ()

    @property
    def mentions(self) -> tuple[MentionRef, ...]:
        return tuple(map(MentionRef._make, self.extras[0]))

    @property
    def tags(self) -> tuple[TagRef, ...]:
        return tuple(map(TagRef._make, self.extras[1]))

    @property
    def application(self) -> AppRef | None:
        app = self.extras[2]
        return AppRef._make(app) if app else None


@dataclass(slots=True)
class ViewerState:
    favourited: set[int]
    reblogged: set[int]
    bookmarked: set[int]
    followed: set[int]
    pinned: set[int]


def load_views(
    session: Session, ids: list[int], viewer_id: int | None, *, known: dict[int, Row[Any]] | None = None
) -> list[PostView]:
    """Views of ``ids`` in the given order, leaving out posts that are gone or that the viewer may not see.

    ``known``: rows of the posts table already read in this transaction (not read again).
    """
    if not ids:
        return []
    known = known or {}
    posts = {i: known[i] for i in ids if i in known}
    missing = set(ids) - posts.keys()
    if missing:
        posts.update(_post_rows(session, missing))
    # The originals of reposts and the quoted posts, then the posts those quote (shown one level down).
    for _ in range(2):
        inner = {p.reblog_of_id for p in posts.values() if p.reblog_of_id} | {
            p.quote_of_id for p in posts.values() if p.quote_of_id
        }
        inner -= posts.keys()
        if not inner:
            break
        posts.update(_post_rows(session, inner))

    author_ids = list({p.account_id for p in posts.values()})
    authors = {a.id: a for a in _statement("accounts").all(session, {"ids": author_ids})}
    extras = _extras(session, posts.values())
    state = _viewer_state(session, viewer_id, posts.keys(), authors.keys()) if viewer_id is not None else None
    followed = state.followed if state else set()

    def view(post_id: int, depth: int = 0) -> PostView | None:
        post = posts.get(post_id)
        if post is None or post.account_id not in authors:
            return None
        fixed = extras.get((post.id, post.edited_at), NO_EXTRAS)
        mentioned = {m[0] for m in fixed[0]}  # (id, username) pairs
        if not can_see_loaded(post, viewer_id, followed_ids=followed, mentioned_ids=mentioned):
            return None
        v = PostView(post=post, account=authors[post.account_id], extras=fixed)
        if state is not None:
            v.favourited = post.id in state.favourited
            v.reblogged = post.id in state.reblogged
            v.bookmarked = post.id in state.bookmarked
            # Only on the viewer's own posts that could be pinned (Mastodon leaves the key out elsewhere).
            if post.account_id == viewer_id and post.reblog_of_id is None and post.visibility != "direct":
                v.pinned = post.id in state.pinned
        if post.reblog_of_id is not None:
            v.reblog = view(post.reblog_of_id, depth + 1)
            if v.reblog is None:
                return None
        if post.quote_of_id is not None and depth < 2:
            v.quote = view(post.quote_of_id, depth + 1)
        return v

    return [v for v in (view(i) for i in ids) if v is not None]


def load_view(session: Session, post_id: int, viewer_id: int | None) -> PostView | None:
    views = load_views(session, [post_id], viewer_id)
    return views[0] if views else None


def _post_rows(session: Session, ids: set[int]) -> dict[int, Row[Any]]:
    return {p.id: p for p in _statement("posts").all(session, {"ids": list(ids)})}


@cache
def _statement(name: str) -> HotStatement:
    """The hydration queries, built once (building a statement costs more than running it here)."""
    return HotStatement(_select(name), lists=("ids", "authors") if name == "viewer" else ("ids",))


def _select(name: str) -> Select[Any] | CompoundSelect[Any]:
    ids = bindparam("ids", expanding=True)
    viewer = bindparam("viewer")
    if name == "posts":
        return select(POSTS).where(POSTS.c.id.in_(ids))
    if name == "accounts":
        return select(ACCOUNTS).where(ACCOUNTS.c.id.in_(ids))
    if name == "mentions":
        mentions = Mention.__table__
        return (
            select(mentions.c.post_id, ACCOUNTS.c.id, ACCOUNTS.c.username)
            .join(ACCOUNTS, ACCOUNTS.c.id == mentions.c.account_id)
            .where(mentions.c.post_id.in_(ids))
            .order_by(mentions.c.post_id, ACCOUNTS.c.id)
        )
    if name == "tags":
        post_tags, tags = PostTag.__table__, Tag.__table__
        return (
            select(post_tags.c.post_id, tags.c.id, tags.c.name, tags.c.display_name)
            .join(tags, tags.c.id == post_tags.c.tag_id)
            .where(post_tags.c.post_id.in_(ids))
            .order_by(post_tags.c.post_id, tags.c.id)
        )
    if name == "applications":
        apps = Application.__table__
        return select(apps.c.id, apps.c.name, apps.c.website).where(apps.c.id.in_(ids))
    # The viewer's likes, reposts, bookmarks and pins of the posts, and follows of the authors ("authors").
    favourites, bookmarks, follows = Favourite.__table__, Bookmark.__table__, Follow.__table__
    pins = Pin.__table__
    return union_all(
        select(literal("f"), favourites.c.post_id).where(
            favourites.c.account_id == viewer, favourites.c.post_id.in_(ids)
        ),
        select(literal("r"), POSTS.c.reblog_of_id).where(
            POSTS.c.account_id == viewer, POSTS.c.reblog_of_id.in_(ids)
        ),
        select(literal("b"), bookmarks.c.post_id).where(
            bookmarks.c.account_id == viewer, bookmarks.c.post_id.in_(ids)
        ),
        select(literal("p"), pins.c.post_id).where(pins.c.account_id == viewer, pins.c.post_id.in_(ids)),
        select(literal("a"), follows.c.target_account_id).where(
            follows.c.account_id == viewer,
            follows.c.target_account_id.in_(bindparam("authors", expanding=True)),
        ),
    )


def _extras(session: Session, posts: Iterable[Row[Any]]) -> dict[Key, Extras]:
    """The fixed parts of ``posts``: from the cache, and from three queries for those it lacks."""
    keys = {p.id: (p.id, p.edited_at) for p in posts}
    cache = post_cache_of(session.info)
    found = cache.get_many(keys.values()) if cache is not None else {}
    missing = [post_id for post_id, key in keys.items() if key not in found]
    if not missing:
        return found
    mentions: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for post_id, account_id, username in _statement("mentions").all(session, {"ids": missing}):
        mentions[post_id].append((account_id, username))
    tags: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for post_id, tag_id, name, display_name in _statement("tags").all(session, {"ids": missing}):
        tags[post_id].append((tag_id, name, display_name))
    wanted = set(missing)
    app_of = {p.id: p.application_id for p in posts if p.id in wanted and p.application_id}
    rows = _statement("applications").all(session, {"ids": list(set(app_of.values()))}) if app_of else ()
    apps = {row.id: (row.name, row.website) for row in rows}
    fresh = {
        keys[post_id]: make_extras(
            mentions.get(post_id, ()),
            tags.get(post_id, ()),
            apps.get(app_of[post_id]) if post_id in app_of else None,
        )
        for post_id in missing
    }
    if cache is not None:
        cache.put_many(fresh)
    return found | fresh


def _viewer_state(
    session: Session, viewer_id: int, post_ids: Iterable[int], author_ids: Iterable[int]
) -> ViewerState:
    """What the viewer did to these posts and whom among the authors they follow: one query."""
    params = {"viewer": viewer_id, "ids": list(post_ids), "authors": list(author_ids)}
    state = ViewerState(set(), set(), set(), set(), set())
    sets = {
        "f": state.favourited,
        "r": state.reblogged,
        "b": state.bookmarked,
        "a": state.followed,
        "p": state.pinned,
    }
    for kind, value in _statement("viewer").all(session, params):
        sets[kind].add(value)
    return state
