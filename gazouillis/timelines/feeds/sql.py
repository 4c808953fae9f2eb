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


def _delivery(dialect: str, readers: Any, *where: Any, lists: tuple[str, ...] = ()) -> HotStatement:
    """A post (``:post_id``, ``:author_id``, ``:reblog_of_id``) into the existing feeds of the ``readers``
    that ``where`` selects, returning the readers whose feed it entered."""
    post = [
        bindparam(name, type_=BigInteger).label(name) for name in ("post_id", "author_id", "reblog_of_id")
    ]
    rows = select(readers.label("account_id"), *post).where(*where, _has_feed(readers))
    statement = insert_ignore_statement(dialect, FeedEntry.__table__, rows, keys=KEYS)
    return HotStatement(statement.returning(FeedEntry.__table__.c.account_id), lists=lists)


@cache
def _add_statement(dialect: str) -> HotStatement:
    """A post into the existing feeds among some readers' (every new post, into its author's): built once,
    the statement cost more to build than to run."""
    accounts = Account.__table__.c
    readers = accounts.id.in_(bindparam("readers", expanding=True))
    return _delivery(dialect, accounts.id, readers, lists=("readers",))


def _follow_range(lower: bool, upper: bool) -> list[ColumnElement[bool]]:
    """The follows of a fan-out batch: after ``:lower`` and up to ``:upper`` (each when given)."""
    follows = Follow.__table__.c
    return [
        *([follows.id > bindparam("lower", type_=BigInteger)] if lower else []),
        *([follows.id <= bindparam("upper", type_=BigInteger)] if upper else []),
    ]


@cache
def _fan_out_statement(dialect: str, audience: rules.Audience, lower: bool, upper: bool) -> HotStatement:
    """A post into the existing feeds of one batch of its author's followers who see it, returning the
    readers it reached; built once per kind of post and batch (building cost more than running)."""
    follows = Follow.__table__.c
    where = (*rules.follower_conditions(audience), *_follow_range(lower, upper))
    return _delivery(dialect, follows.account_id, *where)


@cache
def _fan_out_trim_statement(lower: bool, upper: bool) -> HotStatement:
    """Trim the feeds of the batch's followers whose id is ``:turn`` modulo ``:spread`` (TRIM_SPREAD)."""
    follows = Follow.__table__.c
    readers = select(follows.account_id).where(
        follows.target_account_id == bindparam("author_id", type_=BigInteger),
        *_follow_range(lower, upper),
        follows.account_id % bindparam("spread") == bindparam("turn"),
    )
    return HotStatement(_trim_statement(readers))


@cache
def _reader_trim_statement() -> Any:
    accounts = Account.__table__.c
    return _trim_statement(select(accounts.id).where(accounts.id.in_(bindparam("readers", expanding=True))))


def _trim_statement(readers: Select[Any]) -> Any:
    """Delete the entries beyond ``:cap`` of the feeds of ``readers`` (a SELECT of account ids)."""
    ranked = (
        select(
            FEED.c.account_id,
            FEED.c.post_id,
            func.row_number()
            .over(partition_by=FEED.c.account_id, order_by=FEED.c.post_id.desc())
            .label("rank"),
        )
        .where(FEED.c.account_id.in_(readers))
        .subquery()
    )
    beyond = select(ranked.c.account_id, ranked.c.post_id).where(ranked.c.rank > bindparam("cap"))
    return delete(FEED).where(tuple_(FEED.c.account_id, FEED.c.post_id).in_(beyond))


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
        added = _add_statement(session.get_bind().dialect.name).scalars(session, params)
        readers_changed(session, added)

    def fan_out(
        self, session: Session, post: Post, *, followers: bool = True, after: int | None = None
    ) -> int | None:
        if after is None:
            self.add(session, [post.account_id], post)
        if not followers:
            return None
        upper = self._batch_end(session, post.account_id, after)
        audience, params = rules.followers_seeing(post)
        dialect = session.get_bind().dialect.name
        params.update(reblog_of_id=post.reblog_of_id, lower=after, upper=upper)
        shape = (audience, after is not None, upper is not None)
        # The readers the batch reached, from the insert itself: only feeds that changed are announced.
        reached = _fan_out_statement(dialect, *shape).scalars(session, params)
        readers_changed(session, reached)
        params.update(cap=self.policy.cap, spread=TRIM_SPREAD, turn=post.id % TRIM_SPREAD)
        _fan_out_trim_statement(*shape[1:]).run(session, params)
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
        follows = Follow.__table__.c
        readers = select(follows.account_id).where(
            follows.target_account_id == author_id, *_follow_range(after is not None, upper is not None)
        )
        session.execute(_trim_statement(readers), {"cap": self.policy.cap, "lower": after, "upper": upper})
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
        if page.max_id is None and page.min_id is None and page.limit < self.policy.cap:
            # The newest window, if full, lies above the horizon (the cap-th entry), and no post older
            # than the horizon could be shown with it, merged or not: the horizon, a walk of ``cap``
            # index entries (8 % of a web process's time in the benchmark's mix), is not read.
            newest = _newest_statement(page.since_id is not None).all(
                session, {"reader": reader_id, **bound(page)}
            )
            if len(newest) == page.limit:
                return FeedPage([Entry(r.post_id, r.reblog_of_id) for r in newest])
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
        session.execute(_reader_trim_statement(), {"cap": self.policy.cap, "readers": reader_ids})

    def close(self) -> None:
        pass

    def _batch_end(self, session: Session, author_id: int, after: int | None) -> int | None:
        """The follow id closing the batch of ``author_id``'s follows after ``after`` (the batch_size-th),
        or None when this is the last batch (it then takes every follow after ``after``)."""
        params = {"author_id": author_id, "lower": after, "skip": self.policy.batch_size - 1}
        ends = _batch_end_statement(after is not None).scalars(session, params)
        return ends[0] if len(ends) == 2 else None


@cache
def _batch_end_statement(lower: bool) -> HotStatement:
    follows = Follow.__table__.c
    query = select(follows.id).where(
        follows.target_account_id == bindparam("author_id"), *_follow_range(lower, False)
    )
    # One past the batch too: a batch that ends exactly at the last follow needs no empty successor.
    return HotStatement(query.order_by(follows.id).offset(bindparam("skip")).limit(2))


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
def _newest_statement(since: bool) -> HotStatement:
    query = select(FEED.c.post_id, FEED.c.reblog_of_id).where(
        FEED.c.account_id == bindparam("reader"), FEED.c.post_id != EXISTS_MARKER
    )
    return HotStatement(apply_bound(query, FEED.c.post_id, (False, since, False)))


@cache
def _hot_horizon() -> HotStatement:
    return HotStatement(_horizon_statement())
