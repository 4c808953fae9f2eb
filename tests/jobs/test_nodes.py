"""Id node leases: ids that no two processes can share, leases renewed, and nodes of dead holders reused."""

from __future__ import annotations

import subprocess
import sys
import time
from array import array
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update

from gazouillis import ids
from gazouillis.ids import NODES, IdGenerator, node_of, timestamp_ms
from gazouillis.jobs.nodes import NodeLease
from gazouillis.jobs.tables import IdNode
from gazouillis.storage import Database, utcnow

# A process that leases a node, says it is ready, waits for the go, then makes ids for at least 0.3 s.
MAKER = """
import os, sys, time
from array import array
from gazouillis.ids import new_id
from gazouillis.jobs.nodes import NodeLease
from gazouillis.storage import Database

url, ready, go, out, count = sys.argv[1:]
assert NodeLease(Database(url)).acquire() is not None
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.0002)
made, end = array("q"), time.monotonic() + 0.3
while len(made) < int(count) or time.monotonic() < end:
    made.append(new_id())
with open(out, "wb") as f:
    f.write(made.tobytes())
"""


def _expiry(db: Database, node: int) -> object:
    with db.read() as session:
        return session.scalar(select(IdNode.expires_at).where(IdNode.node == node))


def test_two_processes_making_ids_in_the_same_milliseconds_never_collide(
    db: Database, database_url: str, tmp_path: Path
) -> None:
    go = tmp_path / "go"
    makers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                MAKER,
                database_url,
                str(tmp_path / f"ready{n}"),
                str(go),
                str(tmp_path / f"ids{n}"),
                "20000",
            ]
        )
        for n in range(2)
    ]
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"ready{n}").exists() for n in range(2)):
        assert time.monotonic() < deadline and all(m.poll() is None for m in makers), "a maker did not start"
        time.sleep(0.01)
    go.touch()
    assert [m.wait(60) for m in makers] == [0, 0]

    made = [array("q", (tmp_path / f"ids{n}").read_bytes()).tolist() for n in range(2)]
    for some in made:
        assert len(some) >= 20_000 and some == sorted(set(some))
    assert len({node_of(i) for i in made[0]} | {node_of(i) for i in made[1]}) == 2
    # They did make ids in the same milliseconds (so random offsets could have collided there)…
    assert {timestamp_ms(i) for i in made[0]} & {timestamp_ms(i) for i in made[1]}
    # …and none twice.
    assert not set(made[0]) & set(made[1])


def test_each_lease_holds_its_own_node_and_its_ids_carry_it(db: Database) -> None:
    a, b = NodeLease(db, ids=IdGenerator()), NodeLease(db, ids=IdGenerator())
    node_a, node_b = a.acquire(), b.acquire()
    assert node_a is not None and node_b is not None and node_a != node_b
    assert {node_of(a.ids.next()) for _ in range(3000)} == {node_a}
    assert {node_of(b.ids.next()) for _ in range(10)} == {node_b}


def test_renewal_pushes_the_expiry_back(db: Database) -> None:
    lease = NodeLease(db, ids=IdGenerator())
    node = lease.acquire()
    assert node is not None
    with db.write() as session:
        session.execute(update(IdNode).values(expires_at=utcnow() + timedelta(seconds=10)))
    assert lease.renew()
    expiry = _expiry(db, node)
    assert isinstance(expiry, type(utcnow())) and expiry > utcnow() + timedelta(minutes=4)
    assert lease.node == node and lease.ids.node == node


def test_the_node_of_a_dead_holder_is_reused_once_its_lease_expired(db: Database) -> None:
    dead = NodeLease(db, ids=IdGenerator(), lease=timedelta(seconds=1))
    node = dead.acquire()
    assert node is not None
    last_of_dead = dead.ids.next()
    # Still leased: another process gets another node.
    assert NodeLease(db, ids=IdGenerator()).acquire() != node

    time.sleep(1.1)  # the holder "died": no renewal
    expired_at = _expiry(db, node)
    heir = NodeLease(db, ids=IdGenerator())
    assert heir.acquire() == node
    first_of_heir = heir.ids.next()
    assert node_of(first_of_heir) == node and first_of_heir > last_of_dead
    assert timestamp_ms(first_of_heir) > int(expired_at.timestamp() * 1000)  # type: ignore[attr-defined]

    # The old holder comes back: it stopped using the node when its lease lapsed, and renewing finds
    # the node taken, so it leases another.
    dead.ids.next()
    assert dead.ids.node is None
    assert dead.renew()
    assert dead.node not in (None, node) and dead.ids.node == dead.node


def test_a_released_node_goes_to_the_next_process_at_once(db: Database) -> None:
    first = NodeLease(db, ids=IdGenerator())
    node = first.acquire()
    last = first.ids.next()
    first.release()
    assert first.ids.node is None
    second = NodeLease(db, ids=IdGenerator())
    assert second.acquire() == node
    assert timestamp_ms(second.ids.next()) > timestamp_ms(last)


def test_without_a_free_node_ids_use_random_offsets(db: Database) -> None:
    with db.write() as session:
        session.execute(
            insert(IdNode),
            [
                {"node": n, "holder": "elsewhere", "expires_at": utcnow() + timedelta(minutes=5)}
                for n in range(NODES)
            ],
        )
    lease = NodeLease(db, ids=IdGenerator())
    assert lease.acquire() is None and lease.ids.node is None
    made = [lease.ids.next() for _ in range(1000)]
    assert made == sorted(set(made))


class FakeClock:
    def __init__(self, ms: int) -> None:
        self.ms = ms
        self.calls = 0
        self.tick_after: int | None = None

    def __call__(self) -> int:
        self.calls += 1
        if self.tick_after is not None and self.calls > self.tick_after:
            self.ms += 1
            self.tick_after = None
        return self.ms


def test_a_full_millisecond_moves_on_to_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock(1_800_000_000_000)
    monkeypatch.setattr(ids, "_now_ms", clock)
    generator = IdGenerator()
    generator.use_node(5, not_before_ms=0, valid_until=time.monotonic() + 60)
    made = [generator.next() for _ in range(1024)]
    assert {timestamp_ms(i) for i in made} == {clock.ms}
    assert [i & 1023 for i in made] == list(range(1024))
    clock.tick_after = clock.calls + 3  # the 1,025th id waits until the clock moves
    nxt = generator.next()
    assert timestamp_ms(nxt) == clock.ms == timestamp_ms(made[0]) + 1 and nxt & 1023 == 0
    assert node_of(nxt) == 5


def test_a_clock_going_backwards_never_repeats_an_id(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock(1_800_000_000_000)
    monkeypatch.setattr(ids, "_now_ms", clock)
    generator = IdGenerator()
    generator.use_node(7, not_before_ms=0, valid_until=time.monotonic() + 60)
    before = [generator.next() for _ in range(10)]
    clock.ms -= 1000
    after = [generator.next() for _ in range(2000)]  # overflows the millisecond: borrows the next one
    assert before + after == sorted(set(before + after))
    assert {node_of(i) for i in after} == {7}


def test_ids_after_a_lease_starts_are_larger_than_those_before(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock(1_800_000_000_000)
    monkeypatch.setattr(ids, "_now_ms", clock)
    generator = IdGenerator()
    unleased = generator.next()
    generator.use_node(0, not_before_ms=0, valid_until=time.monotonic() + 60)
    assert generator.next() > unleased
