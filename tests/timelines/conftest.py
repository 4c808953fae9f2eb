"""Feed-store fixtures: every test here runs on the SQL and the Redis back-end (over SQLite and PostgreSQL).

``World`` drives the domain functions directly (no HTTP): accounts are plain rows, so a test can build
thousands of them, and everything else goes through the same functions the API calls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from sqlalchemy import delete, insert, select

import gazouillis.timelines.fanout  # noqa: F401  (registers the feed job handlers)
from gazouillis.accounts.tables import Account
from gazouillis.errors import DomainError
from gazouillis.graph import service as graph
from gazouillis.ids import new_id
from gazouillis.jobs.queue import run_pending
from gazouillis.jobs.tables import Job
from gazouillis.pagination import Page
from gazouillis.posts import interactions
from gazouillis.posts.service import Draft, Rules, create_post, delete_post
from gazouillis.storage import Database
from gazouillis.timelines import feeds
from gazouillis.timelines import service as timelines
from gazouillis.timelines.feeds import FeedPolicy, FeedStore
from gazouillis.timelines.feeds.redis import RedisFeedStore, feed_key
from gazouillis.timelines.feeds.sql import SqlFeedStore
from gazouillis.timelines.tables import FeedEntry

RULES = Rules(max_length=280, base_url="http://testserver")


@pytest.fixture(params=["sql", "redis"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def use_store(
    db: Database, backend: str, request: pytest.FixtureRequest
) -> Iterator[Callable[..., FeedStore]]:
    """Attach to ``db`` a feed store of the test's back-end with the given policy, and return it."""
    made: list[FeedStore] = []

    def use(**policy: Any) -> FeedStore:
        chosen = FeedPolicy(**policy)
        if backend == "redis":
            url = request.getfixturevalue("redis_url")
            store: FeedStore = RedisFeedStore(redis.Redis.from_url(url), chosen)
        else:
            store = SqlFeedStore(db, chosen)
        made.append(store)
        return feeds.attach(db, store)

    yield use
    for store in made:
        store.close()


@pytest.fixture
def store(use_store: Callable[..., FeedStore]) -> FeedStore:
    return use_store()


class World:
    """A small community on ``db``, driven through the domain functions."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def store(self) -> FeedStore:
        with self.db.read() as session:
            return feeds.feeds_of(session)

    def accounts(self, count: int, prefix: str = "u") -> list[int]:
        ids = [new_id() for _ in range(count)]
        rows = [
            {"id": i, "username": f"{prefix}{n}", "username_key": f"{prefix}{n}"} for n, i in enumerate(ids)
        ]
        with self.db.write() as session:
            session.execute(insert(Account), rows)
        return ids

    def follow(self, reader: int, author: int, *, reblogs: bool = True) -> None:
        with self.db.write() as session:
            graph.follow(session, follower_id=reader, target_id=author, reblogs=reblogs)

    def unfollow(self, reader: int, author: int) -> None:
        with self.db.write() as session:
            graph.unfollow(session, follower_id=reader, target_id=author)

    def post(self, author: int, text: str = "hello", **draft: Any) -> int:
        with self.db.write() as session:
            return create_post(session, author_id=author, draft=Draft(text=text, **draft), rules=RULES).id

    def repost(self, who: int, post_id: int) -> int:
        with self.db.write() as session:
            return interactions.reblog(session, viewer_id=who, post_id=post_id).id

    def delete(self, author: int, post_id: int) -> None:
        with self.db.write() as session:
            delete_post(session, viewer_id=author, post_id=post_id)

    def attempt(self, action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run an action a member might be refused (replying to a post they cannot see…); None if so."""
        try:
            return action(*args, **kwargs)
        except DomainError:
            return None

    def drain(self) -> None:
        run_pending(self.db)
        with self.db.read() as session:
            errors = session.scalars(select(Job.last_error).where(Job.last_error.is_not(None))).all()
        assert not errors, errors[0]

    def home(self, reader: int, **cursor: Any) -> list[int]:
        with self.db.read() as session:
            return [v.post.id for v in timelines.home(session, viewer_id=reader, page=Page(**cursor))]

    def walk(self, reader: int, limit: int) -> list[int]:
        """Every page of the reader's home timeline, following ``max_id`` as a client does."""
        seen: list[int] = []
        cursor: int | None = None
        while True:
            page = self.home(reader, limit=limit, max_id=cursor)
            assert len(page) <= limit
            if not page:
                return seen
            seen.extend(page)
            cursor = page[-1]

    def feed(self, reader: int) -> list[int] | None:
        """The post ids the store holds for ``reader`` (None: no feed)."""
        with self.db.read() as session:
            window = self.store.page(session, reader, Page(limit=100_000))
        return None if window is None else [e.post_id for e in window.entries]

    def drop_feed(self, reader: int) -> None:
        """Lose a feed, as when it expires in Redis (or an operator empties the table)."""
        store = self.store
        if isinstance(store, RedisFeedStore):
            store.client.delete(feed_key(reader))
        else:
            with self.db.write() as session:
                session.execute(delete(FeedEntry).where(FeedEntry.account_id == reader))

    def open_feeds(self, *readers: int) -> list[int]:
        """Give readers a feed now, so fan-out reaches them: each posts once and reads their timeline
        (a feed that would be empty does not exist in SQL). Returns those posts."""
        posts = [self.post(reader, "first") for reader in readers]
        for reader in readers:
            self.home(reader)
        return posts


@pytest.fixture
def world(db: Database, store: FeedStore) -> World:
    return World(db)
