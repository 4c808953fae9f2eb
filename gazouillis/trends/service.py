"""Trending hashtags and posts, computed with a few grouped queries over id ranges (ids are time-ordered)
and scored by :mod:`gazouillis.trends.scoring`.

Only public posts count. A ranking is the same for everyone: it is kept for :data:`TTL_SECONDS` in the
:class:`TrendCache` attached to the database (the app attaches one; without it, every call computes).
What a viewer gets is then screened for them (blocks, mutes, filters) by the caller.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select, union
from sqlalchemy.orm import Session, aliased

from gazouillis.ids import id_at, timestamp_ms
from gazouillis.posts.tables import Favourite, Post, PostTag
from gazouillis.storage import Database, utcnow
from gazouillis.tags.history import HOUR_MS, buckets
from gazouillis.trends import scoring

TTL_SECONDS = 90.0
KEPT = 200  # the longest ranking kept (clients page through it with offset)
_KEY = "trends"


class TrendCache:
    """Rankings by name, each kept for ``ttl`` seconds (one process; per-process staleness is fine)."""

    def __init__(self, ttl: float = TTL_SECONDS) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, list[int]]] = {}

    def get(self, name: str, compute: Callable[[], list[int]]) -> list[int]:
        with self._lock:
            found = self._entries.get(name)
        if found is not None and time.monotonic() - found[0] < self.ttl:
            return found[1]
        value = compute()  # outside the lock: two requests may compute at once, both get a right answer
        with self._lock:
            self._entries[name] = (time.monotonic(), value)
        return value

    def close(self) -> None:
        with self._lock:
            self._entries.clear()


def attach_trend_cache(db: Database) -> TrendCache:
    return db.attach(_KEY, TrendCache())


def _cached(session: Session, name: str, compute: Callable[[], list[int]]) -> list[int]:
    cache = session.info.get(_KEY)
    return compute() if cache is None else cache.get(name, compute)


def _now_ms(now: datetime | None) -> int:
    return int((now or utcnow()).timestamp() * 1000)


def rank_tags(session: Session, *, now: datetime | None = None) -> list[int]:
    """Tag ids trending now, best first (uncached): see :func:`scoring.tag_score`."""
    now_ms = _now_ms(now)
    window_ms = scoring.WINDOW_HOURS * HOUR_MS
    since = id_at(now_ms - window_ms)
    accounts = func.count(Post.account_id.distinct())
    candidates = dict(
        session.execute(
            select(PostTag.tag_id, accounts)
            .join(Post, Post.id == PostTag.post_id)
            .where(PostTag.post_id >= since, Post.visibility == "public", Post.reblog_of_id.is_(None))
            .group_by(PostTag.tag_id)
            .having(accounts >= scoring.MIN_ACCOUNTS)
        ).all()
    )
    if not candidates:
        return []
    hours = scoring.BASELINE_HOURS
    past = buckets(
        session,
        list(candidates),
        start_ms=now_ms - window_ms - hours * HOUR_MS,
        span_ms=HOUR_MS,
        count=hours,
        visibilities=("public",),
    )
    scores = {}
    for tag_id, recent in candidates.items():
        baseline = sum(accounts for _, accounts in past.get(tag_id, {}).values()) / hours
        score = scoring.tag_score(recent, baseline)
        if score > 0:
            scores[tag_id] = score
    return sorted(scores, key=lambda t: (-scores[t], -t))[:KEPT]


def rank_posts(session: Session, *, now: datetime | None = None) -> list[int]:
    """Public post ids trending now, best first (uncached): see :func:`scoring.post_score`."""
    now_ms = _now_ms(now)
    since = id_at(now_ms - scoring.POST_WINDOW_HOURS * HOUR_MS)
    # (post, account) pairs of engagement with the posts of the window; UNION keeps each pair once.
    likes = select(Favourite.post_id.label("post_id"), Favourite.account_id.label("account_id")).where(
        Favourite.post_id >= since
    )
    reposts = select(Post.reblog_of_id, Post.account_id).where(Post.id >= since, Post.reblog_of_id >= since)
    replies = select(Post.in_reply_to_id, Post.account_id).where(
        Post.id >= since, Post.in_reply_to_id >= since, Post.visibility.in_(("public", "unlisted"))
    )
    pairs = union(likes, reposts, replies).subquery()
    target = aliased(Post)
    rows = session.execute(
        select(target.id, func.count(pairs.c.account_id))
        .join(pairs, pairs.c.post_id == target.id)
        .where(
            target.id >= since,
            target.visibility == "public",
            target.reblog_of_id.is_(None),
            pairs.c.account_id != target.account_id,
        )
        .group_by(target.id)
    ).all()
    scores = {}
    for post_id, engaged in rows:
        score = scoring.post_score(engaged, (now_ms - timestamp_ms(post_id)) / HOUR_MS)
        if score > 0:
            scores[post_id] = score
    return sorted(scores, key=lambda p: (-scores[p], -p))[:KEPT]


def trending_tags(session: Session) -> list[int]:
    """:func:`rank_tags`, from the cache when it is fresh."""
    return _cached(session, "tags", lambda: rank_tags(session))


def trending_posts(session: Session) -> list[int]:
    """:func:`rank_posts`, from the cache when it is fresh."""
    return _cached(session, "posts", lambda: rank_posts(session))
