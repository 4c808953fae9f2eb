"""The Redis feed store (production): one compact STRING per reader, ``gz:feed:<account_id>``.

Why not a sorted set: with the server's default ``zset-max-listpack-entries`` (128), an 800-entry sorted
set is a skiplist of about 97 KB; the server's configuration is not ours to change. A STRING of packed
16-byte entries (post id, reposted id or 0; big-endian; newest first) costs about 14 KB for 800 entries
(measured with MEMORY USAGE, and asserted by the tests). Small Lua scripts (:mod:`.lua`) insert in
order, merge, trim and remove atomically; a page is a binary search by GETRANGE probes, O(log n + page).

Feeds expire after FEED_TTL without a read (the TTL is refreshed on each read, kept by writes): an idle
reader's feed stops costing memory and is rebuilt from the database on their next visit.
"""

from __future__ import annotations

import struct
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

import redis
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from gazouillis.changes.log import readers_changed
from gazouillis.graph.tables import Follow
from gazouillis.jobs.queue import enqueue
from gazouillis.pagination import Page
from gazouillis.posts.tables import Post
from gazouillis.storage import after_commit
from gazouillis.timelines.feeds import lua, rules
from gazouillis.timelines.feeds.base import Entry, FeedPage, FeedPolicy

FEED_TTL = timedelta(days=14)
_ENTRY = struct.Struct(">QQ")


ADD_CHUNK = 500


def feed_key(reader_id: int) -> str:
    return f"gz:feed:{reader_id}"


def pack(entries: Iterable[Entry]) -> bytes:
    return b"".join(_ENTRY.pack(e.post_id, e.original_id or 0) for e in entries)


def unpack(blob: bytes) -> list[Entry]:
    return [Entry(p, o or None) for p, o in _ENTRY.iter_unpack(blob)]


def _id(value: int | None) -> bytes:
    return b"" if value is None else value.to_bytes(8, "big")


def _sorted_unique(entries: Iterable[Entry]) -> list[Entry]:
    return sorted({e.post_id: e for e in entries}.values(), key=lambda e: e.post_id, reverse=True)


class RedisFeedStore:
    """Home feeds in Redis."""

    def __init__(self, client: redis.Redis, policy: FeedPolicy, *, ttl: timedelta = FEED_TTL) -> None:
        self.client = client
        self.policy = policy
        self.ttl = int(ttl.total_seconds())
        self._add = client.register_script(lua.ADD)
        self._merge = client.register_script(lua.MERGE)
        self._page = client.register_script(lua.PAGE)
        self._remove = client.register_script(lua.REMOVE)
        self._trim = client.register_script(lua.TRIM)

    def exists(self, session: Session, reader_id: int) -> bool:
        return bool(self.client.exists(feed_key(reader_id)))

    def add(self, session: Session, reader_ids: list[int], post: Post, *, at_once: bool = False) -> None:
        entry = pack([Entry.of(post)])
        if at_once:
            self._add_many(reader_ids, entry)
        else:
            self._after_commit(session, lambda: self._add_many(reader_ids, entry))
        readers_changed(session, reader_ids)

    def fan_out(
        self, session: Session, post: Post, *, followers: bool = True, after: int | None = None
    ) -> int | None:
        entry = pack([Entry.of(post)])
        # The author's own feed, again (deliver did it at once), with the first batch.
        readers = [post.account_id] if after is None else []
        last = None
        if followers:
            audience, params = rules.followers_seeing(post)
            where = rules.follower_conditions(audience)
            batch, last = self._follows(session, where, after, params=params)
            readers.extend(r.account_id for r in batch)
        if readers:
            self._add_many(readers, entry)
            readers_changed(session, readers)
        return last

    def merge_author(self, session: Session, reader_id: int, author_id: int) -> None:
        if not self.exists(session, reader_id):
            return
        rows = session.execute(rules.merge_query(session, reader_id, author_id, self.policy)).all()
        if rows:
            entries = _sorted_unique(Entry(r.id, r.reblog_of_id) for r in rows)
            self._merge(keys=[feed_key(reader_id)], args=[pack(entries), self.policy.cap, 0])
            readers_changed(session, [reader_id])

    def backfill_author(self, session: Session, author_id: int, *, after: int | None = None) -> int | None:
        cutoff = rules.backfill_cutoff(session, author_id)
        if cutoff is None:
            return None
        batch, last = self._follows(session, [Follow.target_account_id == author_id], after)
        if not batch:
            return None
        by_reader: dict[int, list[Entry]] = defaultdict(list)
        # The follows in (after, last]; the last batch (last None) takes every follow after ``after``.
        for r in session.execute(rules.backfill_query(author_id, cutoff, after, last)):
            by_reader[r.reader_id].append(Entry(r.id, r.reblog_of_id))
        pipe = self.client.pipeline(transaction=False)
        for reader, entries in by_reader.items():
            blob = pack(_sorted_unique(entries))
            self._merge(keys=[feed_key(reader)], args=[blob, self.policy.cap, 0], client=pipe)
        pipe.execute()
        readers_changed(session, by_reader)
        return last

    def rebuild(self, session: Session, reader_id: int) -> list[Entry] | None:
        key = feed_key(reader_id)
        # An empty feed first: fan-outs from now on add to it, and the posts committed before are in
        # the query below. Whoever creates it builds it; a concurrent reader just reads.
        if not self.client.set(key, b"", nx=True, ex=self.ttl):
            return None
        try:
            rows = session.execute(rules.rebuild_query(session, reader_id, self.policy)).all()
            blob = pack(_sorted_unique(Entry(r.id, r.reblog_of_id) for r in rows))
            built = self._merge(keys=[key], args=[blob, self.policy.cap, 1])
        except BaseException:
            self.client.delete(key)  # never leave an empty feed standing in for a real one
            raise
        return unpack(built) if isinstance(built, bytes) else []

    def remove_posts(self, session: Session, post_ids: list[int], author_ids: list[int]) -> None:
        # The authors' own feeds right after the commit; their followers' feeds (thousands, maybe) in a
        # durable job, so a delete request stays fast. Until the job has run, a stale entry is harmless:
        # every page is checked against the database (the post is gone) and topped up to its limit.
        gone = b"".join(_id(p) for p in post_ids)
        self._after_commit(session, lambda: self._remove_many(author_ids, gone))
        enqueue(session, "feed.sweep", {"post_ids": post_ids, "author_ids": author_ids})

    def sweep(
        self, session: Session, post_ids: list[int], author_ids: list[int], *, after: int | None = None
    ) -> tuple[list[int], int | None] | None:
        gone = b"".join(_id(p) for p in post_ids)
        # Follower by follower of each author in turn (by follow id: the index order), up to batch_size
        # feeds in all: many small authors (the reposters of a post) share one batch.
        authors, readers, spent = list(author_ids), [], 0
        while authors and spent < self.policy.batch_size:
            where = [Follow.target_account_id == authors[0]]
            batch, after = self._follows(session, where, after, self.policy.batch_size - spent)
            readers.extend(r.account_id for r in batch)
            spent += max(len(batch), 1)  # an author without followers still costs a query
            if after is None:
                authors.pop(0)
        if readers:
            self._remove_many(readers, gone)
        return (authors, after) if authors else None

    def remove_author(
        self, session: Session, reader_id: int, author_id: int, *, reposts_only: bool = False
    ) -> None:
        # Which entries go is read now (database and feed), inside the caller's transaction; they are
        # taken out right after it commits. An entry a racing fan-out adds meanwhile is never shown: each
        # page is checked against the follows again.
        blob = self.client.get(feed_key(reader_id))
        if not blob:
            return
        ids = [e.post_id for e in unpack(blob)]
        if reposts_only:
            which = (Post.account_id == author_id) & Post.reblog_of_id.is_not(None)
        else:
            which = or_(
                Post.account_id == author_id,
                (Post.in_reply_to_account_id == author_id) & (Post.account_id != reader_id),
            )
        gone = session.scalars(select(Post.id).where(Post.id.in_(ids), which)).all()
        if gone:
            packed = b"".join(_id(p) for p in gone)
            self._after_commit(session, lambda: self._remove_many([reader_id], packed))

    def page(self, session: Session, reader_id: int, page: Page) -> FeedPage | None:
        args = [_id(page.max_id), _id(page.since_id), _id(page.min_id), page.limit, self.ttl, self.policy.cap]
        found = self._page(keys=[feed_key(reader_id)], args=args)
        if found is None:
            return None
        blob, horizon = found
        return FeedPage(unpack(blob), int.from_bytes(horizon, "big") if horizon else None)

    def trim(self, session: Session, reader_ids: list[int]) -> None:
        pipe = self.client.pipeline(transaction=False)
        for reader in reader_ids:
            self._trim(keys=[feed_key(reader)], args=[self.policy.cap], client=pipe)
        pipe.execute()

    def close(self) -> None:
        self.client.close()

    def _follows(
        self,
        session: Session,
        where: Iterable[Any],
        after: int | None,
        limit: int | None = None,
        *,
        params: dict[str, Any] | None = None,
    ) -> tuple[list[Any], int | None]:
        """The next ``limit`` (batch_size) follows matching ``where`` (with the values of its ``params``)
        after follow id ``after``, and the id to continue after, None when there are no more."""
        limit = limit or self.policy.batch_size
        query = select(Follow.id, Follow.account_id).where(*where)
        if after is not None:
            query = query.where(Follow.id > after)
        # One past the batch too: a batch that ends exactly at the last follow needs no empty successor.
        rows = session.execute(query.order_by(Follow.id).limit(limit + 1), params or {}).all()
        return rows[:limit], rows[limit - 1].id if len(rows) > limit else None

    def _add_many(self, reader_ids: list[int], entry: bytes) -> None:
        # A few hundred feeds per script call: one call per feed cost more in the client (encoding and
        # decoding each call) than in Redis; a bounded call keeps Redis responsive to everyone else.
        pipe = self.client.pipeline(transaction=False)
        for start in range(0, len(reader_ids), ADD_CHUNK):
            keys = [feed_key(r) for r in reader_ids[start : start + ADD_CHUNK]]
            self._add(keys=keys, args=[entry, self.policy.cap], client=pipe)
        pipe.execute()

    def _remove_many(self, reader_ids: Iterable[int], gone: bytes) -> None:
        pipe = self.client.pipeline(transaction=False)
        for reader in reader_ids:
            self._remove(keys=[feed_key(reader)], args=[gone], client=pipe)
        pipe.execute()

    @staticmethod
    def _after_commit(session: Session, write: Callable[[], Any]) -> None:
        """Run ``write`` once the caller's write transaction commits (at once outside of one)."""
        if session.info.get("writable"):
            after_commit(session, write)
        else:
            write()
