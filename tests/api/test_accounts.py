"""Registration, credentials, profiles, look-ups, follows and follow requests."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from gazouillis.app import create_app
from gazouillis.config import Settings
from tests.conftest import User, app_token


def _count_accounts(client: TestClient) -> int:
    return client.get("/api/v1/instance").json()["stats"]["user_count"]


def test_registration_validation_changes_nothing(
    client: TestClient, alice: User, app_credentials: dict[str, str]
) -> None:
    headers = app_token(client, app_credentials)
    before = _count_accounts(client)
    cases = [
        (
            {"username": "ALICE", "email": "other@example.org", "password": "a fine passphrase"},
            "username",
            "ERR_TAKEN",
        ),
        ({"username": "newbie", "email": alice.email, "password": "a fine passphrase"}, "email", "ERR_TAKEN"),
        ({"username": "newbie", "email": "n@example.org", "password": "short"}, "password", "ERR_INVALID"),
        (
            {"username": "newbie", "email": "n@example.org", "password": "password123"},
            "password",
            "ERR_INVALID",
        ),
        ({"username": "newbie", "email": "n@example.org"}, "password", "ERR_INVALID"),
        (
            {"username": "bad name!", "email": "n@example.org", "password": "a fine passphrase"},
            "username",
            "ERR_INVALID",
        ),
        (
            {"username": "newbie", "email": "not-an-email", "password": "a fine passphrase"},
            "email",
            "ERR_INVALID",
        ),
    ]
    for body, field, code in cases:
        r = client.post("/api/v1/accounts", headers=headers, data=body | {"agreement": "1"})
        assert r.status_code == 422, body
        assert r.json()["details"][field][0]["error"] == code
    r = client.post(
        "/api/v1/accounts",
        headers=headers,
        data={"username": "newbie", "email": "n@example.org", "password": "a fine passphrase"},
    )
    assert r.status_code == 422 and "agreement" in r.json()["details"]
    assert _count_accounts(client) == before


def test_registration_needs_anapp_token(client: TestClient) -> None:
    r = client.post(
        "/api/v1/accounts",
        data={"username": "x", "email": "x@example.org", "password": "a fine passphrase", "agreement": "1"},
    )
    assert r.status_code == 401


@pytest.mark.parametrize("mode", ["closed", "approval"])
def test_registration_modes(mode: str, settings: Settings, db: Any, app_credentials: dict[str, str]) -> None:
    settings.registrations = mode  # type: ignore[assignment]
    with TestClient(create_app(settings, database=db)) as client:
        app = client.post(
            "/api/v1/apps",
            data={"client_name": "t", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read write"},
        ).json()
        headers = app_token(client, app)
        r = client.post(
            "/api/v1/accounts",
            headers=headers,
            data={
                "username": "late",
                "email": "late@example.org",
                "password": "a fine passphrase",
                "agreement": "1",
            },
        )
        if mode == "closed":
            assert r.status_code == 403
            assert client.get("/api/v1/instance").json()["registrations"] is False
        else:
            assert r.status_code == 200
            token = r.json()["access_token"]
            r = client.get(
                "/api/v1/accounts/verify_credentials", headers={"Authorization": f"Bearer {token}"}
            )
            assert r.status_code == 403 and "approval" in r.json()["error"]
            assert client.get("/api/v2/instance").json()["registrations"]["approval_required"] is True


def test_verify_and_update_credentials(alice: User) -> None:
    r = alice.patch(
        "/api/v1/accounts/update_credentials",
        data={
            "display_name": "Alice Liddell",
            "note": "Curious & #curiouser",
            "locked": "1",
            "bot": "false",
            "website": "https://alice.fr",
            "fields_attributes[0][name]": "Pronouns",
            "fields_attributes[0][value]": "she/her",
            "source[privacy]": "unlisted",
            "source[language]": "fr",
        },
    )
    assert r.status_code == 200, r.text
    me = r.json()
    assert me["display_name"] == "Alice Liddell" and me["locked"] is True and me["bot"] is False
    assert "&amp;" in me["note"] and 'class="mention hashtag"' in me["note"]
    assert me["source"]["note"] == "Curious & #curiouser"
    assert me["source"]["privacy"] == "unlisted" and me["source"]["language"] == "fr"
    assert me["fields"][0]["name"] == "Website" and 'href="https://alice.fr"' in me["fields"][0]["value"]
    assert me["fields"][1]["name"] == "Pronouns"
    # Default visibility now applies to new posts.
    assert alice.status("hello")["visibility"] == "unlisted"


def test_update_credentials_validation_changes_nothing(alice: User) -> None:
    r = alice.patch("/api/v1/accounts/update_credentials", data={"display_name": "x" * 31, "note": "fine"})
    assert r.status_code == 422
    me = alice.get("/api/v1/accounts/verify_credentials").json()
    assert me["display_name"] == "" and me["source"]["note"] == ""


def test_get_and_lookup(client: TestClient, alice: User) -> None:
    r = client.get(f"/api/v1/accounts/{alice.id}")
    assert r.status_code == 200 and r.json()["acct"] == "alice"
    for acct in ("alice", "@alice", "ALICE", "alice@testserver"):
        assert client.get("/api/v1/accounts/lookup", params={"acct": acct}).json()["id"] == alice.id
    assert (
        client.get("/api/v1/accounts/lookup", params={"acct": "alice@elsewhere.example"}).status_code == 404
    )
    assert client.get("/api/v1/accounts/lookup", params={"acct": "nobody"}).status_code == 404
    assert client.get("/api/v1/accounts/lookup").status_code == 400
    assert client.get("/api/v1/accounts/999999").status_code == 404
    assert client.get("/api/v1/accounts/abc").status_code == 404


def test_follow_unfollow_and_relationships(alice: User, bob: User, client: TestClient) -> None:
    r = alice.post(f"/api/v1/accounts/{bob.id}/follow")
    assert r.status_code == 200 and r.json()["following"] is True and r.json()["followed_by"] is False
    rel = bob.get("/api/v1/accounts/relationships", params={"id[]": [alice.id]}).json()
    assert rel[0]["followed_by"] is True and rel[0]["following"] is False
    assert bob.get("/api/v1/accounts/relationships", params={"id": alice.id}).json()[0]["id"] == alice.id
    assert client.get(f"/api/v1/accounts/{bob.id}").json()["followers_count"] == 1
    assert client.get(f"/api/v1/accounts/{alice.id}").json()["following_count"] == 1
    followers = client.get(f"/api/v1/accounts/{bob.id}/followers").json()
    assert [a["id"] for a in followers] == [alice.id]
    assert [a["id"] for a in client.get(f"/api/v1/accounts/{alice.id}/following").json()] == [bob.id]
    # Following twice changes nothing.
    alice.post(f"/api/v1/accounts/{bob.id}/follow")
    assert client.get(f"/api/v1/accounts/{bob.id}").json()["followers_count"] == 1
    r = alice.post(f"/api/v1/accounts/{bob.id}/unfollow")
    assert r.json()["following"] is False
    assert client.get(f"/api/v1/accounts/{bob.id}").json()["followers_count"] == 0


def test_follow_errors(alice: User) -> None:
    r = alice.post(f"/api/v1/accounts/{alice.id}/follow")
    assert r.status_code == 403
    assert alice.get("/api/v1/accounts/verify_credentials").json()["following_count"] == 0
    assert alice.post("/api/v1/accounts/123456789/follow").status_code == 404
    assert alice.post("/api/v1/accounts/nope/follow").status_code == 404


def test_locked_account_follow_requests(alice: User, bob: User, carol: User, client: TestClient) -> None:
    bob.patch("/api/v1/accounts/update_credentials", data={"locked": "true"})
    r = alice.post(f"/api/v1/accounts/{bob.id}/follow")
    assert r.json()["requested"] is True and r.json()["following"] is False
    carol.post(f"/api/v1/accounts/{bob.id}/follow")
    assert client.get(f"/api/v1/accounts/{bob.id}").json()["followers_count"] == 0
    pending = bob.get("/api/v1/follow_requests").json()
    assert {a["id"] for a in pending} == {alice.id, carol.id}
    assert bob.get("/api/v1/accounts/verify_credentials").json()["source"]["follow_requests_count"] == 2
    r = bob.post(f"/api/v1/follow_requests/{alice.id}/authorize")
    assert r.status_code == 200 and r.json()["followed_by"] is True
    r = bob.post(f"/api/v1/follow_requests/{carol.id}/reject")
    assert r.status_code == 200 and r.json()["followed_by"] is False and r.json()["requested_by"] is False
    assert bob.get("/api/v1/follow_requests").json() == []
    assert bob.post(f"/api/v1/follow_requests/{carol.id}/authorize").status_code == 404
    assert client.get(f"/api/v1/accounts/{bob.id}").json()["followers_count"] == 1
    assert (
        alice.get("/api/v1/accounts/relationships", params={"id[]": [bob.id]}).json()[0]["following"] is True
    )


def test_unlocking_accepts_pending_follow_requests(
    alice: User, bob: User, carol: User, client: TestClient, drain: Any
) -> None:
    bob.patch("/api/v1/accounts/update_credentials", data={"locked": "true"})
    alice.post(f"/api/v1/accounts/{bob.id}/follow")
    carol.post(f"/api/v1/accounts/{bob.id}/follow")
    assert len(bob.get("/api/v1/follow_requests").json()) == 2
    r = bob.patch("/api/v1/accounts/update_credentials", data={"locked": "false"})
    assert r.status_code == 200 and r.json()["locked"] is False
    assert r.json()["source"]["follow_requests_count"] == 0
    assert bob.get("/api/v1/follow_requests").json() == []
    followers = client.get(f"/api/v1/accounts/{bob.id}/followers").json()
    assert {a["id"] for a in followers} == {alice.id, carol.id}
    assert client.get(f"/api/v1/accounts/{bob.id}").json()["followers_count"] == 2
    rel = alice.get("/api/v1/accounts/relationships", params={"id[]": [bob.id]}).json()[0]
    assert rel["following"] is True and rel["requested"] is False
    # Their home feeds get bob's posts, as with any accepted request.
    bob.status("now open to all")
    drain()
    assert [s["content"] for s in alice.get("/api/v1/timelines/home").json()] == ["<p>now open to all</p>"]
