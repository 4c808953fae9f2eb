"""The events bus across processes: two buses stand for two processes sharing Redis or PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import redis

from gazouillis.events import Event, LocalBus
from gazouillis.events.relay import PostgresBus, RedisBus, RelayBus, bus_for
from gazouillis.storage import Database


class Inbox:
    def __init__(self) -> None:
        self.events: list[Event] = []
        self.lock = threading.Lock()

    def __call__(self, event: Event) -> None:
        with self.lock:
            self.events.append(event)

    def wait(self, count: int, timeout: float = 10.0) -> list[Event]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.events) < count:
            time.sleep(0.02)
        return list(self.events)


def pair(make: type[RelayBus], url: str) -> Iterator[tuple[RelayBus, RelayBus]]:
    a, b = make(url), make(url)  # type: ignore[call-arg]
    a.start()
    b.start()
    time.sleep(0.7)  # both receivers subscribed
    yield a, b
    a.close()
    b.close()


def exchange(a: RelayBus, b: RelayBus) -> None:
    inbox_a, inbox_b = Inbox(), Inbox()
    a.subscribe(inbox_a)
    b.subscribe(inbox_b)
    a.publish(Event("update", {"post_id": 1, "account_id": 2}))
    assert [e.data for e in inbox_b.wait(1)] == [{"post_id": 1, "account_id": 2}]
    time.sleep(0.3)
    assert [e.name for e in inbox_a.events] == ["update"]  # delivered at once, and never twice


@pytest.fixture
def redis_pair(redis_url: str) -> Iterator[tuple[RelayBus, RelayBus]]:
    yield from pair(RedisBus, redis_url)


def test_redis_bus_crosses_processes_once(redis_pair: tuple[RelayBus, RelayBus]) -> None:
    exchange(*redis_pair)


def test_redis_bus_reconnects_after_losing_its_connection(
    redis_pair: tuple[RelayBus, RelayBus], redis_url: str
) -> None:
    a, b = redis_pair
    assert isinstance(b, RedisBus)
    admin = redis.Redis.from_url(redis_url)
    try:  # what a Redis restart does to b: its connections drop (only b's: the server is shared)
        killed = 0
        for client in admin.client_list():
            if client.get("name") == b.client_name:
                admin.execute_command("CLIENT", "KILL", "ID", client["id"])
                killed += 1
    finally:
        admin.close()
    assert killed >= 1
    inbox = Inbox()
    b.subscribe(inbox)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not inbox.events:
        a.publish(Event("delete", {"post_id": 5}))
        time.sleep(0.3)
    assert inbox.events and inbox.events[0].data == {"post_id": 5}


def test_postgres_bus_crosses_processes_once(db: Database) -> None:
    if db.is_sqlite:
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    for a, b in pair(PostgresBus, db.url):
        exchange(a, b)


def test_sqlite_without_redis_stays_in_process(db: Database) -> None:
    bus = bus_for(db, "")
    assert type(bus) is (LocalBus if db.is_sqlite else PostgresBus)
    bus.close()


def test_publishing_never_waits_for_an_unreachable_broker() -> None:
    bus = RedisBus("redis://127.0.0.1:1/0")  # nothing listens there
    bus.start()
    inbox = Inbox()
    bus.subscribe(inbox)
    started = time.monotonic()
    for i in range(100):
        bus.publish(Event("update", {"post_id": i}))
    assert time.monotonic() - started < 0.5
    assert len(inbox.events) == 100  # this process's listeners still hear everything
    bus.close()
