"""Notifications and markers at the domain level: grouping rules, the status job, marker conflicts."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import insert, select, text, update

from gazouillis.accounts.tables import Account
from gazouillis.errors import Conflict, Invalid
from gazouillis.graph import service as graph
from gazouillis.ids import new_id
from gazouillis.jobs.queue import run_pending
from gazouillis.notifications import markers, reading
from gazouillis.notifications import service as notifications
from gazouillis.notifications.tables import Marker, Notification
from gazouillis.pagination import Page
from gazouillis.posts import interactions
from gazouillis.posts.service import Draft, Rules, create_post
from gazouillis.storage import Database

RULES = Rules(max_length=280, base_url="http://testserver")


def accounts(db: Database, *names: str) -> list[int]:
    ids = [new_id() for _ in names]
    with db.write() as session:
        session.execute(
            insert(Account),
            [{"id": i, "username": n, "username_key": n.lower()} for i, n in zip(ids, names, strict=True)],
        )
    return ids


def test_likes_group_per_post_and_follows_together(db: Database) -> None:
    alice, bob, carol = accounts(db, "alice", "bob", "carol")
    with db.write() as session:
        one = create_post(session, author_id=alice, draft=Draft(text="one"), rules=RULES)
        two = create_post(session, author_id=alice, draft=Draft(text="two"), rules=RULES)
        for fan in (bob, carol):
            interactions.favourite(session, viewer_id=fan, post_id=one.id)
        interactions.favourite(session, viewer_id=bob, post_id=two.id)
        graph.follow(session, follower_id=bob, target_id=alice)
        graph.follow(session, follower_id=carol, target_id=alice)
    with db.read() as session:
        keys = {(n.type, n.post_id): n.group_key for n in session.scalars(select(Notification))}
        rows = session.scalars(select(Notification).where(Notification.type == "favourite")).all()
    assert len({n.group_key for n in rows if n.post_id == one.id}) == 1
    assert keys[("favourite", one.id)] != keys[("favourite", two.id)]
    assert keys[("follow", None)].startswith("follow-")
    with db.read() as session:
        found, _ = reading.grouped(session, viewer_id=alice, page=Page(limit=10))
    assert sorted(g.count for g in found.groups) == [1, 2, 2]


def test_a_group_closes_after_its_span(db: Database) -> None:
    alice, bob, carol = accounts(db, "alice", "bob", "carol")
    with db.write() as session:
        post = create_post(session, author_id=alice, draft=Draft(text="x"), rules=RULES)
        interactions.favourite(session, viewer_id=bob, post_id=post.id)
        # Pretend the group started 13 hours ago.
        old = session.scalar(select(Notification.group_key))
        hour = int(old.rsplit("-", 1)[1]) - 13
        session.execute(update(Notification).values(group_key=f"favourite-{post.id}-{hour}"))
        interactions.favourite(session, viewer_id=carol, post_id=post.id)
        keys = session.scalars(select(Notification.group_key).order_by(Notification.id)).all()
    assert keys[0] != keys[1] and keys[1] == old


def test_status_job_runs_in_batches_once(db: Database, monkeypatch: Any) -> None:
    monkeypatch.setattr(notifications, "STATUS_BATCH", 2)
    author, *fans = accounts(db, "author", "f1", "f2", "f3", "f4", "f5")
    with db.write() as session:
        for fan in fans[:4]:
            graph.follow(session, follower_id=fan, target_id=author, notify=True)
        graph.follow(session, follower_id=fans[4], target_id=author)  # no notify
        create_post(session, author_id=author, draft=Draft(text="news @f1"), rules=RULES)
    run_pending(db)
    with db.read() as session:
        got = session.execute(select(Notification.account_id, Notification.type)).all()
    assert sorted(t for a, t in got if a == fans[0]) == ["mention"]  # mentioned: no second one
    assert sorted(a for a, t in got if t == "status") == sorted(fans[1:4])


def test_markers_versions_and_bad_input(db: Database) -> None:
    (alice,) = accounts(db, "alice")
    with db.write() as session:
        saved = markers.save_markers(session, viewer_id=alice, positions={"home": 5})
        assert saved["home"].version == 1
        saved = markers.save_markers(session, viewer_id=alice, positions={"home": 7, "notifications": 3})
        assert saved["home"].version == 2 and saved["notifications"].version == 1
    for bad in ({"elsewhere": 1}, {}, {"home": -1}):
        with pytest.raises(Invalid), db.write() as session:
            markers.save_markers(session, viewer_id=alice, positions=bad)
    with db.read() as session:
        assert markers.last_read(session, alice, "home") == 7


def test_concurrent_marker_saves_conflict(db: Database) -> None:
    """Two clients read version n and both write: the second gets Conflict (PostgreSQL, where writers
    run at the same time; SQLite has one writer at a time, so saves there never race)."""
    if db.is_sqlite:
        pytest.skip("SQLite serializes writers: no two saves can race")
    (alice,) = accounts(db, "alice")
    with db.write() as session:
        markers.save_markers(session, viewer_id=alice, positions={"home": 1})
    holding, release = threading.Event(), threading.Event()
    outcome: list[BaseException | None] = []

    def first() -> None:
        with db.write() as session:
            session.execute(
                update(Marker).where(Marker.account_id == alice).values(version=Marker.version + 1)
            )
            holding.set()
            release.wait(10)

    def second() -> None:
        holding.wait(10)
        try:
            with db.write() as session:
                markers.save_markers(session, viewer_id=alice, positions={"home": 9})
            outcome.append(None)
        except Conflict as exc:
            outcome.append(exc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    holding.wait(10)
    threading.Timer(0.5, release.set).start()
    for t in threads:
        t.join(15)
    assert isinstance(outcome[0], Conflict) and outcome[0].status == 409
    with db.read() as session:
        assert markers.last_read(session, alice, "home") == 1


def test_unread_count_is_capped(db: Database) -> None:
    alice, bob = accounts(db, "alice", "bob")
    with db.write() as session:
        for i in range(5):
            create_post(session, author_id=bob, draft=Draft(text=f"@alice {i}"), rules=RULES)
    with db.read() as session:
        assert reading.unread_count(session, viewer_id=alice) == 5
        assert reading.unread_count(session, viewer_id=alice, limit=3) == 3


def test_notify_follower_queries_use_the_partial_index(db: Database) -> None:
    # Every new post asks whether anyone wants to be told of it; on an author with hundreds of thousands
    # of followers, any plan but the partial index reads all their follows (2.4 s a post, measured).
    check = notifications._notified_follower().statement.params(author=7)  # type: ignore[attr-defined]
    batch = (
        select(notifications.Follow.id)
        .where(notifications.Follow.target_account_id == 7, notifications.NOTIFYING)
        .order_by(notifications.Follow.id)
        .limit(100)
    )
    with db.read() as session:
        dialect = session.get_bind().dialect
        for statement in (check, batch):
            sql = str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
            if dialect.name == "postgresql":
                session.execute(text("SET LOCAL enable_seqscan = off"))
                session.execute(text("SET LOCAL enable_bitmapscan = off"))
                plan = "\n".join(session.scalars(text(f"EXPLAIN {sql}")))
            else:
                plan = "\n".join(str(row[-1]) for row in session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
            assert "ix_follows_notify" in plan, plan
