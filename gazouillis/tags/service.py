"""Hashtags: finding them by any spelling, following them, and what a hashtag page needs.

A hashtag is stored once under its normalised key (:func:`gazouillis.text.normalize_hashtag`: NFKC, case
folded), so ``#Café``, ``#CAFÉ`` and ``#ｃａｆé`` are one tag. Accents are *not* folded: ``#café`` and
``#cafe`` are two tags (Mastodon folds them to ASCII; we do not, because folding merges different
words — French ``#pêche``, fishing, and ``#péché``, sin — and the key is the stored identity of every
tag already written). Search (accent-insensitive) finds both.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gazouillis import text
from gazouillis.errors import Invalid, NotFound
from gazouillis.ids import new_id
from gazouillis.pagination import Page, apply, newest_first
from gazouillis.posts.tables import Tag
from gazouillis.storage import insert_ignore
from gazouillis.tags.tables import TagFollow

MAX_NAME = 200


def valid_name(name: str) -> str | None:
    """The author's spelling of ``name`` (with or without ``#``) if it is a whole hashtag, else None.

    A valid name is what the text rules would link in a post: ``#`` followed by it is exactly one hashtag.
    """
    bare = name.strip()
    if bare[:1] in ("#", "\uff03"):
        bare = bare[1:]
    if not bare or len(bare) > MAX_NAME:
        return None
    found = text.extract_hashtags(f"#{bare}")
    return bare if found == [bare] else None


def find_tag(session: Session, name: str) -> Tag | None:
    """The tag ``name`` stands for (any case, any width, with or without ``#``), if it was ever used."""
    if not name.strip():
        return None
    return session.scalar(select(Tag).where(Tag.name == text.normalize_hashtag(name.strip())))


def get_tag(session: Session, name: str) -> Tag:
    found = find_tag(session, name)
    if found is None:
        raise NotFound()
    return found


def ensure_tag(session: Session, name: str) -> Tag:
    """The tag ``name`` names, created if it was never used (following or featuring a new hashtag);
    :class:`Invalid` when ``name`` is not a hashtag."""
    shown = valid_name(name)
    if shown is None:
        raise Invalid("Validation failed: Name is not a valid hashtag")
    key = text.normalize_hashtag(shown)
    insert_ignore(session, Tag, [{"id": new_id(), "name": key, "display_name": shown}], keys=["name"])
    tag = session.scalar(select(Tag).where(Tag.name == key))
    assert tag is not None
    return tag


def tags_by_id(session: Session, ids: list[int]) -> dict[int, Tag]:
    if not ids:
        return {}
    return {t.id: t for t in session.scalars(select(Tag).where(Tag.id.in_(ids)))}


# Following


def follow_tag(session: Session, *, account_id: int, name: str) -> Tag:
    """Follow a hashtag (again is fine): its public posts reach the account's home timeline from now on
    (fan-out) and after a rebuild (see :mod:`gazouillis.timelines.feeds.rules`)."""
    tag = ensure_tag(session, name)
    row = {"id": new_id(), "account_id": account_id, "tag_id": tag.id}
    insert_ignore(session, TagFollow, [row], keys=["account_id", "tag_id"])
    return tag


def unfollow_tag(session: Session, *, account_id: int, name: str) -> Tag:
    """Stop following a hashtag; its posts leave the home timeline (each page is checked again)."""
    tag = get_tag(session, name)
    session.execute(delete(TagFollow).where(TagFollow.account_id == account_id, TagFollow.tag_id == tag.id))
    return tag


def followed_ids(session: Session, account_id: int | None, tag_ids: list[int]) -> set[int]:
    """Which of ``tag_ids`` ``account_id`` follows."""
    if account_id is None or not tag_ids:
        return set()
    query = select(TagFollow.tag_id).where(TagFollow.account_id == account_id, TagFollow.tag_id.in_(tag_ids))
    return set(session.scalars(query))


@dataclass(frozen=True)
class Followed:
    tag: Tag
    cursor: int  # the TagFollow id (Link pagination)


def followed_tags(session: Session, *, account_id: int, page: Page) -> list[Followed]:
    """The hashtags ``account_id`` follows, most recently followed first."""
    query = (
        select(TagFollow.id, Tag)
        .join(Tag, Tag.id == TagFollow.tag_id)
        .where(TagFollow.account_id == account_id)
    )
    rows = newest_first(session.execute(apply(query, TagFollow.id, page)).all(), page)
    return [Followed(r.Tag, r.id) for r in rows]
