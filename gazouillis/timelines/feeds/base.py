"""The feed store's interface: what the timeline code asks of a home-feed back-end, whatever it is.

A home feed is a capped list of entries, newest first, one per post that reached the reader. The store
only keeps ids: which posts a reader may see is decided by :mod:`gazouillis.timelines.feeds.rules`, and
the read path (:mod:`gazouillis.timelines.home`) checks every page against those rules again, so a stale
entry (a race with an unfollow, a post deleted a moment ago) is never shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from gazouillis.pagination import Page
from gazouillis.posts.tables import Post

# How many followers one fan-out statement (SQL) or pipeline (Redis), and one job, handles (the
# fanout_batch_size setting). Each batch is one transaction; on SQLite it holds the only write lock, so a
# new post waits for the batch under way: posting as a 7,954-follower account while its earlier posts
# were fanned out, p99 59.7 ms with batches of 5,000, 24.6 with 1,000, 16.4 with 500 (200 posts over
# HTTP, 2 web processes and a worker). On PostgreSQL + Redis 14.1 and 11.5 ms with 5,000 and 1,000.
# On a slower machine (2026-12-07, fourth round), 50 posts one at a time: p99 30.5–33.7 ms with 500,
# 18.6–22.6 with 250 (the 7,954 followers then reached in 603–621 ms, against 491–549).
BATCH_SIZE = 1_000
SQLITE_BATCH_SIZE = 250
# How many of an account's recent posts a new follower gets in their feed straight away.
MERGE_ON_FOLLOW = 100


@dataclass(frozen=True)
class Entry:
    """One post in a feed; for a repost, ``original_id`` is the reposted post (so it shows once)."""

    post_id: int
    original_id: int | None = None

    @classmethod
    def of(cls, post: Post) -> Entry:
        return cls(post.id, post.reblog_of_id)


@dataclass(frozen=True)
class FeedPage:
    """One window of a feed, newest first, and its horizon.

    ``horizon``: when the feed is full (``cap`` entries), the oldest post id it keeps; posts older than
    that are off the end of the timeline, including posts merged at read time. A back-end may leave it
    None for a full window of the newest entries (no ``max_id`` or ``min_id``): nothing older than the
    horizon could be shown with those, so it cannot matter there.
    """

    entries: list[Entry]
    horizon: int | None = None


@dataclass(frozen=True)
class FeedPolicy:
    """The knobs every back-end shares (from the settings ``feed_cap`` and ``fanout_threshold``)."""

    cap: int = 800
    threshold: int = 10_000
    batch_size: int = BATCH_SIZE


class FeedStore(Protocol):
    """Home feeds, by reader. Fan-out, merges and removals are safe to repeat (jobs may run twice)."""

    # Writes asked for by a request (add, remove_posts, remove_author) go with the caller's transaction:
    # SQL writes join it; Redis writes are made right after it commits, so a rolled-back change never
    # reaches a feed. Writes made by jobs (fan-out, merges, sweeps) are made at once: the job's row is
    # deleted in the same commit, so a crash before it means the job runs again. Batched writes
    # (fan_out, backfill_author, sweep) do one batch per call and return a cursor, so a job can commit
    # each batch with the job of the next one.
    #
    # Every write that adds to an existing feed is announced in the change log in the writer's
    # transaction, after the feed write (gazouillis.changes.log.readers_changed). Removals need none: they
    # follow from a write the log has (an unfollow, a block, a deleted post), and a feed built for the
    # first time (rebuild) has no cached page to drop.
    policy: FeedPolicy

    def exists(self, session: Session, reader_id: int) -> bool:
        """Whether the reader has a feed (a missing one is rebuilt on demand, never filled piecemeal)."""
        ...

    def add(self, session: Session, reader_ids: list[int], post: Post, *, at_once: bool = False) -> None:
        """Put ``post`` in the existing feeds among ``reader_ids`` (trimming each to the cap); ``at_once``:
        a job's write, made now rather than after the commit (see above)."""
        ...

    def fan_out(
        self, session: Session, post: Post, *, followers: bool = True, after: int | None = None
    ) -> int | None:
        """Deliver ``post`` to one batch of its author's followers who may see it: those whose follow id
        comes after ``after`` (the first batch when None, which also writes the author's own feed).

        Returns the follow id to pass as ``after`` for the next batch, or None when no follower is left
        (at once when ``followers`` is False: a big account). One batch per call, so each batch can be
        its own transaction (see :mod:`gazouillis.timelines.fanout`).
        """
        ...

    def merge_author(self, session: Session, reader_id: int, author_id: int) -> None:
        """On follow: bring ``author_id``'s recent posts, and the recent replies to them by accounts the
        reader follows, into the reader's feed."""
        ...

    def backfill_author(self, session: Session, author_id: int, *, after: int | None = None) -> int | None:
        """Bring ``author_id``'s recent posts into the feeds of one batch of followers (once they drop
        below the fan-out threshold: their posts made while above it were never fanned out), those
        whose follow id comes after ``after``; returns the cursor of the next batch, None when done."""
        ...

    def rebuild(self, session: Session, reader_id: int) -> list[Entry] | None:
        """Create a missing feed from the database (the last ``cap`` posts the reader should see).

        Returns its entries, newest first, or None when the feed already existed (someone else built
        it). The caller serves this read from the returned entries.
        """
        ...

    def remove_posts(self, session: Session, post_ids: list[int], author_ids: list[int]) -> None:
        """Take ``post_ids`` (a post and its reposts, by ``author_ids``) out of every feed.

        A post only ever reaches its author's feed and their followers'. What cannot be done at once
        cheaply is left to a durable job that calls :meth:`sweep`.
        """
        ...

    def sweep(
        self, session: Session, post_ids: list[int], author_ids: list[int], *, after: int | None = None
    ) -> tuple[list[int], int | None] | None:
        """The deferred part of :meth:`remove_posts` (a job): one batch of the followers' feeds, starting
        with the followers of ``author_ids[0]`` whose follow id comes after ``after``.

        Returns what is left, ``(authors, after)`` in the same terms, or None when done.
        """
        ...

    def remove_author(
        self, session: Session, reader_id: int, author_id: int, *, reposts_only: bool = False
    ) -> None:
        """On unfollow: take out of the reader's feed the posts of ``author_id`` and the replies to them
        by others (only the reposts of ``author_id``, when the reader turns their reposts off)."""
        ...

    def page(self, session: Session, reader_id: int, page: Page) -> FeedPage | None:
        """One page of the reader's feed (Mastodon cursors, newest first); None if it does not exist."""
        ...

    def trim(self, session: Session, reader_ids: list[int]) -> None:
        """Cut the feeds of ``reader_ids`` down to ``cap`` entries."""
        ...

    def close(self) -> None:
        """Release connections (at shutdown)."""
        ...
