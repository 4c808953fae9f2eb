"""Hydration: turn post ids into everything needed to show them, in a fixed number of queries.

A page of any size costs the same handful of batched queries: posts, the originals of reposts and
quoted posts, authors, mentions, tags, applications, and the viewer's own likes, reposts and bookmarks.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from gazouillis.accounts.tables import Account
from gazouillis.graph.tables import Follow
from gazouillis.oauth.tables import Application
from gazouillis.posts.tables import Bookmark, Favourite, Mention, Post, PostTag, Tag
from gazouillis.posts.visibility import can_see_loaded


@dataclass
class PostView:
    post: Post
    account: Account
    reblog: PostView | None = None
    quote: PostView | None = None
    mentions: list[Account] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    application: Application | None = None
    # The viewer's own state; None for a visitor.
    favourited: bool | None = None
    reblogged: bool | None = None
    bookmarked: bool | None = None


def load_views(session: Session, ids: list[int], viewer_id: int | None) -> list[PostView]:
    """Views of ``ids`` in the given order, leaving out posts that are gone or that the viewer may not see."""
    if not ids:
        return []
    posts = {p.id: p for p in session.scalars(select(Post).where(Post.id.in_(set(ids))))}
    inner_ids = {p.reblog_of_id for p in posts.values() if p.reblog_of_id} | {
        p.quote_of_id for p in posts.values() if p.quote_of_id
    }
    inner_ids -= posts.keys()
    if inner_ids:
        posts.update({p.id: p for p in session.scalars(select(Post).where(Post.id.in_(inner_ids)))})
    # Quotes of the originals of reposts are shown too.
    more = {p.quote_of_id for p in posts.values() if p.quote_of_id and p.quote_of_id not in posts}
    if more:
        posts.update({p.id: p for p in session.scalars(select(Post).where(Post.id.in_(more)))})

    all_ids = list(posts)
    mention_rows = session.execute(
        select(Mention.post_id, Account)
        .join(Account, Account.id == Mention.account_id)
        .where(Mention.post_id.in_(all_ids))
    ).all()
    mentions: dict[int, list[Account]] = defaultdict(list)
    for post_id, account in mention_rows:
        mentions[post_id].append(account)
    tags: dict[int, list[Tag]] = defaultdict(list)
    for post_id, tag in session.execute(
        select(PostTag.post_id, Tag).join(Tag, Tag.id == PostTag.tag_id).where(PostTag.post_id.in_(all_ids))
    ).all():
        tags[post_id].append(tag)
    authors = {
        a.id: a
        for a in session.scalars(
            select(Account).where(Account.id.in_({p.account_id for p in posts.values()}))
        )
    }
    app_ids = {p.application_id for p in posts.values() if p.application_id}
    apps = (
        {a.id: a for a in session.scalars(select(Application).where(Application.id.in_(app_ids)))}
        if app_ids
        else {}
    )

    followed: set[int] = set()
    favourited: set[int] = set()
    reblogged: set[int] = set()
    bookmarked: set[int] = set()
    if viewer_id is not None:
        followed = set(
            session.scalars(
                select(Follow.target_account_id).where(
                    Follow.account_id == viewer_id, Follow.target_account_id.in_(authors.keys())
                )
            )
        )
        favourited = set(
            session.scalars(
                select(Favourite.post_id).where(
                    Favourite.account_id == viewer_id, Favourite.post_id.in_(all_ids)
                )
            )
        )
        reblogged = set(
            session.scalars(
                select(Post.reblog_of_id).where(Post.account_id == viewer_id, Post.reblog_of_id.in_(all_ids))
            )
        )
        bookmarked = set(
            session.scalars(
                select(Bookmark.post_id).where(
                    Bookmark.account_id == viewer_id, Bookmark.post_id.in_(all_ids)
                )
            )
        )

    def visible(post: Post) -> bool:
        return can_see_loaded(
            post, viewer_id, followed_ids=followed, mentioned_ids={a.id for a in mentions.get(post.id, [])}
        )

    def view(post_id: int, depth: int = 0) -> PostView | None:
        post = posts.get(post_id)
        if post is None or post.account_id not in authors or not visible(post):
            return None
        v = PostView(
            post=post,
            account=authors[post.account_id],
            mentions=mentions.get(post.id, []),
            tags=tags.get(post.id, []),
            application=apps.get(post.application_id) if post.application_id else None,
        )
        if viewer_id is not None:
            v.favourited = post.id in favourited
            v.reblogged = post.id in reblogged
            v.bookmarked = post.id in bookmarked
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
