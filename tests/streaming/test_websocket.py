"""The WebSocket endpoint through Starlette's test client: subscriptions, frames, errors, who gets what."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.conftest import User


def frame(ws: Any) -> dict[str, Any]:
    return json.loads(ws.receive_text())


def open_socket(client: TestClient, user: User, query: str = "") -> Any:
    return client.websocket_connect(f"/api/v1/streaming{query}", headers=user.auth)


def test_user_stream_gets_own_and_followed_posts(client: TestClient, alice: User, bob: User) -> None:
    bob.post(f"/api/v1/accounts/{alice.id}/follow")
    with open_socket(client, bob, "?stream=user") as ws:
        post = alice.status("hello followers")
        got = frame(ws)
        assert got["stream"] == ["user"] and got["event"] == "update"
        status = json.loads(got["payload"])
        assert status["id"] == post["id"] and status["account"]["id"] == alice.id
        alice.delete(f"/api/v1/statuses/{post['id']}")
        got = frame(ws)
        assert got == {"stream": ["user"], "event": "delete", "payload": post["id"]}


def test_token_as_subprotocol_is_echoed(client: TestClient, alice: User) -> None:
    with client.websocket_connect("/api/v1/streaming", subprotocols=[alice.token]) as ws:
        assert ws.accepted_subprotocol == alice.token
        ws.send_text(json.dumps({"type": "subscribe", "stream": "public"}))
        alice.status("public words")
        assert frame(ws)["stream"] == ["public"]


def test_bad_token_is_refused(client: TestClient) -> None:
    with (
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect("/api/v1/streaming?access_token=nope") as ws,
    ):
        ws.receive_text()


def test_followers_only_post_never_reaches_a_stranger(
    client: TestClient, alice: User, bob: User, carol: User
) -> None:
    carol.post(f"/api/v1/accounts/{alice.id}/follow")
    with (
        open_socket(client, bob, "?stream=user") as bob_user,
        open_socket(client, bob, "?stream=public") as bob_public,
        open_socket(client, carol, "?stream=user") as carol_user,
    ):
        secret = alice.status("for followers", visibility="private")
        assert json.loads(frame(carol_user)["payload"])["id"] == secret["id"]
        marker = alice.status("public marker")  # the first thing strangers may receive
        assert json.loads(frame(bob_public)["payload"])["id"] == marker["id"]
        bob.status("bob's own")
        assert json.loads(frame(bob_user)["payload"])["account"]["id"] == bob.id


def test_hashtag_stream_is_case_insensitive_and_echoes_the_tag(
    client: TestClient, alice: User, bob: User
) -> None:
    with open_socket(client, bob) as ws:
        ws.send_text(json.dumps({"type": "subscribe", "stream": "hashtag", "tag": "Python"}))
        alice.status("nothing tagged")
        alice.status("about #python", visibility="unlisted")  # not public: not on hashtag streams
        post = alice.status("loving #PYTHON")
        got = frame(ws)
        assert got["stream"] == ["hashtag", "Python"] and json.loads(got["payload"])["id"] == post["id"]


def test_subscribe_twice_then_unsubscribe(client: TestClient, alice: User, bob: User) -> None:
    with open_socket(client, bob) as ws:
        for _ in range(2):
            ws.send_text(json.dumps({"type": "subscribe", "stream": "public:local"}))
        ws.send_text(json.dumps({"type": "subscribe", "stream": ["public"]}))
        first = alice.status("one")
        got = [frame(ws), frame(ws)]
        assert sorted(tuple(g["stream"]) for g in got) == [("public",), ("public:local",)]
        assert all(json.loads(g["payload"])["id"] == first["id"] for g in got)
        ws.send_text(json.dumps({"type": "unsubscribe", "stream": "public:local"}))
        ws.send_text(json.dumps({"type": "subscribe", "stream": "nonsense"}))
        assert frame(ws) == {"error": "Unknown stream type", "status": 400}  # the socket stays open
        second = alice.status("two")
        got = frame(ws)
        assert got["stream"] == ["public"] and json.loads(got["payload"])["id"] == second["id"]


def test_bad_subscriptions_get_errors_and_the_socket_keeps_serving(
    client: TestClient, alice: User, bob: User
) -> None:
    own = alice.post("/api/v1/lists", data={"title": "mine"}).json()
    with open_socket(client, bob) as ws:
        ws.send_text(json.dumps({"type": "subscribe", "stream": "hashtag"}))
        assert frame(ws)["error"] == "Missing tag name parameter"
        ws.send_text(json.dumps({"type": "subscribe", "stream": "list", "list": own["id"]}))
        assert frame(ws) == {"error": "Record not found", "status": 404}  # alice's list, not bob's
        ws.send_text("not json")
        assert frame(ws)["status"] == 400
        ws.send_text(json.dumps({"type": "subscribe", "stream": "public"}))
        post = alice.status("still serving")
        assert json.loads(frame(ws)["payload"])["id"] == post["id"]


def test_list_stream(client: TestClient, alice: User, bob: User, carol: User) -> None:
    bob.post(f"/api/v1/accounts/{alice.id}/follow")
    bob.post(f"/api/v1/accounts/{carol.id}/follow")
    own = bob.post("/api/v1/lists", data={"title": "friends"}).json()
    r = bob.post(f"/api/v1/lists/{own['id']}/accounts", data={"account_ids[]": [alice.id]})
    assert r.status_code == 200, r.text
    with open_socket(client, bob, f"?stream=list&list={own['id']}") as ws:
        carol.status("not in the list")
        post = alice.status("in the list")
        got = frame(ws)
        assert got["stream"] == ["list", own["id"]] and json.loads(got["payload"])["id"] == post["id"]


@pytest.mark.parametrize(("policy", "streamed"), [("none", False), ("list", False), ("followed", True)])
def test_list_stream_follows_the_replies_policy(
    client: TestClient, alice: User, bob: User, carol: User, policy: str, streamed: bool
) -> None:
    bob.post(f"/api/v1/accounts/{alice.id}/follow")
    bob.post(f"/api/v1/accounts/{carol.id}/follow")
    own = bob.post("/api/v1/lists", data={"title": "watch", "replies_policy": policy}).json()
    bob.post(f"/api/v1/lists/{own['id']}/accounts", data={"account_ids[]": [alice.id]})
    question = carol.status("a question")
    with open_socket(client, bob, f"?stream=list&list={own['id']}") as ws:
        reply = alice.status("@carol an answer", in_reply_to_id=question["id"])
        alice.status("@bob a secret", visibility="direct")
        last = alice.status("and then")
        ids = [json.loads(frame(ws)["payload"])["id"] for _ in range(2 if streamed else 1)]
        # As the list's timeline: the reply by its policy, never the direct post.
        assert ids == ([reply["id"], last["id"]] if streamed else [last["id"]])
        listed = [s["id"] for s in bob.get(f"/api/v1/timelines/list/{own['id']}").json()]
        assert (reply["id"] in listed) is streamed


def test_notifications_and_conversations(client: TestClient, drain: Any, alice: User, bob: User) -> None:
    with (
        open_socket(client, bob, "?stream=user:notification") as notes,
        open_socket(client, bob, "?stream=direct") as direct,
    ):
        dm = alice.status("@bob a secret", visibility="direct")
        drain()
        note = frame(notes)
        assert note["stream"] == ["user:notification"] and note["event"] == "notification"
        entity = json.loads(note["payload"])
        assert entity["type"] == "mention" and entity["status"]["id"] == dm["id"]
        conv = frame(direct)
        assert conv["stream"] == ["direct"] and conv["event"] == "conversation"
        assert json.loads(conv["payload"])["last_status"]["id"] == dm["id"]


def test_blocked_and_muted_authors_are_not_streamed(
    client: TestClient, alice: User, bob: User, carol: User
) -> None:
    bob.post(f"/api/v1/accounts/{alice.id}/block")
    bob.post(f"/api/v1/accounts/{carol.id}/mute")
    with open_socket(client, bob, "?stream=public") as ws:
        alice.status("blocked words")
        carol.status("muted words")
        post = bob.status("bob speaks")
        assert json.loads(frame(ws)["payload"])["id"] == post["id"]


def test_a_reader_that_stops_reading_is_dropped(client: TestClient, alice: User, bob: User) -> None:
    hub = client.app.state.streaming_hub  # type: ignore[attr-defined]
    with (
        open_socket(client, bob, "?stream=public") as stalled,
        open_socket(client, alice, "?stream=public") as ws,
    ):
        # The test client reads every frame into a buffer of its own: stall bob's connection on the server
        # side instead, giving it a small queue its writer (waiting on the old one) never empties.
        stalled_conn = next(c for c in hub.connections if c.viewer_id == int(bob.id))
        stalled_conn.queue = asyncio.Queue(maxsize=2)
        for i in range(4):
            alice.status(f"flood {i}")
        # The hub delivers each post after its request has answered (on the event loop, planned on a
        # thread): on a busy machine the last ones may still be on their way.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and stalled_conn in hub.connections:
            time.sleep(0.01)
        assert stalled_conn.overflowed and stalled_conn.closed.is_set()
        assert stalled_conn not in hub.connections  # cleaned up
        assert json.loads(frame(ws)["payload"])["content"]  # the others are served
        assert stalled is not None


def test_changing_a_filter_tells_the_user_stream(client: TestClient, alice: User, bob: User) -> None:
    with open_socket(client, alice, "?stream=user") as ws:
        created = alice.post("/api/v2/filters", data={"title": "spoilers", "context[]": "home"})
        assert created.status_code == 200, created.text
        assert frame(ws) == {"stream": ["user"], "event": "filters_changed"}  # no payload, as Mastodon
        # Someone else's change is not told to alice: the next frame is her own post.
        bob.post("/api/v2/filters", data={"title": "bob's", "context[]": "home"})
        post = alice.status("after the filters")
        got = frame(ws)
        assert got["event"] == "update" and json.loads(got["payload"])["id"] == post["id"]
