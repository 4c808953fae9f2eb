"""The change log: what the triggers record for each write, and the tail's order on both databases."""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy import select, text, update

from gazouillis.accounts.tables import User as Login
from gazouillis.changes import tail
from gazouillis.changes.log import RETENTION, prune
from gazouillis.changes.tables import ACCOUNT, AUTHOR, LOGIN, POST, READER, TOKEN, Change
from gazouillis.jobs.queue import enqueue
from gazouillis.oauth.service import digest
from gazouillis.oauth.tables import AccessToken
from gazouillis.storage import Database
from tests.conftest import User, revoke_token


def logged(db: Database) -> set[tuple[str, int | None]]:
    with db.read() as session:
        return {(c.kind, c.ref) for c in session.scalars(select(Change))}


def clear(db: Database) -> None:
    with db.write() as session:
        session.execute(text("DELETE FROM changes"))


def test_writes_a_page_depends_on_are_logged(db: Database, alice: User, bob: User, drain: Any) -> None:
    a, b = int(alice.id), int(bob.id)
    bob.get("/api/v1/timelines/home")  # bob's feed exists from now on
    clear(db)
    bob.post(f"/api/v1/accounts/{alice.id}/follow")
    assert {(READER, b), (ACCOUNT, a), (ACCOUNT, b)} <= logged(db)
    drain()
    clear(db)
    s = alice.status("hello")
    sid = int(s["id"])
    assert {(AUTHOR, a), (ACCOUNT, a)} <= logged(db)  # the post, its author's counter
    drain()
    assert (READER, b) in logged(db)  # delivered to bob's feed by the fan-out
    clear(db)
    bob.post(f"/api/v1/statuses/{s['id']}/favourite")
    assert {(READER, b), (POST, sid)} <= logged(db)
    clear(db)
    bob.post(f"/api/v1/statuses/{s['id']}/bookmark")
    assert logged(db) == {(READER, b)}
    clear(db)
    alice.post(f"/api/v1/accounts/{bob.id}/block")
    assert {(READER, a), (READER, b)} <= logged(db)
    clear(db)
    r = alice.post(
        "/api/v2/filters", json={"title": "f", "context": ["home"], "keywords_attributes": [{"keyword": "x"}]}
    )
    assert r.status_code == 200, r.text
    assert logged(db) == {(READER, a)}
    clear(db)
    r = alice.post("/api/v1/lists", data={"title": "l"})
    assert r.status_code == 200 and logged(db) == {(READER, a)}
    clear(db)
    alice.delete(f"/api/v1/statuses/{s['id']}")
    assert {(POST, sid), (AUTHOR, a)} <= logged(db)


def test_a_fan_out_that_changes_no_feed_logs_nothing(
    db: Database, alice: User, bob: User, drain: Any
) -> None:
    for user in (alice, bob):
        user.get("/api/v1/timelines/home")  # both feeds exist
    bob.post(f"/api/v1/accounts/{alice.id}/follow")
    s = alice.status("hello")
    drain()
    clear(db)
    # The same fan-out once more (as when a job runs again after its runner died): the feeds hold the
    # post already, so no page showing them is made stale.
    with db.write() as session:
        enqueue(session, "fanout.post", {"post_id": int(s["id"])})
    drain()
    assert not {(READER, int(alice.id)), (READER, int(bob.id))} & logged(db)


def test_writes_a_token_check_depends_on_are_logged(
    db: Database, alice: User, app_credentials: dict[str, str]
) -> None:
    """A login's row (disabled, approval) and a token's (revoked, deleted with its account or app)."""
    a = int(alice.id)
    with db.read() as session:
        token_id = session.scalars(
            select(AccessToken.id).where(AccessToken.token_digest == digest(alice.token))
        ).one()
    clear(db)
    with db.write() as session:
        session.execute(update(Login).where(Login.account_id == a).values(disabled=True))
    assert logged(db) == {(LOGIN, a)}
    clear(db)
    revoke_token(alice.client, app_credentials, alice.token)
    assert logged(db) == {(TOKEN, token_id)}


def test_prune_keeps_the_retention(db: Database) -> None:
    clear(db)
    with db.write() as session:
        session.add_all([Change(kind=READER, ref=1), Change(kind=READER, ref=2)])
    with db.write() as session:
        assert prune(session, now=time.time() + RETENTION - 5) == 0
        assert prune(session, now=time.time() + RETENTION + 5) == 2


def test_the_tail_misses_nothing_committed_out_of_order(db: Database) -> None:
    """A transaction that took its sequence number first but commits last is still read (PostgreSQL
    hands out numbers before commit; SQLite has one writer, so there the two simply take turns)."""
    engine = db.read_engine
    cursor = tail.start(engine)
    first_in = threading.Event()
    release = threading.Event()

    def slow() -> None:
        with db.write() as session:
            session.add(Change(kind=READER, ref=1))
            session.flush()
            first_in.set()
            release.wait(10)

    worker = threading.Thread(target=slow)
    worker.start()
    first_in.wait(10)
    seen: set[Any] = set()
    if not db.is_sqlite:  # SQLite's single writer would wait for the slow one
        with db.write() as session:
            session.add(Change(kind=READER, ref=2))
        changes, cursor = tail.read(engine, cursor)
        seen |= {c[:2] for c in changes or ()}
    release.set()
    worker.join(10)
    changes, cursor = tail.read(engine, cursor)
    seen |= {c[:2] for c in changes or ()}
    assert (READER, 1) in seen and (db.is_sqlite or (READER, 2) in seen)
    again, _ = tail.read(engine, cursor)  # nothing more once it is all read (on SQLite: nothing twice)
    assert again == []
