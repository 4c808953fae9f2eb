"""What never changes about a post once written, kept in memory (and in Redis when configured).

A post's mentions, hashtags and posting application are fixed when it is written (an edit would make
a new ``edited_at`` and so a new key), so hydration reads them once per process, or once per instance
with Redis, instead of three queries a page. Everything that can change — the post's existence, its
counters, its author's profile and counters, the viewer's likes — is still read from the database on
every page, so the cache can never show a deleted post or a stale count; nothing needs invalidating
across processes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson
from cachetools import LRUCache

if TYPE_CHECKING:
    import redis

    from gazouillis.config import Settings
    from gazouillis.storage import Database

log = logging.getLogger("gazouillis.cache")
_KEY = "post_cache"
REDIS_PREFIX = "gz:post:"
REDIS_TTL_SECONDS = 7 * 24 * 3600


class MentionRef(NamedTuple):
    id: int
    username: str


class TagRef(NamedTuple):
    id: int
    name: str
    display_name: str


class AppRef(NamedTuple):
    name: str
    website: str | None


# The parts of a post fixed at writing — who it mentions (id, username), its hashtags (id, name, display
# name), the app it came from (name, website) — as plain tuples: a tuple holding only strings and numbers
# is no longer tracked by the garbage collector once a collection has seen it (a named tuple always is),
# so the cache's tens of thousands of entries stay out of every later collection (bench/gcpause.py).
# PostView's properties give them as the named tuples above.
Extras = tuple[tuple[tuple[int, str], ...], tuple[tuple[int, str, str], ...], tuple[str, str | None] | None]
NO_EXTRAS: Extras = ((), (), None)


# One instance of each distinct extras, hashtag and app, shared by every cached post that has it: most
# posts have the same few (no mention, no hashtag, the same handful of apps), and a copy per post was most
# of the cache's memory (on the large bench profile, 5.5 MB for 50,000 posts, 1.5 MB shared).
# Bounded: started afresh when full (what is cached keeps its instances).
_SHARED: dict[Any, Any] = {}
MAX_SHARED = 20_000


def _shared(value: Any) -> Any:
    if len(_SHARED) >= MAX_SHARED:
        _SHARED.clear()
    return _SHARED.setdefault(value, value)


def make_extras(
    mentions: Iterable[tuple[int, str]] = (),
    tags: Iterable[tuple[int, str, str]] = (),
    application: tuple[str, str | None] | None = None,
) -> Extras:
    """Extras from any tuples (named or not), stored as plain ones, shared with equal ones."""
    return _shared(
        (
            tuple((m[0], m[1]) for m in mentions),
            tuple(_shared((t[0], t[1], t[2])) for t in tags),
            _shared((application[0], application[1])) if application else None,
        )
    )


def encode_extras(extras: Extras) -> bytes:
    return orjson.dumps(extras)


def decode_extras(raw: bytes) -> Extras:
    mentions, tags, app = orjson.loads(raw)
    return make_extras(mentions, tags, app)


Key = tuple[int, datetime | None]  # (post id, edited_at)


class PostCache:
    """An in-process LRU of :class:`Extras`, backed by Redis when one is given.

    Redis failures are logged and treated as misses: the database is always there to answer.
    """

    def __init__(self, size: int, client: redis.Redis | None = None) -> None:
        self._lru: LRUCache[Key, Extras] = LRUCache(maxsize=size)
        self._lock = threading.Lock()
        self._redis = client

    def get_many(self, keys: Iterable[Key]) -> dict[Key, Extras]:
        found: dict[Key, Extras] = {}
        missing: list[Key] = []
        with self._lock:
            for key in keys:
                extras = self._lru.get(key)
                if extras is None:
                    missing.append(key)
                else:
                    found[key] = extras
        if missing and self._redis is not None:
            try:
                raws = self._redis.mget([_redis_key(k) for k in missing])
            except Exception:
                log.warning("post cache: Redis unavailable, reading the database", exc_info=True)
                return found
            shared = {k: decode_extras(raw) for k, raw in zip(missing, raws, strict=True) if raw is not None}
            self._remember(shared)
            found.update(shared)
        return found

    def put_many(self, items: dict[Key, Extras]) -> None:
        self._remember(items)
        if items and self._redis is not None:
            try:
                pipe = self._redis.pipeline(transaction=False)
                for key, extras in items.items():
                    pipe.set(_redis_key(key), encode_extras(extras), ex=REDIS_TTL_SECONDS)
                pipe.execute()
            except Exception:
                log.warning("post cache: could not write to Redis", exc_info=True)

    def clear(self) -> None:
        with self._lock:
            self._lru.clear()

    def close(self) -> None:
        if self._redis is not None:
            self._redis.close()

    def _remember(self, items: dict[Key, Extras]) -> None:
        with self._lock:
            for key, extras in items.items():
                self._lru[key] = extras


def _redis_key(key: Key) -> str:
    post_id, edited_at = key
    return f"{REDIS_PREFIX}{post_id}:{int(edited_at.timestamp() * 1000) if edited_at else 0}"


def attach_post_cache(db: Database, settings: Settings) -> PostCache | None:
    """Start-up: give ``db``'s sessions the post cache the settings ask for (size, Redis; 0: none)."""
    if settings.post_cache_size == 0:
        return db.attach(_KEY, None)
    client: Any = None
    if settings.redis_url:
        import redis

        client = redis.Redis.from_url(settings.redis_url)
    return db.attach(_KEY, PostCache(settings.post_cache_size, client))


def post_cache_of(info: dict[str, Any]) -> PostCache | None:
    """The post cache attached to a session's database, if any (without one, hydration reads everything)."""
    return info.get(_KEY)
