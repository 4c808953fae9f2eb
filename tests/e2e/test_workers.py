"""Real ``gazouillis worker`` processes: killed mid-job, racing each other, and woken from elsewhere."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, insert, select

from gazouillis.accounts.tables import Account
from gazouillis.config import Settings
from gazouillis.graph.tables import Follow
from gazouillis.ids import new_id
from gazouillis.jobs import wakeup
from gazouillis.jobs.tables import Job
from gazouillis.posts.service import Draft, Rules, create_post
from gazouillis.storage import Database
from gazouillis.timelines.feeds import attach_from_settings
from gazouillis.timelines.feeds.base import Entry
from gazouillis.timelines.feeds.redis import feed_key, pack, unpack
from gazouillis.timelines.tables import FeedEntry
from tests.e2e.conftest import Child, wait_for

RULES = Rules(max_length=500, base_url="http://testserver")
DONE = re.compile(r"job (\d+) done")
# Followers per fan-out job of these workers (GAZOUILLIS_FANOUT_BATCH_SIZE).
BATCH = 5_000
# A post in every follower's feed before the test, so that their feeds exist and are fanned out to.
EARLIER_POST = 1 << 40


@dataclass
class Worker(Child):
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = field(default=None)
    stop_seconds = 15

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gazouillis", "worker"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def done(self) -> list[int]:
        """The ids of the jobs this worker finished, from its log (one line each)."""
        return [int(m) for m in DONE.findall(self.log.read_text())]

    def started(self) -> bool:
        return "job runner started" in self.log.read_text()


@pytest.fixture(params=["database", "redis"])
def wake_via(request: pytest.FixtureRequest) -> str:
    """How workers are woken and where feeds live: the database alone, or Redis for both."""
    return str(request.param)


@pytest.fixture
def instance(
    wake_via: str, request: pytest.FixtureRequest, database_url: str, server_env: dict[str, str]
) -> Iterator[tuple[Settings, Database, dict[str, str]]]:
    """This process's side of an instance (settings, a database with its feed store and wake-up
    attached), and the environment of its workers."""
    env = server_env | {
        "GAZOUILLIS_FANOUT_THRESHOLD": "1000000",
        "GAZOUILLIS_FANOUT_BATCH_SIZE": str(BATCH),
        "GAZOUILLIS_LOG_LEVEL": "INFO",
    }
    if wake_via == "redis":
        redis_url = request.getfixturevalue("redis_url")
        env |= {"GAZOUILLIS_REDIS_URL": redis_url, "GAZOUILLIS_FEED_STORE": "redis"}
    settings = Settings(
        database_url=database_url,
        redis_url=env.get("GAZOUILLIS_REDIS_URL", ""),
        feed_store="redis" if wake_via == "redis" else "sql",
        fanout_threshold=1_000_000,
        fanout_batch_size=BATCH,
    )
    db = Database(database_url)
    store = attach_from_settings(db, settings)
    wakeup.attach(db, wakeup.from_settings(db, settings))
    yield settings, db, env
    store.close()
    wakeup.attached(db).close()
    db.dispose()


@pytest.fixture
def workers() -> Iterator[list[Worker]]:
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.stop()


def _soon(predicate: Callable[[], bool], timeout: float) -> bool:
    """Like ``wait_for``, polling every 2 ms: fast enough to catch a job while it runs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.002)
    return False


def _spawn(workers: list[Worker], env: dict[str, str], log: Path, **extra: str) -> Worker:
    worker = Worker(env | extra, log)
    worker.start()
    workers.append(worker)
    return worker


def _author_with_followers(db: Database, settings: Settings, count: int) -> tuple[int, list[int]]:
    """Bulk-load an author, ``count`` followers and a feed for each; returns their ids."""
    author, followers = new_id(), [new_id() for _ in range(count)]
    with db.write() as session:
        session.execute(
            insert(Account),
            [{"id": author, "username": "author", "username_key": "author", "followers_count": count}]
            + [
                {"id": f, "username": f"f{f}", "username_key": f"f{f}", "following_count": 1}
                for f in followers
            ],
        )
        session.execute(
            insert(Follow),
            [{"id": new_id(), "account_id": f, "target_account_id": author} for f in followers],
        )
        if settings.feed_store == "sql":
            session.execute(
                insert(FeedEntry),
                [{"account_id": f, "post_id": EARLIER_POST, "author_id": f} for f in followers],
            )
    if settings.feed_store == "redis":
        client = redis.Redis.from_url(settings.redis_url)
        with client.pipeline(transaction=False) as pipe:
            for f in followers:
                pipe.set(feed_key(f), pack([Entry(EARLIER_POST)]))
            pipe.execute()
        client.close()
    return author, followers


def _post(db: Database, author: int, text: str) -> int:
    with db.write() as session:
        return create_post(session, author_id=author, draft=Draft(text=text), rules=RULES).id


def _jobs(db: Database) -> list[Job]:
    with db.read() as session:
        return list(session.scalars(select(Job)))


def _copies_per_follower(
    db: Database, settings: Settings, followers: list[int], post_id: int
) -> Counter[int]:
    """How many times the post is in each follower's feed: the Counter of those counts."""
    if settings.feed_store == "sql":
        with db.read() as session:
            rows = session.execute(
                select(FeedEntry.account_id, func.count())
                .where(FeedEntry.post_id == post_id, FeedEntry.account_id.in_(followers))
                .group_by(FeedEntry.account_id)
            ).all()
        found = dict(rows)  # type: ignore[arg-type]
        return Counter(found.get(f, 0) for f in followers)
    client = redis.Redis.from_url(settings.redis_url)
    blobs = client.mget([feed_key(f) for f in followers])
    client.close()
    return Counter(sum(e.post_id == post_id for e in unpack(blob or b"")) for blob in blobs)


def test_kill_9_in_the_middle_of_a_fan_out_loses_and_repeats_nothing(
    instance: tuple[Settings, Database, dict[str, str]], workers: list[Worker], tmp_path: Path
) -> None:
    settings, db, env = instance
    author, followers = _author_with_followers(db, settings, 20_000)
    post_id = _post(db, author, "to twenty thousand followers")
    [job] = _jobs(db)
    batch = BATCH  # the workers' FeedPolicy: four batches, one job each
    assert len(followers) == 4 * batch

    first = _spawn(workers, env, tmp_path / "first.log", GAZOUILLIS_JOB_LEASE_SECONDS="2")
    # Each batch commits with the job of the next one: kill once a later batch's job is under way.
    assert _soon(lambda: any(j.locked_by and j.payload.get("after") for j in _jobs(db)), 30)
    first.kill()
    # Killed mid fan-out: one job is left, a later batch's (its cursor says where to go on from).
    [left] = _jobs(db)
    assert left.kind == "fanout.post" and left.payload["after"] is not None, first.log.read_text()[-2000:]
    assert job.id in first.done() and left.id not in first.done()
    # Whole batches, in follow order, were delivered and committed before the kill; with Redis (written
    # as the job goes) the batch under way may have reached some followers too.
    delivered = _copies_per_follower(db, settings, followers, post_id)[1]
    assert batch <= delivered < len(followers)
    if settings.feed_store == "sql":
        assert delivered % batch == 0
        assert _copies_per_follower(db, settings, followers[:delivered], post_id) == Counter({1: delivered})

    second = _spawn(workers, env, tmp_path / "second.log", GAZOUILLIS_JOB_LEASE_SECONDS="2")
    assert wait_for(lambda: not _jobs(db), 30), second.log.read_text()[-2000:]
    # It went on from the cursor: every batch's job finished once, by one worker or the other. The first
    # finished the jobs before `left`; a kill that lands between a job's commit and its log line takes
    # that line with it, so the log may name one job fewer than the first committed, never more.
    first_done, second_done = first.done(), second.done()
    assert second_done[0] == left.id and len(set(second_done)) == len(second_done)
    assert not set(first_done) & set(second_done)
    committed_by_first = 4 - len(second_done)
    assert committed_by_first - len(first_done) in (0, 1), (first_done, second_done)
    if settings.feed_store == "sql":  # each committed job delivered its whole batch, and no more
        assert delivered == committed_by_first * batch
    assert _copies_per_follower(db, settings, followers, post_id) == Counter({1: len(followers)})


def test_two_workers_never_run_the_same_job(
    instance: tuple[Settings, Database, dict[str, str]], workers: list[Worker], tmp_path: Path
) -> None:
    settings, db, env = instance
    author, followers = _author_with_followers(db, settings, 3)
    pair = [_spawn(workers, env, tmp_path / f"worker{n}.log") for n in range(2)]
    assert wait_for(lambda: all(w.started() for w in pair), 30)

    # Both idle, then 300 fan-out jobs at once: both are woken and race for them.
    with db.write() as session:
        posts = [
            create_post(session, author_id=author, draft=Draft(text=f"post {n}"), rules=RULES).id
            for n in range(300)
        ]
        session.flush()
        enqueued = set(session.scalars(select(Job.id)))
    assert len(enqueued) == 300
    assert wait_for(lambda: not _jobs(db), 60)

    runs = [w.done() for w in pair]
    assert all(runs), f"one worker ran every job ({[len(r) for r in runs]}): nothing raced"
    assert Counter(runs[0] + runs[1]) == Counter(dict.fromkeys(enqueued, 1))
    for post_id in (posts[0], posts[-1]):
        assert _copies_per_follower(db, settings, followers, post_id) == Counter({1: len(followers)})


def test_an_idle_worker_is_woken_by_a_post_from_another_process(
    instance: tuple[Settings, Database, dict[str, str]], workers: list[Worker], tmp_path: Path
) -> None:
    settings, db, env = instance
    author, followers = _author_with_followers(db, settings, 3)
    # It would look for jobs on its own only once an hour: each job below runs because it was woken.
    worker = _spawn(workers, env, tmp_path / "worker.log", GAZOUILLIS_JOB_POLL_SECONDS="3600")
    assert wait_for(worker.started, 30)
    for n in range(3):
        post_id = _post(db, author, f"wake up {n}")
        assert wait_for(lambda: not _jobs(db), 5), (
            f"job {n} was not picked up: {worker.log.read_text()[-2000:]}"
        )
        assert _copies_per_follower(db, settings, followers, post_id) == Counter({1: len(followers)})
    assert len(worker.done()) == 3


@pytest.mark.parametrize("setting, lowered_by", [(None, 10), ("0", 0), ("5", 5)])
def test_a_worker_lowers_its_cpu_priority_below_the_web_processes(
    server_env: dict[str, str], workers: list[Worker], tmp_path: Path, setting: str | None, lowered_by: int
) -> None:
    # On a shared machine the web processes answering requests go first; fan-outs take what is left.
    extra = {"GAZOUILLIS_LOG_LEVEL": "INFO"} | ({"GAZOUILLIS_WORKER_NICE": setting} if setting else {})
    worker = _spawn(workers, server_env, tmp_path / "worker.log", **extra)
    assert wait_for(worker.started, 30), worker.log.read_text()[-2000:]
    assert worker.process is not None
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    assert os.getpriority(os.PRIO_PROCESS, worker.process.pid) == min(19, ours + lowered_by)
