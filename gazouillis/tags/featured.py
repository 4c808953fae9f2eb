"""Featured hashtags: the few tags an account shows on its profile, with how often it used each.

The counts are of the account's public and unlisted posts only (a profile is public), computed when
asked on the ``(tag_id, post_id)`` index rather than kept as counters: an account features at most
:data:`LIMIT` tags.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from gazouillis.errors import Invalid, NotFound
from gazouillis.ids import new_id, timestamp_ms
from gazouillis.posts.tables import Post, PostTag, Tag
from gazouillis.tags.service import ensure_tag
from gazouillis.tags.tables import FeaturedTag

LIMIT = 10
COUNTED = ("public", "unlisted")


@dataclass(frozen=True)
class Featured:
    id: int
    tag: Tag
    statuses_count: int
    last_status_at: datetime | None


def featured_tags(session: Session, account_id: int) -> list[Featured]:
    """The account's featured tags, in the order they were added, each with its use by the account."""
    rows = session.execute(
        select(FeaturedTag.id, Tag)
        .join(Tag, Tag.id == FeaturedTag.tag_id)
        .where(FeaturedTag.account_id == account_id)
        .order_by(FeaturedTag.id)
    ).all()
    if not rows:
        return []
    usage = session.execute(
        select(PostTag.tag_id, func.count(), func.max(PostTag.post_id))
        .join(Post, Post.id == PostTag.post_id)
        .where(
            PostTag.tag_id.in_([r.Tag.id for r in rows]),
            Post.account_id == account_id,
            Post.visibility.in_(COUNTED),
            Post.reblog_of_id.is_(None),
        )
        .group_by(PostTag.tag_id)
    ).all()
    used = {tag_id: (count, last) for tag_id, count, last in usage}
    result = []
    for row in rows:
        count, last = used.get(row.Tag.id, (0, None))
        when = None if last is None else datetime.fromtimestamp(timestamp_ms(last) / 1000, tz=UTC)
        result.append(Featured(row.id, row.Tag, count, when))
    return result


def feature_tag(session: Session, *, account_id: int, name: str) -> Featured:
    """Feature a hashtag on the account's profile (:class:`Invalid` for a bad name, a duplicate, or past
    :data:`LIMIT`)."""
    tag = ensure_tag(session, name)
    mine = select(FeaturedTag.tag_id).where(FeaturedTag.account_id == account_id)
    current = set(session.scalars(mine))
    if tag.id in current:
        raise Invalid("Validation failed: Tag is already featured")
    if len(current) >= LIMIT:
        raise Invalid(f"Validation failed: You cannot feature more than {LIMIT} hashtags")
    session.add(FeaturedTag(id=new_id(), account_id=account_id, tag_id=tag.id))
    session.flush()
    return next(f for f in featured_tags(session, account_id) if f.tag.id == tag.id)


def unfeature_tag(session: Session, *, account_id: int, featured_id: int) -> None:
    """Remove one of the account's featured tags (:class:`NotFound` if it is not theirs)."""
    gone = session.execute(
        delete(FeaturedTag).where(FeaturedTag.id == featured_id, FeaturedTag.account_id == account_id)
    )
    if not gone.rowcount:  # type: ignore[attr-defined]
        raise NotFound()


def suggested_tags(session: Session, account_id: int, *, limit: int = 10) -> list[Tag]:
    """The hashtags the account uses most in its public posts, not featured yet (most used first)."""
    featured = select(FeaturedTag.tag_id).where(FeaturedTag.account_id == account_id)
    uses = func.count().label("uses")
    query = (
        select(Tag, uses)
        .join(PostTag, PostTag.tag_id == Tag.id)
        .join(Post, Post.id == PostTag.post_id)
        .where(
            Post.account_id == account_id,
            Post.visibility.in_(COUNTED),
            Post.reblog_of_id.is_(None),
            Tag.id.not_in(featured),
        )
        .group_by(Tag.id)
        .order_by(uses.desc(), Tag.name)
        .limit(limit)
    )
    return [row.Tag for row in session.execute(query)]
