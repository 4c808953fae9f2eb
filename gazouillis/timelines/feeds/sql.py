"""The SQL feed store (the embedded default): the ``feed_entries`` table, one row per post in a feed.

Writes join the caller's transaction. A fan-out is one INSERT … SELECT per batch of followers (follow
id ranges), whatever their number, each batch a job and transaction of its own. A reader's feed "exists"
when it has at least one row: a new or emptied feed is rebuilt whole when read, and fan-out never starts
one piecemeal.

Trimming to the cap is amortised: each fan-out trims a rotating 1/TRIM_SPREAD of its readers (a ranking
query is much dearer than the insert), so a table may briefly hold a little more than ``cap`` rows for a
reader; reads never show more than the newest ``cap`` (the page query stops at the horizon).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    bindparam,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import Session, aliased

from gazouillis.accounts.tables import Account
from gazouillis.changes.log import readers_changed, readers_changed_from
from gazouillis.graph.tables import Follow
from gazouillis.hot import HotStatement
from gazouillis.pagination import Page, Shape, apply_bound, bound, newest_first, shape
from gazouillis.posts.tables import Post
from gazouillis.storage import Database, insert_ignore, insert_ignore_statement
from gazouillis.timelines.feeds import rules
from gazouillis.timelines.feeds.base import Entry, FeedPage, FeedPolicy
from gazouillis.timelines.tables import FeedEntry

KEYS = ["account_id", "post_id"]
# Each fan-out trims the feeds of the readers whose id is congruent to the post id modulo this.
TRIM_SPREAD = 128

# A row of every feed, never shown (no post has id 0): the feed exists, even when it holds no post.
EXISTS_MARKER = 0


def _has_feed(reader: Any) -> ColumnElement[bool]:
    other = aliased(FeedEntry)
    return exists().where(other.account_id == reader)


def _post_columns(post: Post) -> list[Any]:
    return [
        literal(post.id, BigInteger).label("post_id"),
        literal(post.account_id, BigInteger).label("author_id"),
        literal(post.reblog_of_id, BigInteger).label("reblog_of_id"),
    ]


@cache
def _add_statement(dialect: str) -> Any:
    """A post into the existing feeds among some readers' (every new post, into its author's): built once,
    the statement cost more to build than to run."""
    accounts = Account.__table__
    post = [
        bindparam(name, type_=BigInteger).label(name) for name in ("post_id", "author_id", "reblog_of_id")
    ]
    rows = select(accounts.c.id.label("account_id"), *post).where(
        accounts.c.id.in_(bindparam("readers", expanding=True)), _has_feed(accounts.c.id)
    )
    return insert_ignore_statement(dialect, FeedEntry.__table__, rows, keys=KEYS)


class SqlFeedStore:
    """Home feeds in the ``feed_entries`` table."""

    def __init__(self, db: Database, policy: FeedPolicy) -> None:
        self.db = db
        self.policy = policy

    def exists(self, session: Session, reader_id: int) -> bool:
        return session.scalar(select(_has_feed(reader_id))) or False

    def add(self, session: Session, reader_ids: list[int], post: Post, *, at_once: bool = False) -> None:
        params = {
            "readers": reader_ids,
            "post_id": post.id,
            "author_id": post.account_id,
            "reblog_of_id": post.reblog_of_id,
        }
        session.execute(_add_statement(session.get_bind().dialect.name), params)
        readers_changed(session, reader_ids)

    def fan_out(
        self, session: Session, post: Post, *, followers: bool = True, after: int | None = None
    ) -> int | None:
        if after is None:
            self.add(session, [post.account_id], post)
        if not followers:
            return None
        upper = self._batch_end(session, post.account_id, after)
        in_range = self._follow_range(after, upper)
        rows = select(Follow.account_id.label("account_id"), *_post_columns(post)).where(
            *rules.followers_seeing(post), *in_range, _has_feed(Follow.account_id)
        )
        insert_ignore(session, FeedEntry, rows, keys=KEYS)
        readers_changed_from(
            session,
            select(Follow.account_id).where(
                *rules.followers_seeing(post), *in_range, _has_feed(Follow.account_id)
            ),
        )
        self._trim_where(
            session,
            select(Follow.account_id).where(
                Follow.target_account_id == post.account_id,
                *in_range,
                Follow.account_id % TRIM_SPREAD == post.id % TRIM_SPREAD,
            ),
        )
        return upper

    def merge_author(self, session: Session, reader_id: int, author_id: int) -> None:
        if not self.exists(session, reader_id):
            return
        merged = rules.merge_query(session, reader_id, author_id, self.policy).subquery()
        rows = select(
            literal(reader_id, BigInteger).label("account_id"),
            merged.c.id.label("post_id"),
            merged.c.account_id.label("author_id"),
            merged.c.reblog_of_id.label("reblog_of_id"),
        )
        insert_ignore(session, FeedEntry, rows, keys=KEYS)
        readers_changed(session, [reader_id])
        self.trim(session, [reader_id])

    def backfill_author(self, session: Session, author_id: int, *, after: int | None = None) -> int | None:
        cutoff = rules.backfill_cutoff(session, author_id)
        if cutoff is None:
            return None
        upper = self._batch_end(session, author_id, after)
        pairs = rules.backfill_query(author_id, cutoff, after, upper).subquery()
        rows = select(
            pairs.c.reader_id.label("account_id"),
            pairs.c.id.label("post_id"),
            pairs.c.account_id.label("author_id"),
            pairs.c.reblog_of_id.label("reblog_of_id"),
        ).where(_has_feed(pairs.c.reader_id))
        insert_ignore(session, FeedEntry, rows, keys=KEYS)
        readers_changed_from(session, select(pairs.c.reader_id).distinct())
        in_range = self._follow_range(after, upper)
        self._trim_where(
            session, select(Follow.account_id).where(Follow.target_account_id == author_id, *in_range)
        )
        return upper

    def rebuild(self, session: Session, reader_id: int) -> list[Entry] | None:
        if self.exists(session, reader_id):
            return None
        if session.info.get("writable"):
            return self._rebuild(session, reader_id)
        # A read session never commits: the rebuild is its own short write transaction. Its rows are
        # returned, since a SQLite read transaction keeps the snapshot it started with.
        with self.db.write() as writer:
            return self._rebuild(writer, reader_id)

    def _rebuild(self, session: Session, reader_id: int) -> list[Entry]:
        # INSERT … SELECT inside the write transaction: on SQLite writers take turns, so a fan-out that
        # skipped this (then missing) feed committed its post before this SELECT reads the posts.
        recent = rules.rebuild_query(session, reader_id, self.policy).subquery()
        rows = select(
            literal(reader_id, BigInteger).label("account_id"),
            recent.c.id.label("post_id"),
            recent.c.account_id.label("author_id"),
            recent.c.reblog_of_id.label("reblog_of_id"),
        )
        insert_ignore(session, FeedEntry, rows, keys=KEYS)
        # The feed exists now even if it holds no post (a reader who follows only big accounts, a
        # newcomer): without this marker every read of it would rebuild it, in a write transaction.
        marker = {"account_id": reader_id, "post_id": EXISTS_MARKER, "author_id": reader_id}
        insert_ignore(session, FeedEntry, [marker], keys=KEYS)
        entries = session.execute(
            select(FeedEntry.post_id, FeedEntry.reblog_of_id)
            .where(FeedEntry.account_id == reader_id, FeedEntry.post_id != EXISTS_MARKER)
            .order_by(FeedEntry.post_id.desc())
            .limit(self.policy.cap)
        ).all()
        return [Entry(r.post_id, r.reblog_of_id) for r in entries]

    def remove_posts(self, session: Session, post_ids: list[int], author_ids: list[int]) -> None:
        # One indexed DELETE in the caller's transaction: nothing is left for later.
        session.execute(delete(FeedEntry).where(FeedEntry.post_id.in_(post_ids)))

    def sweep(
        self, session: Session, post_ids: list[int], author_ids: list[int], *, after: int | None = None
    ) -> tuple[list[int], int | None] | None:
        return None  # remove_posts left nothing to do

    def remove_author(
        self, session: Session, reader_id: int, author_id: int, *, reposts_only: bool = False
    ) -> None:
        mine = FeedEntry.account_id == reader_id
        if reposts_only:
            which = (FeedEntry.author_id == author_id) & FeedEntry.reblog_of_id.is_not(None)
        else:
            # The author's entries, and others' replies to the author (shown only to those following both).
            reply = exists().where(Post.id == FeedEntry.post_id, Post.in_reply_to_account_id == author_id)
            which = or_(FeedEntry.author_id == author_id, (FeedEntry.author_id != reader_id) & reply)
        session.execute(delete(FeedEntry).where(mine, which))

    def page(self, session: Session, reader_id: int, page: Page) -> FeedPage | None:
        # One query: the window, each row carrying the feed's horizon (computed once by the database).
        params = {"reader": reader_id, "last": self.policy.cap - 1, **bound(page)}
        rows = newest_first(_page_statement(shape(page)).all(session, params), page)
        if rows:
            return FeedPage([Entry(r.post_id, r.reblog_of_id) for r in rows], rows[0].horizon)
        horizon = _hot_horizon().first(session, params)
        horizon = horizon[0] if horizon is not None else None
        if horizon is None and not self.exists(session, reader_id):
            return None
        return FeedPage([], horizon)

    def trim(self, session: Session, reader_ids: list[int]) -> None:
        self._trim_where(session, select(Account.id).where(Account.id.in_(reader_ids)))

    def close(self) -> None:
        pass

    def _trim_where(self, session: Session, readers: Select[Any]) -> None:
        """Delete the entries beyond the cap of the feeds of ``readers`` (a SELECT of account ids)."""
        ranked = (
            select(
                FeedEntry.account_id,
                FeedEntry.post_id,
                func.row_number()
                .over(partition_by=FeedEntry.account_id, order_by=FeedEntry.post_id.desc())
                .label("rank"),
            )
            .where(FeedEntry.account_id.in_(readers))
            .subquery()
        )
        beyond = select(ranked.c.account_id, ranked.c.post_id).where(ranked.c.rank > self.policy.cap)
        session.execute(delete(FeedEntry).where(tuple_(FeedEntry.account_id, FeedEntry.post_id).in_(beyond)))

    def _batch_end(self, session: Session, author_id: int, after: int | None) -> int | None:
        """The follow id closing the batch of ``author_id``'s follows after ``after`` (the batch_size-th),
        or None when this is the last batch (it then takes every follow after ``after``)."""
        query = select(Follow.id).where(Follow.target_account_id == author_id)
        if after is not None:
            query = query.where(Follow.id > after)
        # One past the batch too: a batch that ends exactly at the last follow needs no empty successor.
        ends = session.scalars(query.order_by(Follow.id).offset(self.policy.batch_size - 1).limit(2)).all()
        return ends[0] if len(ends) == 2 else None

    @staticmethod
    def _follow_range(lower: int | None, upper: int | None) -> list[ColumnElement[bool]]:
        conditions = []
        if lower is not None:
            conditions.append(Follow.id > lower)
        if upper is not None:
            conditions.append(Follow.id <= upper)
        return conditions


# The read path's statements, built once (see gazouillis.pagination.apply_bound).
FEED = FeedEntry.__table__


@cache
def _horizon_statement() -> Select[Any]:
    """The oldest entry a capped feed keeps (None while the feed holds fewer than ``cap``)."""
    return (
        select(FEED.c.post_id)
        .where(FEED.c.account_id == bindparam("reader"), FEED.c.post_id != EXISTS_MARKER)
        .order_by(FEED.c.post_id.desc())
        .offset(bindparam("last"))
        .limit(1)
    )


@cache
def _page_statement(page_shape: Shape) -> HotStatement:
    horizon = _horizon_statement().scalar_subquery()
    query = select(FEED.c.post_id, FEED.c.reblog_of_id, horizon.label("horizon")).where(
        FEED.c.account_id == bindparam("reader"),
        FEED.c.post_id >= func.coalesce(horizon, 0),
        FEED.c.post_id != EXISTS_MARKER,
    )
    return HotStatement(apply_bound(query, FEED.c.post_id, page_shape))


@cache
def _hot_horizon() -> HotStatement:
    return HotStatement(_horizon_statement())
