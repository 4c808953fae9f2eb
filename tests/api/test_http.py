"""HTTP conventions Mastodon clients rely on, and bad input that must change nothing."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from tests.conftest import User


def test_instance_documents(client: TestClient) -> None:
    for path in ("/api/v1/instance", "/api/v1/instance/", "/api/v2/instance/"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"] == "application/json; charset=utf-8"
    v1 = client.get("/api/v1/instance").json()
    # Mastodon.py: cut at the first space, then three numeric parts.
    assert [int(x) for x in v1["version"].split(" ")[0].split(".")] == [4, 2, 0]
    assert v1["uri"] == "testserver" and v1["translation"] == {"enabled": False}
    assert v1["configuration"]["statuses"]["max_characters"] == 280
    v2 = client.get("/api/v2/instance").json()
    assert v2["domain"] == "testserver" and v2["configuration"]["urls"]["streaming"] == "ws://testserver"
    assert v2["api_versions"] == {"mastodon": 1}
    links = client.get("/.well-known/nodeinfo").json()["links"]
    assert links[0]["href"] == "http://testserver/nodeinfo/2.0"
    assert client.get("/nodeinfo/2.0").json()["software"]["name"] == "gazouillis"
    # Plain http: no OAuth metadata, so Mastodon.py falls back to the standard paths.
    assert client.get("/.well-known/oauth-authorization-server").status_code == 404
    assert client.get("/healthz").text == "OK"


def test_unknown_routes_and_methods_answer_json(client: TestClient) -> None:
    r = client.get("/api/v1/nothing-here")
    assert r.status_code == 404 and r.json() == {"error": "Record not found"}
    r = client.put("/api/v1/instance")
    assert r.status_code == 405 and "error" in r.json()


def test_cors(client: TestClient) -> None:
    r = client.options(
        "/api/v1/timelines/home",
        headers={
            "Origin": "https://elk.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
    r = client.get("/api/v1/timelines/public", headers={"Origin": "https://elk.example"})
    assert "Link" in r.headers["access-control-expose-headers"]


def test_oversized_body_changes_nothing(alice: User) -> None:
    r = alice.post("/api/v1/statuses", data={"status": "x" * 70_000})
    assert r.status_code == 413 and "error" in r.json()
    assert alice.get("/api/v1/accounts/verify_credentials").json()["statuses_count"] == 0


def test_invalid_utf8_and_json(alice: User) -> None:
    headers = alice.auth | {"Content-Type": "application/x-www-form-urlencoded"}
    r = alice.client.post("/api/v1/statuses", content=b"status=caf\xe9", headers=headers)
    assert r.status_code == 400 and "UTF-8" in r.json()["error"]
    r = alice.client.post(
        "/api/v1/statuses",
        content=b'{"status": "caf\xe9"}',
        headers=alice.auth | {"Content-Type": "application/json"},
    )
    assert r.status_code == 400
    r = alice.client.post(
        "/api/v1/statuses", content=b'{"status": ', headers=alice.auth | {"Content-Type": "application/json"}
    )
    assert r.status_code == 400
    r = alice.client.post(
        "/api/v1/statuses", content=b"[1, 2]", headers=alice.auth | {"Content-Type": "application/json"}
    )
    assert r.status_code == 400
    r = alice.client.get("/api/v1/timelines/public?max_id=%ff")
    assert r.status_code == 400
    assert alice.get("/api/v1/accounts/verify_credentials").json()["statuses_count"] == 0


def test_parameter_encodings(alice: User, bob: User) -> None:
    # JSON with string booleans (Mastodon.py), multipart (masto.js), form with k[] arrays (everyone).
    s = alice.post("/api/v1/statuses", json={"status": "json", "sensitive": "0", "spoiler_text": ""}).json()
    assert s["sensitive"] is False
    s = alice.post(
        "/api/v1/statuses", files={"status": (None, "multipart"), "sensitive": (None, "true")}
    ).json()
    assert s["content"] == "<p>multipart</p>" and s["sensitive"] is True
    r = alice.get(
        "/api/v1/accounts/relationships", params=[("id[]", bob.id), ("id[]", alice.id), ("id[]", "junk")]
    )
    assert [x["id"] for x in r.json()] == [bob.id, alice.id]
    # Unknown parameters are ignored.
    assert (
        alice.post(
            "/api/v1/statuses", data={"status": "extra", "content_type": "text/plain", "lang": "fr"}
        ).status_code
        == 200
    )


def test_delete_with_body_and_trailing_slash(alice: User) -> None:
    s = alice.status("bye")
    r = alice.client.request(
        "DELETE", f"/api/v1/statuses/{s['id']}/", headers=alice.auth, data={"delete_media": "1"}
    )
    assert r.status_code == 200


def test_link_header_format_matches_toot(alice: User) -> None:
    for i in range(3):
        alice.status(f"n{i}")
    link = alice.get("/api/v1/timelines/home", params={"limit": 1}).headers["link"]
    assert re.match('<([^>]+)>; rel="next"', link)
    # The other parameters are kept (encoded), the cursors replaced: next is older, prev newer.
    r = alice.get("/api/v1/timelines/home", params=[("limit", 2), ("max_id", 2**62), ("x y", "é&")])
    first, last = r.json()[0]["id"], r.json()[-1]["id"]
    base = "http://testserver/api/v1/timelines/home?limit=2&x+y=%C3%A9%26"
    assert r.headers["link"] == f'<{base}&max_id={last}>; rel="next", <{base}&min_id={first}>; rel="prev"'
    assert "link" not in alice.get("/api/v1/timelines/home", params={"max_id": 1}).headers
