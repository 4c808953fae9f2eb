"""Streaming against the real server process: real WebSocket and SSE clients, Mastodon.py, and events
crossing processes (two servers sharing PostgreSQL, with and without Redis)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from mastodon import StreamListener
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.conftest import REDIS_URL
from tests.e2e.conftest import Server, free_port, wait_for


def start_server(env: dict[str, str], tmp_path: Path, name: str, **extra: str) -> Server:
    port = free_port()
    env = env | {"GAZOUILLIS_DOMAIN": f"127.0.0.1:{port}", "GAZOUILLIS_STREAMING_HEARTBEAT_SECONDS": "0.5"}
    srv = Server(url=f"http://127.0.0.1:{port}", env=env | extra, log=tmp_path / f"{name}.log")
    srv.start()
    return srv


@pytest.fixture
def live(server_env: dict[str, str], tmp_path: Path) -> Iterator[Server]:
    srv = start_server(server_env, tmp_path, "live")
    yield srv
    srv.stop()


def ws_url(server: Server, query: str = "") -> str:
    return server.url.replace("http://", "ws://") + "/api/v1/streaming" + query


def recv(ws: Any, timeout: float = 10) -> dict[str, Any]:
    return json.loads(ws.recv(timeout=timeout))


class SSE:
    """Reads a server-sent events stream in a thread: ``events`` (name, data) and ``comments``."""

    def __init__(self, url: str, token: str | None = None) -> None:
        self.events: list[tuple[str, str]] = []
        self.comments: list[str] = []
        headers = {"Authorization": f"Bearer {token}"} if token else {"Origin": "https://elk.example"}
        self.client = httpx.Client(timeout=httpx.Timeout(10, read=30))
        self.response = self.client.send(self.client.build_request("GET", url, headers=headers), stream=True)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        name = None
        try:
            for line in self.response.iter_lines():
                if line.startswith(":"):
                    self.comments.append(line)
                elif line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: ") and name:
                    self.events.append((name, line[6:]))
        except httpx.HTTPError:
            pass

    def close(self) -> None:
        self.response.close()
        self.client.close()


def test_websocket_streams_against_the_real_server(live: Server) -> None:
    alice, bob, carol = (
        live.mastodon(live.create_user("alice")),
        live.mastodon(live.create_user("bob")),
        live.mastodon(live.create_user("carol")),
    )
    bob.account_follow(alice.me()["id"])
    with connect(ws_url(live), subprotocols=[bob.access_token]) as ws:  # type: ignore[list-item]
        assert ws.subprotocol == bob.access_token
        ws.send(json.dumps({"type": "subscribe", "stream": "user"}))
        ws.send(json.dumps({"type": "subscribe", "stream": "user:notification"}))
        ws.send(json.dumps({"type": "subscribe", "stream": "hashtag", "tag": "Live"}))
        time.sleep(0.3)
        post = alice.status_post("hello @bob #live")
        got = [
            recv(ws) for _ in range(4)
        ]  # user + hashtag updates, notifications on user and user:notification
        kinds = sorted((tuple(g["stream"]), g["event"]) for g in got)
        assert kinds == [
            (("hashtag", "Live"), "update"),
            (("user",), "notification"),
            (("user",), "update"),
            (("user:notification",), "notification"),
        ]
        assert all(json.loads(g["payload"]).get("id") for g in got)
        # A stranger's socket never sees a followers-only post, and keeps working.
        with connect(
            ws_url(live, "?stream=user"), additional_headers={"Authorization": f"Bearer {carol.access_token}"}
        ) as other:
            secret = alice.status_post("followers only", visibility="private")
            assert json.loads(recv(ws)["payload"])["id"] == secret["id"]
            mine = carol.status_post("carol's")
            assert json.loads(recv(other)["payload"])["id"] == mine["id"]
        alice.status_delete(post["id"])
        deletes = [recv(ws) for _ in range(2)]
        assert {d["payload"] for d in deletes} == {post["id"]} and {d["event"] for d in deletes} == {"delete"}


def test_bad_input_leaves_the_server_serving(live: Server) -> None:
    alice, bob = live.mastodon(live.create_user("alice")), live.mastodon(live.create_user("bob"))
    with connect(ws_url(live, "?stream=public"), subprotocols=[bob.access_token]) as good:  # type: ignore[list-item]
        with pytest.raises(InvalidStatus) as refused:
            connect(ws_url(live, "?access_token=wrong"))
        assert refused.value.response.status_code == 401
        with pytest.raises(InvalidStatus):
            connect(ws_url(live))  # no token at all
        with connect(ws_url(live, "?stream=nope"), subprotocols=[alice.access_token]) as odd:  # type: ignore[list-item]
            assert recv(odd) == {"error": "Unknown stream type", "status": 400}
            odd.send("{{{")
            assert recv(odd)["status"] == 400
        api = httpx.Client(base_url=live.url, timeout=10)
        assert api.get("/api/v1/streaming/health").text == "OK"
        assert api.get("/api/v1/streaming/user", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert api.get("/api/v1/streaming/user").status_code == 401
        bearer = {"Authorization": f"Bearer {bob.access_token}"}
        assert api.get("/api/v1/streaming/hashtag", headers=bearer).json() == {
            "error": "Missing tag name parameter"
        }
        foreign = alice.list_create("alice's")
        assert api.get(f"/api/v1/streaming/list?list={foreign['id']}", headers=bearer).status_code == 404
        api.close()
        post = alice.status_post("still here")
        assert json.loads(recv(good)["payload"])["id"] == post["id"]


def test_server_sent_events(live: Server) -> None:
    alice, bob = live.mastodon(live.create_user("alice")), live.mastodon(live.create_user("bob"))
    public = SSE(live.url + "/api/v1/streaming/public")  # visitors may read public streams
    user = SSE(live.url + "/api/v1/streaming/user", bob.access_token)
    try:
        assert public.response.headers["content-type"].startswith("text/event-stream")
        assert public.response.headers["access-control-allow-origin"] == "*"
        time.sleep(0.3)
        hidden = alice.status_post("not for strangers", visibility="private")
        post = alice.status_post("out loud")
        assert wait_for(lambda: public.events)
        assert [json.loads(d)["id"] for _, d in public.events] == [post["id"]]
        assert wait_for(lambda: ":thump" in public.comments) and public.comments[0] == ":)"
        bob.status_delete(bob.status_post("mine")["id"])
        assert wait_for(lambda: len(user.events) == 2)
        assert [name for name, _ in user.events] == ["update", "delete"]
        assert hidden["id"] not in "".join(d for _, d in public.events + user.events)
    finally:
        public.close()
        user.close()


class Collect(StreamListener):
    def __init__(self) -> None:
        self.updates: list[Any] = []
        self.notifications: list[Any] = []
        self.deletes: list[Any] = []

    def on_update(self, status: Any) -> None:
        self.updates.append(status)

    def on_notification(self, notification: Any) -> None:
        self.notifications.append(notification)

    def on_delete(self, status_id: Any) -> None:
        self.deletes.append(status_id)


def test_mastodon_py_streaming(live: Server) -> None:
    alice, bob = live.mastodon(live.create_user("alice")), live.mastodon(live.create_user("bob"))
    assert bob.stream_healthy()
    bob.account_follow(alice.me()["id"])
    user, tag = Collect(), Collect()
    handles = [bob.stream_user(user, run_async=True), bob.stream_hashtag("Mastodon", tag, run_async=True)]
    try:
        time.sleep(1)
        post = alice.status_post("hi @bob, #mastodon")
        assert wait_for(lambda: user.updates and user.notifications and tag.updates)
        assert user.updates[0]["id"] == post["id"] and tag.updates[0]["id"] == post["id"]
        assert user.notifications[0]["type"] == "mention"
        alice.status_delete(post["id"])
        assert wait_for(lambda: user.deletes and tag.deletes)
        assert str(user.deletes[0]) == str(post["id"])
    finally:
        for handle in handles:
            handle.close()


@pytest.mark.parametrize("with_redis", [True, False], ids=["redis", "postgresql-notify"])
def test_events_cross_processes(
    server_env: dict[str, str], tmp_path: Path, database_url: str, with_redis: bool
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("several processes share PostgreSQL (SQLite: one process, the in-process bus)")
    extra = {}
    if with_redis:
        if not REDIS_URL:
            pytest.skip("needs GAZOUILLIS_TEST_REDIS_URL")
        extra = {"GAZOUILLIS_REDIS_URL": REDIS_URL}
    a = start_server(server_env, tmp_path, "a", **extra)
    b = start_server(server_env, tmp_path, "b", **extra)
    try:
        alice, bob = a.mastodon(a.create_user("alice")), a.mastodon(a.create_user("bob"))
        bob.account_follow(alice.me()["id"])
        with connect(ws_url(b, "?stream=user"), subprotocols=[bob.access_token]) as ws:  # type: ignore[list-item]
            time.sleep(0.5)
            post = alice.status_post("through process A, @bob")  # made through A, streamed by B
            got = [recv(ws, 15) for _ in range(2)]
            assert {g["event"] for g in got} == {"update", "notification"}
            assert json.loads(next(g for g in got if g["event"] == "update")["payload"])["id"] == post["id"]
    finally:
        a.stop()
        b.stop()
