"""Hot statements run on the driver's cursor give what SQLAlchemy gives, and fail as it does."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Integer, event, text

from gazouillis import storage
from gazouillis.filters.matching import _matcher_statement, load_matcher
from gazouillis.graph import hiding
from gazouillis.graph.hiding import _hidden_statement, _screen_statement, hidden_and_filters
from gazouillis.hot import HotStatement
from gazouillis.oauth.service import _token_statement, digest
from gazouillis.posts.views import _statement
from gazouillis.storage import Database, utcnow
from gazouillis.timelines.feeds.rules import _followed_statement, _merged_statement, _vet_statement
from tests.conftest import User, terminate_backend


def _same(hot: HotStatement, db: Database, params: dict[str, Any]) -> list[Any]:
    """The hot rows, checked value by value (and type by type) against Session.execute's, and the
    values sent to the driver against those SQLAlchemy sends."""
    sent: list[Any] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        sent.append(dict(parameters) if isinstance(parameters, dict) else list(parameters))

    event.listen(db.read_engine, "before_cursor_execute", record)
    try:
        with db.read() as session:
            expected = [tuple(r) for r in session.execute(hot.statement, params).all()]
            got = hot.all(session, params)
    finally:
        event.remove(db.read_engine, "before_cursor_execute", record)
    # The same values, processed the same way; a list may be padded by repeating its last item.
    hot_sent, alchemy_sent = sent[-1], sent[-2]
    if isinstance(alchemy_sent, dict):
        assert {k: hot_sent[k] for k in alchemy_sent} == alchemy_sent
        assert {hot_sent[k] for k in hot_sent.keys() - alchemy_sent.keys()} <= set(alchemy_sent.values())
    else:
        assert _runs(hot_sent) == _runs(alchemy_sent)
    assert [tuple(r) for r in got] == expected
    assert [[type(v) for v in r] for r in got] == [[type(v) for v in r] for r in expected]
    return got


def _runs(values: list[Any]) -> list[Any]:
    """``values`` with each run of equal neighbours as one (undoes the padding of a list)."""
    return [v for i, v in enumerate(values) if i == 0 or values[i - 1] != v]


def test_rows_match_sqlalchemy_value_for_value(
    alice: User, bob: User, carol: User, db: Database, drain: Any
) -> None:
    bob.post(f"/api/v1/accounts/{alice.id}/follow")
    ids = [
        int(alice.status(f"post {n} #jazz @bob", spoiler_text="cw" if n % 2 else "")["id"]) for n in range(6)
    ]
    reblog = int(carol.post(f"/api/v1/statuses/{ids[0]}/reblog").json()["id"])
    bob.post(f"/api/v1/statuses/{ids[1]}/favourite")
    bob.post(f"/api/v1/statuses/{ids[2]}/bookmark")
    bob.post(f"/api/v1/accounts/{carol.id}/mute", json={"duration": 3600})
    bob.post(
        "/api/v2/filters",
        json={
            "title": "no jazz",
            "context": ["home", "public"],
            "keywords_attributes": [{"keyword": "jazz"}],
        },
    )
    drain()
    bob_id, alice_id, carol_id = int(bob.id), int(alice.id), int(carol.id)

    # Dates (naive and aware), booleans, JSON lists, NULLs, strings; lists of every length including none.
    for n in (0, 1, 3, 5, 6):  # 3 and 5 are padded to 4 and 8 (repeating the last id)
        rows = _same(_statement("posts"), db, {"ids": ids[:n]})
        assert len(rows) == n
    rows = _same(_statement("posts"), db, {"ids": [*ids, reblog]})
    assert {r.id for r in rows} == {*ids, reblog}
    assert any(r.reblog_of_id == ids[0] for r in rows)  # attribute access, as on a Row
    _same(_statement("accounts"), db, {"ids": [alice_id, bob_id, carol_id]})
    state = _same(_statement("viewer"), db, {"viewer": bob_id, "ids": ids, "authors": [alice_id, carol_id]})
    assert {(kind, value) for kind, value in state} == {("f", ids[1]), ("b", ids[2]), ("a", alice_id)}
    _same(_statement("mentions"), db, {"ids": ids})
    _same(_statement("tags"), db, {"ids": ids})
    kept = _same(_vet_statement(), db, {"ids": [*ids, reblog], "originals": [ids[0]], "reader": bob_id})
    assert {r.id for r in kept} == set(ids)  # carol is not followed: her repost is not bob's to see
    _same(_followed_statement(), db, {"reader": bob_id, "threshold": 10})
    hidden = _same(_hidden_statement(), db, {"viewer": bob_id, "now": utcnow()})
    assert [(kind, account) for kind, account, _ in hidden] == [("m", carol_id)]
    # For the home timeline, with the followed accounts at or above the fan-out threshold.
    home = _same(_hidden_statement(True), db, {"viewer": bob_id, "now": utcnow(), "threshold": 1})
    assert sorted((kind, account) for kind, account, _ in home) == [("g", alice_id), ("m", carol_id)]
    home = _same(_hidden_statement(True), db, {"viewer": bob_id, "now": utcnow(), "threshold": 2})
    assert [(kind, account) for kind, account, _ in home] == [("m", carol_id)]
    filters = _same(_matcher_statement(), db, {"viewer": bob_id, "now": utcnow()})
    assert filters and filters[0].context == ["home", "public"]  # a JSON column, decoded
    # Both in one result (every timeline page): the hidden accounts' rows, then the filters'.
    both = _same(_screen_statement(True), db, {"viewer": bob_id, "now": utcnow(), "threshold": 1})
    assert sorted((r[0], r[1]) for r in both if r[0] in "bmxg") == [("g", alice_id), ("m", carol_id)]
    assert [(r[0], *r[3:]) for r in both if r[0] in "ks"] == [tuple(r) for r in filters]
    with db.read() as session:
        known, matcher = hidden_and_filters(session, bob_id, big_threshold=1)
        assert known == hiding.hidden(session, bob_id, big_threshold=1)
        assert matcher == load_matcher(session, bob_id)
    assert matcher.filters[0].keywords[0][0] == "jazz"
    token = _same(_token_statement(), db, {"digest": digest(bob.token)})
    assert token[0].account_id == bob_id and token[0].revoked_at is None
    # Alone on a pooled connection, outside any session (the token check of every request): the same.
    assert _token_statement().once(db.read_engine, {"digest": digest(bob.token)}) == token


def test_a_dialects_own_form_gives_what_the_portable_one_gives(
    alice: User, bob: User, carol: User, db: Database, drain: Any
) -> None:
    # The read-time merge of big accounts: a LATERAL join on PostgreSQL, an IN list elsewhere.
    for author in (alice, carol):
        bob.post(f"/api/v1/accounts/{author.id}/follow")
    posts = [int(a.status(f"post {n}")["id"]) for n in range(5) for a in (alice, carol)]
    alice.status("only for her followers", visibility="private")
    carol.status(f"@{alice.username} a reply bob follows both sides of")
    carol.post(f"/api/v1/statuses/{posts[0]}/reblog")
    drain()
    authors = [int(alice.id), int(carol.id)]
    pages = [
        ((False, False, False), {}),
        ((True, False, False), {"max_id": posts[6]}),
        ((False, True, False), {"since_id": posts[2]}),
        ((False, False, True), {"min_id": posts[3]}),
    ]
    for limit in (1, 3, 20):
        for page_shape, cursors in pages:
            for horizon in (None, posts[1]):
                statement = _merged_statement(page_shape, horizon is not None)
                params = {"authors": authors, "reader": int(bob.id), "limit": limit, **cursors}
                if horizon is not None:
                    params["horizon"] = horizon
                with db.read() as session:
                    portable = [tuple(r) for r in session.execute(statement.statement, params).all()]
                    assert [tuple(r) for r in statement.all(session, params)] == portable
                if not cursors and horizon is None:  # 10 posts, the private one, the reply, the repost
                    assert len(portable) == min(limit, 13)


def test_it_sees_the_sessions_own_writes(alice: User, db: Database) -> None:
    status = alice.status("before")
    with db.write() as session:
        session.execute(text("UPDATE posts SET replies_count = 41 WHERE id = :id"), {"id": int(status["id"])})
        (row,) = _statement("posts").all(session, {"ids": [int(status["id"])]})
        assert row.replies_count == 41  # inside the transaction, before the commit
        session.rollback()
    with db.read() as session:
        (row,) = _statement("posts").all(session, {"ids": [int(status["id"])]})
    assert row.replies_count == 0


def test_a_lost_connection_is_invalidated_not_pooled(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "PING_AFTER_IDLE_SECONDS", 3600.0)  # no ping would save a pooled one
    db = Database(pg_url, pool_size=1, max_overflow=0)  # one connection: the next read gets it back
    hot = _statement("accounts")
    try:
        with db.read() as session:
            pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            terminate_backend(pg_url, pid)
            with pytest.raises(db.read_engine.dialect.loaded_dbapi.OperationalError):
                hot.all(session, {"ids": [1]})
        with db.read() as session:  # a new connection, not the dead one
            assert hot.all(session, {"ids": [1]}) == []
            pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        terminate_backend(pg_url, pid)  # the same outside a session (HotStatement.once)
        with pytest.raises(db.read_engine.dialect.loaded_dbapi.OperationalError):
            hot.once(db.read_engine, {"ids": [1]})
        with db.read() as session:  # a new connection, not the dead one
            assert hot.all(session, {"ids": [1]}) == []
            assert session.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid
    finally:
        db.dispose()


def test_a_replanned_statement_is_never_prepared(pg_url: str) -> None:
    """psycopg prepares a statement after five uses on a connection; one made with ``replan`` is planned
    for each execution instead (the change log's tail: a plan kept from an empty table scanned it whole)."""
    db = Database(pg_url, pool_size=1, max_overflow=0)
    try:
        usual = HotStatement(text("SELECT 1 AS one WHERE 1 = :x").columns(one=Integer))
        replanned = HotStatement(text("SELECT 2 AS two WHERE 2 = :x").columns(two=Integer), replan=True)
        with db.read() as session:
            for _ in range(8):
                usual.all(session, {"x": 1})
                replanned.all(session, {"x": 2})
            prepared = session.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
        assert any("SELECT 1 AS one" in s for s in prepared)
        assert not any("SELECT 2 AS two" in s for s in prepared)
    finally:
        db.dispose()
