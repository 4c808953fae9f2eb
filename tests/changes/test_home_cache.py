"""Cached pages across processes (home timelines, accounts' posts): each of two processes (two apps, each
its own database engines and page cache, over one database) serves exactly what a process without a
page cache serves, after every kind of write, made in either process; and the cache is really used."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import event, update
from starlette.testclient import TestClient

from gazouillis.accounts.tables import User as Login
from gazouillis.app import create_app
from gazouillis.changes.pages import PageCache, pages_of
from gazouillis.config import Settings
from gazouillis.jobs.queue import run_pending
from gazouillis.oauth.tables import AccessToken
from gazouillis.storage import Database, utcnow
from tests.conftest import PASSWORD, User, app_token, empty_database, revoke_token

HOME = "/api/v1/timelines/home"


@dataclass
class Processes:
    a: TestClient
    b: TestClient
    plain: TestClient  # no page cache: the reference
    caches: list[PageCache]
    db: Database

    def pages(self, user: User | None, path: str = HOME) -> dict[str, Any]:
        got = {}
        for name, client in (("a", self.a), ("b", self.b), ("plain", self.plain)):
            r = client.get(path, headers=user.auth if user else {})
            assert r.status_code == 200, r.text
            got[name] = (r.json(), r.headers.get("link"))
        return got

    def check(self, *users: User) -> None:
        """Every member's home, and every member's posts as each member and as a visitor see them."""
        paths = [(u, HOME) for u in users]
        paths += [(u, f"/api/v1/accounts/{o.id}/statuses") for u in (*users, None) for o in users]
        paths += [(users[0], f"/api/v1/accounts/{users[-1].id}/statuses?exclude_replies=true&limit=3")]
        for user, path in paths:
            got = self.pages(user, path)
            who = user.username if user else "a visitor"
            assert got["a"] == got["plain"], f"process a is stale for {who}: {path}"
            assert got["b"] == got["plain"], f"process b is stale for {who}: {path}"

    def drain(self) -> None:
        run_pending(self.db)


@pytest.fixture
def procs(settings: Settings, db: Database, client: TestClient) -> Iterator[Processes]:
    """Process a is the ``client`` fixture's app (users are made there); b and the reference have engines
    of their own. A low fan-out threshold, so that some authors are merged at read time."""
    del client
    tuned = settings.model_copy(update={"fanout_threshold": 3, "home_cache_mb": 8.0})  # on PostgreSQL too
    db_b = Database(settings.database_url, pool_size=2)
    db_plain = Database(settings.database_url, pool_size=2)
    with (
        TestClient(create_app(tuned, database=db), base_url="http://testserver") as a,
        TestClient(create_app(tuned, database=db_b), base_url="http://testserver") as b,
        TestClient(
            create_app(tuned.model_copy(update={"home_cache_mb": 0}), database=db_plain),
            base_url="http://testserver",
        ) as plain,
    ):
        caches = [pages_of_db(db), pages_of_db(db_b)]
        assert pages_of_db(db_plain) is None
        yield Processes(a, b, plain, caches, db)
    db_b.dispose()
    db_plain.dispose()


def pages_of_db(db: Database) -> PageCache | None:
    return pages_of(db.info)


def test_every_kind_of_write_reaches_both_processes(
    procs: Processes, alice: User, bob: User, carol: User, make_user: Any
) -> None:
    dave = make_user("dave")
    for u in (alice, bob, carol, dave):
        u.get(HOME)  # feeds exist
    on_b = lambda user: replace(user, client=procs.b)  # noqa: E731  the same member, through process b
    bob_b = on_b(bob)
    bob.post(f"/api/v1/accounts/{alice.id}/follow")
    bob_b.post(f"/api/v1/accounts/{carol.id}/follow")
    procs.drain()
    procs.check(bob)
    s = alice.status("bonjour #jardin")
    procs.check(bob)  # not delivered yet: the same everywhere
    procs.drain()
    procs.check(bob)
    before = sum(c.hits for c in procs.caches)
    procs.check(bob)  # nothing changed: both processes serve their kept page
    assert sum(c.hits for c in procs.caches) >= before + 2
    steps = [
        lambda: carol.post(f"/api/v1/statuses/{s['id']}/favourite"),  # someone else's like: the count
        lambda: bob_b.post(f"/api/v1/statuses/{s['id']}/favourite"),  # the reader's own, in process b
        lambda: bob.post(f"/api/v1/statuses/{s['id']}/bookmark"),
        lambda: bob_b.post(f"/api/v1/statuses/{s['id']}/reblog"),
        lambda: alice.patch("/api/v1/accounts/update_credentials", data={"display_name": "Alice A."}),
        lambda: alice.post(f"/api/v1/statuses/{s['id']}/pin"),
        lambda: carol.post("/api/v1/statuses", data={"status": "carol speaks"}),
        lambda: bob.post(f"/api/v1/accounts/{carol.id}/mute"),
        lambda: bob_b.post(f"/api/v1/accounts/{carol.id}/unmute"),
        lambda: bob.post(
            "/api/v2/filters",
            json={
                "title": "j",
                "context": ["home"],
                "filter_action": "hide",
                "keywords_attributes": [{"keyword": "jardin"}],
            },
        ),
        lambda: alice.post("/api/v1/statuses", data={"status": "encore un"}),
        lambda: carol.post(f"/api/v1/accounts/{bob.id}/block"),  # blocked by the author
        lambda: dave.post(f"/api/v1/accounts/{alice.id}/follow"),  # alice nears the threshold (3)
        lambda: carol.post(f"/api/v1/accounts/{alice.id}/follow"),  # and reaches it: merged from now on
        lambda: alice.post("/api/v1/statuses", data={"status": "now merged at read time"}),
        lambda: dave.post(f"/api/v1/accounts/{alice.id}/unfollow"),  # below again
        lambda: alice.delete(f"/api/v1/statuses/{s['id']}"),
        lambda: bob.post(f"/api/v1/accounts/{alice.id}/unfollow"),
    ]
    for step in steps:
        r = step()
        assert r.status_code == 200, r.text
        procs.check(bob, alice, carol, dave)
        procs.drain()
        procs.check(bob, alice, carol, dave)


VERBS = (
    "post",
    "like",
    "unlike",
    "repost",
    "follow",
    "unfollow",
    "mute",
    "unmute",
    "block",
    "unblock",
    "delete",
)
operation = st.tuples(
    st.sampled_from(VERBS), st.integers(0, 3), st.integers(0, 3), st.booleans(), st.booleans(), st.booleans()
)


@pytest.fixture
def community(procs: Processes, make_user: Any) -> list[User]:
    return [make_user(f"m{i}") for i in range(4)]


@given(ops=st.lists(operation, min_size=1, max_size=14))
@hsettings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_random_writes_never_leave_a_stale_page(
    procs: Processes, community: list[User], ops: list[Any]
) -> None:
    """Random likes, reposts, follows, mutes, blocks, posts and deletes, made in either process, with the
    jobs run at random moments and pages read in both processes in between."""
    empty_database(procs.db)
    for cache in procs.caches:
        cache.clear()
    members = [_register(procs, u) for u in community]
    posts: list[str] = []
    for verb, i, j, via_b, drain, read in ops:
        actor = replace(members[i], client=procs.b if via_b else procs.a)
        other = members[j]
        if verb == "post":
            posts.append(actor.status(f"post {len(posts)}", visibility="public" if j else "private")["id"])
        elif posts and verb in ("like", "unlike", "repost", "delete"):
            target = posts[(i + j) % len(posts)]
            path = {"like": "favourite", "unlike": "unfavourite", "repost": "reblog"}.get(verb)
            if path:
                actor.post(f"/api/v1/statuses/{target}/{path}")
            else:
                actor.delete(f"/api/v1/statuses/{target}")
        elif verb in ("follow", "unfollow", "mute", "unmute", "block", "unblock") and actor.id != other.id:
            actor.post(f"/api/v1/accounts/{other.id}/{verb}")
        if drain:
            procs.drain()
        if read:
            procs.check(*members)
    procs.drain()
    procs.check(*members)


def _register(procs: Processes, user: User) -> User:
    """The fixture's member made again in the emptied database (hypothesis runs many examples)."""
    r = procs.a.post(
        "/api/v1/accounts",
        headers=app_token(procs.a, _app(procs.a)),
        data={
            "username": user.username,
            "email": user.email,
            "password": "correct horse battery",
            "agreement": "true",
        },
    )
    assert r.status_code == 200, r.text
    token = r.json()["access_token"]
    me = procs.a.get(
        "/api/v1/accounts/verify_credentials", headers={"Authorization": f"Bearer {token}"}
    ).json()
    made = User(id=me["id"], username=user.username, email=user.email, token=token, client=procs.a)
    made.get(HOME)  # a feed
    return made


def _app(client: TestClient) -> dict[str, str]:
    scopes = {"client_name": "t", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read write follow"}
    return client.post("/api/v1/apps", data=scopes).json()


# -- served from the cache alone (on SQLite: no thread, no token query) ---------------------------------


@pytest.fixture
def statements(db: Database) -> Iterator[list[str]]:
    """The SQL statements the engines of process a run (the log's tail reads on a connection of its own,
    outside them)."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    for engine in {db.read_engine, db.write_engine}:
        event.listen(engine, "before_cursor_execute", count)
    yield seen
    for engine in {db.read_engine, db.write_engine}:
        event.remove(engine, "before_cursor_execute", count)


def sqlite_only(db: Database) -> None:
    if not db.is_sqlite:
        pytest.skip("kept pages are served on the event loop only on SQLite (the log is a local read)")


def test_a_kept_page_costs_no_query(procs: Processes, bob: User, statements: list[str]) -> None:
    sqlite_only(procs.db)
    bob_a = replace(bob, client=procs.a)
    bob_a.status("bonjour")
    procs.drain()
    first = bob_a.get(HOME)
    assert first.json() and first.headers["link"]
    statements.clear()
    again = bob_a.get(HOME)
    assert (again.status_code, again.json()) == (200, first.json())
    assert again.headers["link"] == first.headers["link"]
    assert statements == []  # neither the token nor the page was read from the database
    other = bob_a.get(HOME + "?limit=2")  # another page: rendered, from a thread
    assert other.status_code == 200 and len(other.json()) <= 2 and statements


def test_a_revoked_token_is_refused_at_once_by_every_process(
    procs: Processes, bob: User, app_credentials: dict[str, str]
) -> None:
    for client in (procs.a, procs.b, procs.a, procs.b):  # the token's check and the page kept by both
        assert client.get(HOME, headers=bob.auth).status_code == 200
    revoke_token(procs.b, app_credentials, bob.token)
    for client in (procs.a, procs.b):
        r = client.get(HOME, headers=bob.auth)
        assert r.status_code == 401 and r.json() == {"error": "The access token is invalid"}


def test_a_disabled_login_is_refused_at_once_by_every_process(procs: Processes, bob: User) -> None:
    for client in (procs.a, procs.b, procs.a, procs.b):
        assert client.get(HOME, headers=bob.auth).status_code == 200
    with procs.db.write() as session:
        session.execute(update(Login).where(Login.account_id == int(bob.id)).values(disabled=True))
    for client in (procs.a, procs.b):
        r = client.get(HOME, headers=bob.auth)
        assert r.status_code == 403 and r.json() == {"error": "Your login is currently disabled"}


def test_a_token_is_refused_once_it_expires(procs: Processes, bob: User) -> None:
    with procs.db.write() as session:
        session.execute(
            update(AccessToken)
            .where(AccessToken.account_id == int(bob.id))
            .values(expires_at=utcnow() + timedelta(seconds=1.5))
        )
    for client in (procs.a, procs.a):  # checked, then remembered with its expiry
        assert client.get(HOME, headers=bob.auth).status_code == 200
    time.sleep(1.6)  # no write announces an expiry
    r = procs.a.get(HOME, headers=bob.auth)
    assert r.status_code == 401 and r.json() == {"error": "The access token is invalid"}


def test_a_token_without_the_scope_gets_no_kept_page(
    procs: Processes, bob: User, app_credentials: dict[str, str], statements: list[str]
) -> None:
    """A second token of the same reader, allowed to read accounts only: the reader's kept home page is
    not for it, though its check is remembered."""
    r = procs.a.post(
        "/oauth/token",
        data={
            "grant_type": "password",
            "client_id": app_credentials["client_id"],
            "client_secret": app_credentials["client_secret"],
            "username": bob.email,
            "password": PASSWORD,
            "scope": "read:accounts",
        },
    )
    narrow = {"Authorization": f"Bearer {r.json()['access_token']}"}
    for _ in range(2):
        assert procs.a.get(HOME, headers=bob.auth).status_code == 200
    for _ in range(2):
        r = procs.a.get(HOME, headers=narrow)
        assert r.status_code == 403 and r.json() == {"error": "This action is outside the authorized scopes"}
    if procs.db.is_sqlite:
        statements.clear()
        assert procs.a.get(HOME, headers=narrow).status_code == 403
        assert statements == []  # refused from the remembered check, on the event loop
