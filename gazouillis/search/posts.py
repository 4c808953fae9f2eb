"""Searching posts: the parsed query as SQL, limited to what the viewer may see, newest first."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from gazouillis.accounts.tables import Account
from gazouillis.graph.hiding import hidden_accounts, screen
from gazouillis.pagination import Page, apply, newest_first
from gazouillis.posts.tables import Post, PostTag, Tag
from gazouillis.posts.views import PostView, load_views
from gazouillis.posts.visibility import visible_clause
from gazouillis.search.matching import Term, matches
from gazouillis.search.query import Query

MAX_OFFSET = 10_000


def search_posts(
    session: Session,
    *,
    viewer_id: int | None,
    query: Query,
    page: Page,
    offset: int = 0,
    account_id: int | None = None,
) -> list[PostView]:
    """Original posts (reposts are not indexed: their original is) matching ``query`` that ``viewer_id``
    may see, hidden accounts left out, newest first; ``account_id``: only that author's.

    A visitor (``viewer_id`` None) finds public posts only. An unknown ``from:`` user or ``#tag`` finds
    nothing (it is not an error).
    """
    if query.is_empty:
        return []
    conditions = _conditions(session, query)
    if conditions is None:
        return []
    visible = Post.visibility == "public" if viewer_id is None else visible_clause(viewer_id)
    statement = select(Post.id).where(Post.reblog_of_id.is_(None), visible, *conditions)
    if account_id is not None:
        statement = statement.where(Post.account_id == account_id)
    # Left out in SQL, so a page is full whenever there is enough to fill it; screen() still runs for
    # the keyword filters and a repost's or quote's author.
    hidden = hidden_accounts(session, viewer_id)
    if hidden:
        statement = statement.where(Post.account_id.not_in(hidden))
    statement = apply(statement, Post.id, page)
    if offset:
        statement = statement.offset(offset)
    ids = newest_first(list(session.scalars(statement)), page)
    return screen(session, viewer_id, load_views(session, ids, viewer_id), "public")


def _conditions(session: Session, query: Query) -> list[Any] | None:
    """The query's conditions on ``Post``; None when one of them can match nothing at all."""
    conditions: list[Any] = []
    terms: list[Term] = [([w], False) for w in query.words]
    if terms and query.prefix:
        terms[-1] = (terms[-1][0], True)
    terms += [(phrase, False) for phrase in query.phrases]
    if terms:
        conditions.append(matches(session, "posts", terms, name="all"))
    if query.excluded:
        excluded = [(phrase, False) for phrase in query.excluded]
        conditions.append(matches(session, "posts", excluded, any_=True, negate=True, name="none"))
    if query.authors:
        ids = _account_ids(session, query.authors)
        if len(ids) != len(set(query.authors)) or len(ids) > 1:
            return None  # an unknown user, or two authors at once
        conditions.append(Post.account_id == ids[0])
    if query.excluded_authors:
        ids = _account_ids(session, query.excluded_authors)
        if ids:
            conditions.append(Post.account_id.not_in(ids))
    for name in query.tags:
        tag_id = session.scalar(select(Tag.id).where(Tag.name == name))
        if tag_id is None:
            return None
        conditions.append(exists().where(PostTag.post_id == Post.id, PostTag.tag_id == tag_id))
    if query.excluded_tags:
        tag_ids = list(session.scalars(select(Tag.id).where(Tag.name.in_(query.excluded_tags))))
        if tag_ids:
            conditions.append(~exists().where(PostTag.post_id == Post.id, PostTag.tag_id.in_(tag_ids)))
    if query.since is not None:
        conditions.append(Post.created_at >= query.since)
    if query.until is not None:
        conditions.append(Post.created_at < query.until)
    return conditions


def _account_ids(session: Session, usernames: list[str]) -> list[int]:
    return list(session.scalars(select(Account.id).where(Account.username_key.in_(set(usernames)))))
