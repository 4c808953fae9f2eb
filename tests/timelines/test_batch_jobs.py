"""Batched feed jobs: one batch per job and transaction, each committed with the job of the next batch.

Jobs are run one at a time here (``claim`` then ``run_job``, as a runner does), so a test can look at
what each batch committed, and write from elsewhere between two batches.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select, update

from gazouillis.jobs.queue import claim, run_job
from gazouillis.jobs.tables import Job
from gazouillis.storage import Database, utcnow
from gazouillis.timelines.feeds import FeedStore
from tests.timelines.conftest import World


def run_one(db: Database, *, ok: bool = True) -> Job | None:
    """Claim the next due job and run it in its own transaction; None when no job is due."""
    jobs = claim(db, limit=1)
    if not jobs:
        return None
    assert run_job(db, jobs[0]) is ok, jobs[0].kind
    return jobs[0]


def run_all(db: Database) -> list[Job]:
    """Run the due jobs one by one until none is left; the jobs run, in order."""
    done = []
    while job := run_one(db):
        done.append(job)
    return done


def pending(db: Database) -> list[tuple[str, dict[str, Any]]]:
    with db.read() as session:
        return [(j.kind, j.payload) for j in session.scalars(select(Job).order_by(Job.id))]


def reached(world: World, readers: list[int], post_id: int) -> int:
    """How many of ``readers`` have ``post_id`` in their feed (never twice: asserted)."""
    counts = Counter((world.feed(r) or []).count(post_id) for r in readers)
    assert set(counts) <= {0, 1}, counts
    return counts[1]


def community(world: World, followers: int, *, no_reblogs: int = 0) -> tuple[int, list[int]]:
    """An author and ``followers`` followers, each with a feed (the first ``no_reblogs`` with the author's
    reposts turned off); every job done."""
    author, *readers = world.accounts(followers + 1)
    world.open_feeds(author, *readers)
    for n, reader in enumerate(readers):
        world.follow(reader, author, reblogs=n >= no_reblogs)
    world.drain()
    return author, readers


def test_a_fan_out_runs_one_batch_per_job(world: World, use_store: Callable[..., FeedStore]) -> None:
    use_store(batch_size=4, threshold=10**9)
    author, readers = community(world, 10, no_reblogs=3)
    post = world.post(author, "to ten followers")
    progress = []
    while job := run_one(world.db):
        assert job.kind == "fanout.post" and job.payload["post_id"] == post
        # The batch is committed, and so is the job of the next one (none after the last).
        progress.append(reached(world, readers, post))
        left = pending(world.db)
        if progress[-1] < len(readers):
            [(kind, payload)] = left
            assert kind == "fanout.post" and payload["post_id"] == post and payload["after"] is not None
        else:
            assert left == []
    assert progress == [4, 8, 10]  # three jobs: four followers each, two for the last
    assert (world.feed(author) or [None])[0] == post

    # A repost skips the three who turned the author's reposts off; the other seven get it, once.
    original = world.post(readers[0], "worth sharing")
    world.drain()
    repost = world.repost(author, original)
    jobs = run_all(world.db)
    assert len(jobs) > 1 and {j.kind for j in jobs} == {"fanout.post"}
    assert reached(world, readers[:3], repost) == 0
    assert reached(world, readers[3:], repost) == 7


def test_a_fan_out_to_a_multiple_of_the_batch_size_needs_no_empty_last_job(
    world: World, use_store: Callable[..., FeedStore]
) -> None:
    use_store(batch_size=4, threshold=10**9)
    author, readers = community(world, 8)
    post = world.post(author)
    assert len(run_all(world.db)) == 2
    assert reached(world, readers, post) == 8


def test_a_failed_batch_runs_again_and_delivers_once(
    world: World, use_store: Callable[..., FeedStore], backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = use_store(batch_size=4, threshold=10**9)
    author, readers = community(world, 10)
    post = world.post(author, "to ten followers")
    run_one(world.db)
    # The second batch fails after its writes (which Redis made at once), before its commit.
    real = store.fan_out

    def failing(*args: Any, **kwargs: Any) -> int | None:
        real(*args, **kwargs)
        raise RuntimeError("crash")

    monkeypatch.setattr(store, "fan_out", failing)
    run_one(world.db, ok=False)
    monkeypatch.undo()
    # Rolled back with its successor (Redis feeds keep its writes): the second batch's job is left.
    assert reached(world, readers, post) == (8 if backend == "redis" else 4)
    [(kind, payload)] = pending(world.db)
    assert kind == "fanout.post" and payload["after"] is not None
    with world.db.write() as session:  # due again now rather than after its back-off
        session.execute(update(Job).values(run_at=utcnow()))
    assert len(run_all(world.db)) == 2
    assert reached(world, readers, post) == 10  # everyone, and no one twice (asserted by reached)


def test_other_writers_commit_between_the_batches_of_a_fan_out(
    world: World, use_store: Callable[..., FeedStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    if not world.db.is_sqlite:
        pytest.skip("SQLite's single writer lock; PostgreSQL has no such lock")
    store = use_store(batch_size=4, threshold=10**9)
    author, readers = community(world, 10)
    path = world.db.write_engine.url.database
    assert path

    def can_write() -> bool:
        """Whether another connection can start a write transaction now, without waiting for it."""
        conn = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError as error:
            assert "locked" in str(error)
            return False
        finally:
            conn.close()

    # Inside a batch the job's transaction holds the lock (the probe is meaningful)…
    during: list[bool] = []
    real = store.fan_out

    def probing(*args: Any, **kwargs: Any) -> int | None:
        cursor = real(*args, **kwargs)
        during.append(can_write())
        return cursor

    monkeypatch.setattr(store, "fan_out", probing)
    post = world.post(author, "to ten followers")
    assert run_one(world.db) is not None
    assert during == [False]
    # …and between batches nobody holds it: another writer commits before the fan-out goes on.
    assert can_write()
    assert 0 < reached(world, readers, post) < len(readers)
    meanwhile = world.post(readers[0], "while the fan-out is under way")
    assert (world.feed(readers[0]) or [None])[0] == meanwhile
    run_all(world.db)
    assert during == [False] * 4  # the fan-out's other two batches, and the new post's (no followers)
    assert reached(world, readers, post) == len(readers)


def test_a_backfill_runs_one_batch_per_job(world: World, use_store: Callable[..., FeedStore]) -> None:
    use_store(batch_size=3, threshold=10)
    author, readers = community(world, 10)  # ten followers: at the threshold, not fanned out
    posts = [world.post(author, f"while big {n}") for n in range(2)]
    world.drain()
    assert all(reached(world, readers, p) == 0 for p in posts)
    world.unfollow(readers.pop(), author)  # nine: below the threshold, a backfill is enqueued
    progress = []
    while job := run_one(world.db):
        assert job.kind == "feed.backfill"
        progress.append([reached(world, readers, p) for p in posts])
    assert progress == [[3, 3], [6, 6], [9, 9]]


def test_a_sweep_runs_one_batch_per_job(
    world: World, use_store: Callable[..., FeedStore], backend: str
) -> None:
    use_store(batch_size=3, threshold=10**9)
    author, readers = community(world, 5)
    # Two reposters with two followers each (among the author's): nine follows to sweep in all.
    reposters = readers[:2]
    for reposter in reposters:
        for reader in readers[2:4]:
            world.follow(reader, reposter)
    world.drain()
    post = world.post(author, "soon gone")
    world.drain()
    reposts = [world.repost(r, post) for r in reposters]
    world.drain()
    gone = [post, *reposts]
    assert all(reached(world, readers, p) > 0 for p in gone)
    world.delete(author, post)
    jobs = run_all(world.db)
    if backend == "redis":  # the authors' feeds at once, their followers' by sweep jobs
        assert [j.kind for j in jobs] == ["feed.sweep"] * 3
    else:  # one DELETE when the post was deleted
        assert jobs == []
    assert all(reached(world, [author, *readers], p) == 0 for p in gone)
