"""Home feeds: one small interface (:class:`FeedStore`), two back-ends (SQL and Redis).

The back-end is chosen from the settings in one place, :func:`build_feed_store`, and attached at start-up
(app factory, worker, command line) to the :class:`~gazouillis.storage.Database`, whose sessions carry it
in ``session.info``: domain functions find it with :func:`feeds_of` and stay free of any framework and of
module-level globals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from gazouillis.timelines.feeds.base import (
    BATCH_SIZE,
    SQLITE_BATCH_SIZE,
    Entry,
    FeedPage,
    FeedPolicy,
    FeedStore,
)

if TYPE_CHECKING:
    from gazouillis.config import Settings
    from gazouillis.storage import Database

__all__ = [
    "Entry",
    "FeedPage",
    "FeedPolicy",
    "FeedStore",
    "attach",
    "attach_from_settings",
    "build_feed_store",
    "ensure_attached",
    "feeds_of",
]
_KEY = "feeds"


def build_feed_store(settings: Settings, db: Database) -> FeedStore:
    """The feed store the settings ask for (feed_store, redis_url, feed_cap, fanout_threshold,
    fanout_batch_size)."""
    batch = settings.fanout_batch_size or (SQLITE_BATCH_SIZE if db.is_sqlite else BATCH_SIZE)
    policy = FeedPolicy(cap=settings.feed_cap, threshold=settings.fanout_threshold, batch_size=batch)
    if settings.feed_store == "redis":
        import redis

        from gazouillis.timelines.feeds.redis import RedisFeedStore

        return RedisFeedStore(redis.Redis.from_url(settings.redis_url), policy)
    from gazouillis.timelines.feeds.sql import SqlFeedStore

    return SqlFeedStore(db, policy)


def attach(db: Database, store: FeedStore) -> FeedStore:
    """Make ``store`` the feed store of every session of ``db`` from now on (closing the one before)."""
    return db.attach(_KEY, store)


def attach_from_settings(db: Database, settings: Settings) -> FeedStore:
    """Start-up: build the feed store ``settings`` ask for and attach it to ``db``."""
    return attach(db, build_feed_store(settings, db))


def ensure_attached(db: Database, settings: Settings) -> FeedStore:
    """The feed store of ``db``, attaching the one ``settings`` ask for if there is none yet (for entry
    points that receive a database built elsewhere, such as ``seed_demo``)."""
    store = db.info.get(_KEY)
    return store if store is not None else attach_from_settings(db, settings)


def feeds_of(session: Session) -> FeedStore:
    """The feed store attached to the database this session belongs to."""
    store = session.info.get(_KEY)
    if store is None:
        raise RuntimeError(
            "no feed store is attached to this database: call "
            "gazouillis.timelines.feeds.attach_from_settings(db, settings) at start-up"
        )
    return store
