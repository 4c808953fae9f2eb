"""The feed back-end comes from the settings, in one place, for the app, the worker and the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from starlette.testclient import TestClient

from gazouillis.app import create_app
from gazouillis.config import Settings
from gazouillis.jobs.queue import run_pending
from gazouillis.storage import Database
from gazouillis.timelines.feeds import build_feed_store, feeds_of
from gazouillis.timelines.feeds.redis import RedisFeedStore
from gazouillis.timelines.feeds.sql import SqlFeedStore
from tests.conftest import PASSWORD


def test_the_app_attaches_the_feed_store_the_settings_ask_for(
    settings: Settings, db: Database, redis_url: str
) -> None:
    create_app(settings.model_copy(update={"feed_cap": 300, "fanout_threshold": 7}), database=db)
    with db.read() as session:
        store = feeds_of(session)
    assert isinstance(store, SqlFeedStore) and (store.policy.cap, store.policy.threshold) == (300, 7)
    create_app(settings.model_copy(update={"feed_store": "redis", "redis_url": redis_url}), database=db)
    with db.read() as session:
        assert isinstance(feeds_of(session), RedisFeedStore)


def test_fan_out_batches_are_smaller_on_sqlite_unless_the_settings_say(
    settings: Settings, db: Database
) -> None:
    # On SQLite each batch holds the only write lock, and a new post waits for the batch under way.
    expected = 250 if db.is_sqlite else 1_000
    assert build_feed_store(settings, db).policy.batch_size == expected
    chosen = settings.model_copy(update={"fanout_batch_size": 2_500})
    assert build_feed_store(chosen, db).policy.batch_size == 2_500


def test_a_redis_feed_store_needs_a_redis_url(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="redis_url"):
        Settings(data_dir=tmp_path, feed_store="redis")


def test_home_timeline_through_the_api_on_redis(settings: Settings, db: Database, redis_url: str) -> None:
    redis_settings = settings.model_copy(update={"feed_store": "redis", "redis_url": redis_url})
    with TestClient(create_app(redis_settings, database=db), base_url="http://testserver") as client:
        app = client.post(
            "/api/v1/apps",
            data={
                "client_name": "t",
                "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
                "scopes": "read write follow",
            },
        ).json()
        auth = {}
        for name in ("alice", "bob"):
            token = client.post(
                "/oauth/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": app["client_id"],
                    "client_secret": app["client_secret"],
                    "scope": "read write",
                },
            ).json()["access_token"]
            r = client.post(
                "/api/v1/accounts",
                headers={"Authorization": f"Bearer {token}"},
                data={
                    "username": name,
                    "email": f"{name}@example.org",
                    "password": PASSWORD,
                    "agreement": "true",
                },
            )
            assert r.status_code == 200, r.text
            auth[name] = {"Authorization": f"Bearer {r.json()['access_token']}"}
        alice_id = client.get("/api/v1/accounts/verify_credentials", headers=auth["alice"]).json()["id"]
        assert client.post(f"/api/v1/accounts/{alice_id}/follow", headers=auth["bob"]).status_code == 200
        posted = client.post("/api/v1/statuses", headers=auth["alice"], data={"status": "bonjour"}).json()
        run_pending(db)
        home = client.get("/api/v1/timelines/home", headers=auth["bob"]).json()
        assert [s["id"] for s in home] == [posted["id"]]
        store = app_store(db)
        bob_id = client.get("/api/v1/accounts/verify_credentials", headers=auth["bob"]).json()["id"]
        assert store.client.exists(f"gz:feed:{bob_id}")  # built by bob's first read
        client.request("DELETE", f"/api/v1/statuses/{posted['id']}", headers=auth["alice"])
        assert client.get("/api/v1/timelines/home", headers=auth["bob"]).json() == []


def app_store(db: Database) -> RedisFeedStore:
    with db.read() as session:
        store = feeds_of(session)
    assert isinstance(store, RedisFeedStore)
    return store
