"""Fixtures that build on each other: database → settings → app client → account → token.

Every test that touches the database runs on SQLite, and again on PostgreSQL when
GAZOUILLIS_TEST_DATABASE_URL is set (CI sets it and makes it mandatory with CI=true).
Tests of the Redis feed store use GAZOUILLIS_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15: a database
of its own, emptied before each test), skip without it, and fail without it under CI=true.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
from argon2 import PasswordHasher, profiles
from sqlalchemy import create_engine, select, text
from starlette.testclient import TestClient

from gazouillis import migrate
from gazouillis.accounts import passwords
from gazouillis.app import create_app
from gazouillis.config import Settings
from gazouillis.jobs.queue import run_pending
from gazouillis.jobs.tables import Job
from gazouillis.posts.cache import post_cache_of
from gazouillis.storage import Database
from gazouillis.tables import metadata
from gazouillis.timelines import feeds
from gazouillis.timelines.feeds.sql import SqlFeedStore

# A developer's own gazouillis.toml must not change what the tests see.
os.environ["GAZOUILLIS_CONFIG_FILE"] = os.devnull
CI = os.environ.get("CI", "").lower() == "true"
PG_URL = os.environ.get("GAZOUILLIS_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("GAZOUILLIS_TEST_REDIS_URL", "")
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashes() -> Iterator[None]:
    """argon2's cheapest parameters for the accounts the tests make in-process: the real ones cost ~0.3 s
    an account (its hash at sign-up, its check at login), most of a typical test's time. Hashes name
    their parameters, so both kinds verify everywhere; the servers the end-to-end tests start keep the
    real ones (tests/e2e/test_passwords.py checks them)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))
        yield


def _pg_admin_url(url: str) -> str:
    return Settings(database_url=url).resolved_database_url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database of each kind, for the whole session."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        migrate.upgrade(url)
        yield url
        return
    if not PG_URL:
        if CI:
            pytest.fail(
                "GAZOUILLIS_TEST_DATABASE_URL is not set: PostgreSQL tests are mandatory under CI=true"
            )
        pytest.skip(
            "PostgreSQL tests need GAZOUILLIS_TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres)"
        )
    admin_url = _pg_admin_url(PG_URL)
    name = f"gazouillis_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    migrate.upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def terminate_backend(url: str, pid: int) -> None:
    """Kill PostgreSQL backend ``pid`` (a server restart or a proxy's timeout, as a client sees it)."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    admin.dispose()


@pytest.fixture
def pg_url(database_url: str) -> str:
    """The PostgreSQL test database; skipped on SQLite (which opens files: no connection to lose)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("connections to lose are PostgreSQL's (SQLite opens files)")
    return database_url


@pytest.fixture(scope="session")
def shared_db(database_url: str) -> Iterator[Database]:
    db = Database(database_url, pool_size=4)
    yield db
    db.dispose()


def empty_database(db: Database) -> None:
    """Delete every row of every table. DELETE, not TRUNCATE, on PostgreSQL too: the tests leave a few rows,
    and TRUNCATE of every table cost 106–145 ms a test against 8 ms (measured on the migrated schema)."""
    with db.write() as session:
        for table in reversed(metadata.sorted_tables):
            session.execute(table.delete())
    cache = post_cache_of(db.info)
    if cache is not None:  # what it remembers of posts that no longer exist
        cache.clear()


@pytest.fixture
def db(shared_db: Database) -> Database:
    """The session's database, emptied before the test."""
    empty_database(shared_db)
    # The default feed store; an app built from settings, or a test, may attach another.
    feeds.attach(shared_db, SqlFeedStore(shared_db, feeds.FeedPolicy()))
    return shared_db


@pytest.fixture
def redis_url() -> str:
    """The test Redis database (GAZOUILLIS_TEST_REDIS_URL), emptied before the test."""
    if not REDIS_URL:
        if CI:
            pytest.fail("GAZOUILLIS_TEST_REDIS_URL is not set: Redis tests are mandatory under CI=true")
        pytest.skip("Redis tests need GAZOUILLIS_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15)")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=database_url,
        domain="testserver",
        secret_key="test-secret",
        embedded_worker=False,
        log_format="text",
        max_body_bytes=64 * 1024,
    )


@pytest.fixture
def client(settings: Settings, db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(settings, database=db), base_url="http://testserver") as c:
        yield c


@pytest.fixture
def drain(db: Database) -> Any:
    """Run every pending background job now (fan-out…), as a worker would; a job that fails fails the test."""

    def run() -> int:
        done = run_pending(db)
        with db.read() as session:
            errors = session.scalars(select(Job.last_error).where(Job.last_error.is_not(None))).all()
        assert not errors, errors[0]
        return done

    return run


@dataclass
class User:
    id: str
    username: str
    email: str
    token: str
    client: TestClient

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, headers=self.auth | kw.pop("headers", {}), **kw)

    def post(self, path: str, **kw: Any) -> Any:
        return self.client.post(path, headers=self.auth | kw.pop("headers", {}), **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.client.request("DELETE", path, headers=self.auth | kw.pop("headers", {}), **kw)

    def patch(self, path: str, **kw: Any) -> Any:
        return self.client.patch(path, headers=self.auth | kw.pop("headers", {}), **kw)

    def status(self, text_: str, **extra: Any) -> dict[str, Any]:
        r = self.post("/api/v1/statuses", data={"status": text_, **extra})
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture
def app_credentials(client: TestClient) -> dict[str, str]:
    r = client.post(
        "/api/v1/apps",
        data={
            "client_name": "tests",
            "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
            "scopes": "read write follow push",
        },
    )
    assert r.status_code == 200, r.text
    return r.json()


def app_token(client: TestClient, app: dict[str, str]) -> dict[str, str]:
    """Headers carrying an app-only token (client credentials), as used to register accounts."""
    r = client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "scope": "read write",
        },
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def revoke_token(client: TestClient, app: dict[str, str], token: str) -> None:
    """Revoke ``token`` of the app ``app`` through the API (RFC 7009)."""
    r = client.post(
        "/oauth/revoke",
        data={"client_id": app["client_id"], "client_secret": app["client_secret"], "token": token},
    )
    assert r.status_code == 200, r.text


@pytest.fixture
def make_user(client: TestClient, app_credentials: dict[str, str]) -> Any:
    """Register an account through the API and log it in with the password grant."""

    def make(username: str, *, scope: str = "read write follow push") -> User:
        email = f"{username.lower()}@example.org"
        r = client.post(
            "/api/v1/accounts",
            headers=app_token(client, app_credentials),
            data={"username": username, "email": email, "password": PASSWORD, "agreement": "true"},
        )
        assert r.status_code == 200, r.text
        r = client.post(
            "/oauth/token",
            data={
                "grant_type": "password",
                "client_id": app_credentials["client_id"],
                "client_secret": app_credentials["client_secret"],
                "username": email,
                "password": PASSWORD,
                "scope": scope,
            },
        )
        assert r.status_code == 200, r.text
        token = r.json()["access_token"]
        me = client.get(
            "/api/v1/accounts/verify_credentials", headers={"Authorization": f"Bearer {token}"}
        ).json()
        return User(id=me["id"], username=username, email=email, token=token, client=client)

    return make


@pytest.fixture
def alice(make_user: Any) -> User:
    return make_user("alice")


@pytest.fixture
def bob(make_user: Any) -> User:
    return make_user("bob")


@pytest.fixture
def carol(make_user: Any) -> User:
    return make_user("carol")
