"""Searching hashtags: by prefix of the normalised name, most used first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from gazouillis.posts.tables import Post, PostTag, Tag
from gazouillis.search.folding import words
from gazouillis.search.matching import matches
from gazouillis.text import normalize_hashtag


@dataclass(frozen=True)
class TagHit:
    tag: Tag
    uses: int  # public original posts carrying it


def escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _starts(session: Session, prefix: str) -> Any:
    """Tags whose folded name starts with ``prefix`` (folded words joined by spaces), on the index."""
    if session.get_bind().dialect.name == "sqlite":
        terms = [([w], False) for w in prefix.split()]
        terms[-1] = (terms[-1][0], True)
        return matches(session, "tags", terms, name="tags")
    value = escape_like(prefix) + "%"
    return text("gz_fold(tags.name) LIKE :search_tag_prefix ESCAPE '\\'").bindparams(search_tag_prefix=value)


def search_tags(session: Session, *, q: str, limit: int, offset: int = 0) -> list[TagHit]:
    """Hashtags whose normalised name starts with ``q`` (``#`` optional; accents and case do not
    matter: "educ" finds "éducation"), most used first.

    Only hashtags that some public post carries are found, and only public posts are counted: a tag
    used in private posts alone must not reveal that it exists.
    """
    name = normalize_hashtag(q.strip())
    if not name or any(c.isspace() for c in name):
        return []
    folded = words(name)
    if not folded:
        return []
    uses = func.count(PostTag.post_id).label("uses")
    statement = (
        select(Tag, uses)
        .join(PostTag, PostTag.tag_id == Tag.id)
        .join(Post, Post.id == PostTag.post_id)
        .where(_starts(session, " ".join(folded)), Post.visibility == "public")
        .group_by(Tag.id, Tag.name, Tag.display_name)
        .order_by(uses.desc(), Tag.name)
        .offset(offset)
        .limit(limit)
    )
    return [TagHit(tag, count) for tag, count in session.execute(statement)]
