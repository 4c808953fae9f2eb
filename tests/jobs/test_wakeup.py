"""Runners are woken when another process's transaction that enqueued jobs commits, whatever the set-up."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import psycopg
import pytest
from sqlalchemy import insert, update
from sqlalchemy.engine import make_url

from gazouillis.jobs import queue, wakeup
from gazouillis.jobs.tables import Job
from gazouillis.storage import Database, utcnow


@pytest.fixture(params=["database", "redis"])
def mechanism(request: pytest.FixtureRequest, db: Database) -> Iterator[wakeup.Wakeup]:
    """The database's own wake-up (NOTIFY or data_version), or Redis pub/sub."""
    if request.param == "redis":
        made: wakeup.Wakeup = wakeup.RedisWakeup(request.getfixturevalue("redis_url"))
    else:
        made = wakeup.for_database(db)
    yield made
    made.close()


@pytest.fixture
def elsewhere(database_url: str, mechanism: wakeup.Wakeup) -> Iterator[Database]:
    """Another process's view of the database: its own engine and connections, the same wake-up."""
    other = Database(database_url, pool_size=2)
    wakeup.attach(other, mechanism)
    yield other
    other.dispose()


@pytest.fixture
def woken(mechanism: wakeup.Wakeup) -> Iterator[threading.Event]:
    """Set whenever the listener is woken; cleared once the listener has started."""
    event = threading.Event()
    listener = mechanism.listen(event.set)
    assert event.wait(10), "a listener looks once when it starts"
    event.clear()
    yield event
    listener.stop()


def test_a_commit_elsewhere_wakes_and_a_rollback_does_not(
    elsewhere: Database, woken: threading.Event
) -> None:
    with pytest.raises(ZeroDivisionError), elsewhere.write() as session:
        queue.enqueue(session, "fanout.post", {"post_id": 1})
        1 / 0  # noqa: B018
    assert not woken.wait(0.5)
    with elsewhere.write() as session:
        queue.enqueue(session, "fanout.post", {"post_id": 1})
    assert woken.wait(5)


def test_a_listener_reconnects_after_losing_its_connection(
    mechanism: wakeup.Wakeup, elsewhere: Database, woken: threading.Event
) -> None:
    if isinstance(mechanism, wakeup.RedisWakeup):
        db = str(mechanism.client.connection_pool.connection_kwargs.get("db", 0))
        ours = [  # this test's listener: other instances (a benchmark…) may use other databases
            c["id"]
            for c in mechanism.client.client_list(_type="pubsub")
            if c["name"] == "gazouillis-jobs" and c["db"] == db
        ]
        assert len(ours) == 1
        mechanism.client.client_kill_filter(_id=ours[0])
    elif isinstance(mechanism, wakeup.PostgresWakeup):
        url = make_url(elsewhere.url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(url, autocommit=True) as conn:
            killed = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND query = %s",
                (f"LISTEN {wakeup.CHANNEL}",),
            ).fetchall()
        assert killed == [(True,)]
    else:
        pytest.skip("SQLite's listener reads a local file: there is no connection to lose")
    assert woken.wait(10), "reconnecting looks once, since wake-ups may have been missed"
    woken.clear()
    with elsewhere.write() as session:
        queue.enqueue(session, "fanout.post", {"post_id": 1})
    assert woken.wait(5)


def test_has_due_sees_only_jobs_a_runner_may_claim(db: Database) -> None:
    assert not queue.has_due(db)
    now = utcnow()
    with db.write() as session:
        session.execute(
            insert(Job),
            [
                {"id": 1, "kind": "k", "payload": {}, "run_at": now + timedelta(minutes=1)},
                {"id": 2, "kind": "k", "payload": {}, "run_at": now, "dead": True},
                {
                    "id": 3,
                    "kind": "k",
                    "payload": {},
                    "run_at": now,
                    "locked_until": now + timedelta(minutes=1),
                },
            ],
        )
    assert not queue.has_due(db)
    with db.write() as session:
        session.execute(update(Job).where(Job.id == 3).values(locked_until=now))  # its runner died
    assert queue.has_due(db)


def test_redis_wakeups_of_instances_on_other_databases_keep_apart(redis_url: str) -> None:
    other = redis_url.rsplit("/", 1)[0] + "/14"
    a, b = wakeup.RedisWakeup(redis_url), wakeup.RedisWakeup(other)
    try:
        assert a.channel != b.channel
    finally:
        a.close()
        b.close()


def test_a_failing_publish_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    broken = wakeup.RedisWakeup("redis://127.0.0.1:1/0")
    try:
        broken._publish()
    finally:
        broken.close()
    assert "could not publish a job wake-up" in caplog.text
