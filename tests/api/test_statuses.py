"""Compose, read, delete, threads, likes, reposts, quotes and bookmarks."""

from __future__ import annotations

import uuid

from starlette.testclient import TestClient

from tests.conftest import User


def test_create_renders_entities(alice: User, bob: User) -> None:
    s = alice.status(
        "Hi @bob and @nobody, see #Café and https://example.org/a/very/long/path/that/goes/on/and/on",
        language="fr",
    )
    assert s["account"]["id"] == alice.id and s["language"] == "fr" and s["visibility"] == "public"
    assert [m["acct"] for m in s["mentions"]] == ["bob"]
    assert 'class="u-url mention"' in s["content"] and "http://testserver/@bob" in s["content"]
    assert "@nobody" in s["content"] and "/@nobody" not in s["content"]
    assert s["tags"] == [{"name": "café", "url": "http://testserver/tags/café"}]
    assert 'class="invisible">https://</span>' in s["content"]
    assert s["application"]["name"] == "tests"
    assert s["favourited"] is False and s["reblogged"] is False and s["bookmarked"] is False
    assert s["created_at"].endswith("Z") and s["url"] == f"http://testserver/@alice/{s['id']}"


def test_escaping(alice: User) -> None:
    s = alice.status('<script>alert("x")</script> & done')
    assert "<script>" not in s["content"] and "&lt;script&gt;" in s["content"]


def test_length_and_blank_are_refused_and_nothing_changes(alice: User) -> None:
    before = alice.get("/api/v1/accounts/verify_credentials").json()["statuses_count"]
    for body in ({"status": "x" * 281}, {"status": "   "}, {}, {"status": "日本" * 71}):
        r = alice.post("/api/v1/statuses", data=body)
        assert r.status_code == 422, body
        assert "error" in r.json()
    assert alice.post("/api/v1/statuses", data={"status": "x" * 280}).status_code == 200
    # A URL counts 23 whatever its length.
    assert (
        alice.post(
            "/api/v1/statuses", data={"status": "a" * 256 + " https://example.org/" + "p" * 100}
        ).status_code
        == 200
    )
    r = alice.post("/api/v1/statuses", data={"status": "ok", "visibility": "everyone"})
    assert r.status_code == 422
    assert alice.get("/api/v1/accounts/verify_credentials").json()["statuses_count"] == before + 2


def test_idempotency_key(alice: User) -> None:
    key = uuid.uuid4().hex
    first = alice.post("/api/v1/statuses", json={"status": "once"}, headers={"Idempotency-Key": key}).json()
    second = alice.post("/api/v1/statuses", json={"status": "once"}, headers={"Idempotency-Key": key}).json()
    assert first["id"] == second["id"]
    assert alice.get("/api/v1/accounts/verify_credentials").json()["statuses_count"] == 1


def test_get_and_delete(alice: User, bob: User, client: TestClient) -> None:
    s = alice.status("to be deleted")
    assert client.get(f"/api/v1/statuses/{s['id']}").json()["content"] == s["content"]
    assert bob.delete(f"/api/v1/statuses/{s['id']}").status_code == 403
    r = alice.delete(f"/api/v1/statuses/{s['id']}")
    assert r.status_code == 200 and r.json()["text"] == "to be deleted"
    assert client.get(f"/api/v1/statuses/{s['id']}").status_code == 404
    assert alice.delete(f"/api/v1/statuses/{s['id']}").status_code == 404
    assert alice.get("/api/v1/accounts/verify_credentials").json()["statuses_count"] == 0


def test_thread_context(alice: User, bob: User, carol: User, client: TestClient) -> None:
    root = alice.status("root")
    r1 = bob.status("@alice first", in_reply_to_id=root["id"])
    r2 = carol.status("@bob nested", in_reply_to_id=r1["id"])
    r3 = alice.status("second", in_reply_to_id=root["id"])
    assert r1["in_reply_to_id"] == root["id"] and r1["in_reply_to_account_id"] == alice.id
    ctx = client.get(f"/api/v1/statuses/{r2['id']}/context").json()
    assert [s["id"] for s in ctx["ancestors"]] == [root["id"], r1["id"]]
    ctx = client.get(f"/api/v1/statuses/{root['id']}/context").json()
    assert [s["id"] for s in ctx["descendants"]] == [r1["id"], r2["id"], r3["id"]]
    assert client.get(f"/api/v1/statuses/{root['id']}").json()["replies_count"] == 2


def test_reply_to_missing_or_invisible_post(alice: User, bob: User) -> None:
    secret = alice.status("followers only", visibility="private")
    r = bob.post("/api/v1/statuses", data={"status": "peek", "in_reply_to_id": secret["id"]})
    assert r.status_code == 404
    assert bob.post("/api/v1/statuses", data={"status": "x", "in_reply_to_id": "999"}).status_code == 404
    assert bob.post("/api/v1/statuses", data={"status": "x", "in_reply_to_id": "abc"}).status_code == 400
    assert bob.get("/api/v1/accounts/verify_credentials").json()["statuses_count"] == 0


def test_favourite_and_bookmark(alice: User, bob: User, client: TestClient) -> None:
    s = alice.status("like me")
    r = bob.post(f"/api/v1/statuses/{s['id']}/favourite")
    assert r.json()["favourited"] is True and r.json()["favourites_count"] == 1
    bob.post(f"/api/v1/statuses/{s['id']}/favourite")  # twice is once
    assert client.get(f"/api/v1/statuses/{s['id']}").json()["favourites_count"] == 1
    assert [a["id"] for a in client.get(f"/api/v1/statuses/{s['id']}/favourited_by").json()] == [bob.id]
    assert [x["id"] for x in bob.get("/api/v1/favourites").json()] == [s["id"]]
    r = bob.post(f"/api/v1/statuses/{s['id']}/unfavourite")
    assert r.json()["favourited"] is False and r.json()["favourites_count"] == 0
    assert bob.get("/api/v1/favourites").json() == []
    assert bob.post(f"/api/v1/statuses/{s['id']}/bookmark").json()["bookmarked"] is True
    assert [x["id"] for x in bob.get("/api/v1/bookmarks").json()] == [s["id"]]
    assert bob.post(f"/api/v1/statuses/{s['id']}/unbookmark").json()["bookmarked"] is False
    assert bob.get("/api/v1/bookmarks").json() == []


def test_reblog_and_undo(alice: User, bob: User, client: TestClient) -> None:
    s = alice.status("boost me")
    r = bob.post(f"/api/v1/statuses/{s['id']}/reblog")
    assert r.status_code == 200
    wrapper = r.json()
    assert (
        wrapper["reblog"]["id"] == s["id"]
        and wrapper["reblog"]["reblogged"] is True
        and wrapper["content"] == ""
    )
    assert bob.post(f"/api/v1/statuses/{s['id']}/reblog").json()["id"] == wrapper["id"]
    assert client.get(f"/api/v1/statuses/{s['id']}").json()["reblogs_count"] == 1
    assert [a["id"] for a in client.get(f"/api/v1/statuses/{s['id']}/reblogged_by").json()] == [bob.id]
    # Liking the repost likes the original.
    assert bob.post(f"/api/v1/statuses/{wrapper['id']}/favourite").json()["id"] == s["id"]
    r = bob.post(f"/api/v1/statuses/{s['id']}/unreblog")
    assert r.json()["id"] == s["id"] and r.json()["reblogged"] is False and r.json()["reblogs_count"] == 0
    assert client.get(f"/api/v1/statuses/{wrapper['id']}").status_code == 404


def test_private_posts_cannot_be_reblogged(alice: User, bob: User) -> None:
    bob.post(f"/api/v1/accounts/{alice.id}/follow")
    s = alice.status("followers only", visibility="private")
    assert bob.post(f"/api/v1/statuses/{s['id']}/reblog").status_code == 403
    assert alice.get(f"/api/v1/statuses/{s['id']}").json()["reblogs_count"] == 0


def test_quote(alice: User, bob: User) -> None:
    s = alice.status("quotable")
    q = bob.status("so true", quoted_status_id=s["id"])
    assert q["quote"]["state"] == "accepted" and q["quote"]["quoted_status"]["id"] == s["id"]
    assert f"/@alice/{s['id']}" in q["content"]
    assert alice.get(f"/api/v1/statuses/{s['id']}").json()["quotes_count"] == 1
    secret = alice.status("private", visibility="private")
    assert (
        bob.post("/api/v1/statuses", data={"status": "x", "quoted_status_id": secret["id"]}).status_code
        == 404
    )


def test_deleting_removes_reblogs_and_counts(alice: User, bob: User, client: TestClient) -> None:
    s = alice.status("short-lived")
    bob.post(f"/api/v1/statuses/{s['id']}/reblog")
    assert bob.get("/api/v1/accounts/verify_credentials").json()["statuses_count"] == 1
    alice.delete(f"/api/v1/statuses/{s['id']}")
    assert bob.get("/api/v1/accounts/verify_credentials").json()["statuses_count"] == 0
    assert client.get(f"/api/v1/accounts/{bob.id}/statuses").json() == []
