"""How much a hashtag was used: posts and distinct accounts per day (Mastodon's ``Tag.history``), and
per hour (what trends compare).

Only public and unlisted original posts count: a followers-only or direct post must not show up, even as
a number. Post ids are time-ordered (:mod:`gazouillis.ids`), so a span of time is a range of ids on the
``(tag_id, post_id)`` index of ``post_tags``, and a post's day (or hour) is ``(id - start) // span``:
one grouped query over the range, no scan of the posts and no date arithmetic in SQL.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gazouillis.ids import id_at
from gazouillis.posts.tables import Post, PostTag
from gazouillis.storage import utcnow

DAY_MS = 86_400_000
HOUR_MS = 3_600_000
DAYS = 7
COUNTED = ("public", "unlisted")


@dataclass(frozen=True)
class Day:
    """One day of a tag's use: ``day`` is the Unix time (seconds) of its start, UTC."""

    day: int
    uses: int
    accounts: int


def _ms(when: datetime) -> int:
    return int(when.timestamp() * 1000)


def buckets(
    session: Session,
    tag_ids: list[int],
    *,
    start_ms: int,
    span_ms: int,
    count: int,
    visibilities: tuple[str, ...] = COUNTED,
) -> dict[int, dict[int, tuple[int, int]]]:
    """For each tag, ``{bucket: (posts, distinct accounts)}`` over ``count`` buckets of ``span_ms`` from
    ``start_ms`` (bucket 0 is the oldest), counting posts of ``visibilities``; empty buckets are absent."""
    if not tag_ids:
        return {}
    low, high = id_at(start_ms), id_at(start_ms + span_ms * count)
    width = id_at(span_ms) - id_at(0)  # ids per bucket (the timestamp sits in the high bits)
    bucket = ((PostTag.post_id - low) // width).label("bucket")
    query = (
        select(PostTag.tag_id, bucket, func.count(), func.count(Post.account_id.distinct()))
        .join(Post, Post.id == PostTag.post_id)
        .where(
            PostTag.tag_id.in_(tag_ids),
            PostTag.post_id >= low,
            PostTag.post_id < high,
            Post.visibility.in_(visibilities),
            Post.reblog_of_id.is_(None),
        )
        .group_by(PostTag.tag_id, bucket)
    )
    found: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    for tag_id, index, uses, accounts in session.execute(query):
        found[tag_id][int(index)] = (uses, accounts)
    return found


def day_start(now: datetime) -> int:
    """The Unix time (seconds) at which ``now``'s UTC day began."""
    return int(now.astimezone(UTC).timestamp()) // 86_400 * 86_400


def histories(session: Session, tag_ids: list[int], *, now: datetime | None = None) -> dict[int, list[Day]]:
    """The last :data:`DAYS` days (today first) of each tag in ``tag_ids``, one grouped query for all."""
    today = day_start(now or utcnow())
    first = today - (DAYS - 1) * 86_400
    counts = buckets(session, tag_ids, start_ms=first * 1000, span_ms=DAY_MS, count=DAYS)
    result = {}
    for tag_id in tag_ids:
        days = counts.get(tag_id, {})
        result[tag_id] = [Day(first + i * 86_400, *days.get(i, (0, 0))) for i in reversed(range(DAYS))]
    return result


def history(session: Session, tag_id: int, *, now: datetime | None = None) -> list[Day]:
    return histories(session, [tag_id], now=now)[tag_id]
