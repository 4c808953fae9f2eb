"""Searching hashtags: by prefix of the normalised name, most used first."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gazouillis.posts.tables import Post, PostTag, Tag
from gazouillis.text import normalize_hashtag


@dataclass(frozen=True)
class TagHit:
    tag: Tag
    uses: int  # public original posts carrying it


def escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_tags(session: Session, *, q: str, limit: int, offset: int = 0) -> list[TagHit]:
    """Hashtags whose normalised name starts with ``q`` (``#`` optional), most used first.

    Only hashtags that some public post carries are found, and only public posts are counted: a tag
    used in private posts alone must not reveal that it exists.
    """
    name = normalize_hashtag(q.strip())
    if not name or any(c.isspace() for c in name):
        return []
    uses = func.count(PostTag.post_id).label("uses")
    statement = (
        select(Tag, uses)
        .join(PostTag, PostTag.tag_id == Tag.id)
        .join(Post, Post.id == PostTag.post_id)
        .where(Tag.name.like(escape_like(name) + "%", escape="\\"), Post.visibility == "public")
        .group_by(Tag.id, Tag.name, Tag.display_name)
        .order_by(uses.desc(), Tag.name)
        .offset(offset)
        .limit(limit)
    )
    return [TagHit(tag, count) for tag, count in session.execute(statement)]
