"""GET /api/v2/search and GET /api/v1/accounts/search: shapes, operators, visibility, bad input."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from tests.conftest import User


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [i["id"] for i in items]


def test_search_all_three_kinds(alice: User, bob: User) -> None:
    alice.patch("/api/v1/accounts/update_credentials", data={"note": "Café lover", "display_name": "Alice"})
    post = bob.status("Le meilleur CAFÉ de l'École #CaféCrème")
    r = bob.get("/api/v2/search", params={"q": "cafe"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"accounts", "statuses", "hashtags"}
    assert ids(body["accounts"]) == [alice.id]
    assert ids(body["statuses"]) == [post["id"]]
    assert body["statuses"][0]["content"]
    r = bob.get("/api/v2/search", params={"q": "#café", "type": "hashtags"})
    tag = r.json()["hashtags"][0]
    assert tag["name"] == "cafécrème" and tag["url"].endswith("/tags/cafécrème")
    assert isinstance(tag["history"], list) and tag["following"] is False
    assert r.json()["accounts"] == [] and r.json()["statuses"] == []


def test_type_filters_and_unknown_type(alice: User) -> None:
    alice.status("alice talks")
    only = alice.get("/api/v2/search", params={"q": "alice", "type": "accounts"}).json()
    assert ids(only["accounts"]) == [alice.id] and only["statuses"] == []
    statuses = alice.get("/api/v2/search", params={"q": "alice", "type": "statuses"}).json()
    assert len(statuses["statuses"]) == 1 and statuses["accounts"] == []
    unknown = alice.get("/api/v2/search", params={"q": "alice", "type": "bogus"})
    assert unknown.status_code == 200
    assert unknown.json() == {"accounts": [], "statuses": [], "hashtags": []}


def test_operators_through_the_api(alice: User, bob: User) -> None:
    a = alice.status("rendez-vous à la gare")
    b = bob.status("rendez-vous au parc")
    assert ids(
        bob.get("/api/v2/search", params={"q": "rendez from:alice", "type": "statuses"}).json()["statuses"]
    ) == [a["id"]]
    assert ids(
        bob.get("/api/v2/search", params={"q": "rendez -gare", "type": "statuses"}).json()["statuses"]
    ) == [b["id"]]
    found = bob.get("/api/v2/search", params={"q": "rendez", "type": "statuses", "account_id": bob.id}).json()
    assert ids(found["statuses"]) == [b["id"]]
    older = bob.get("/api/v2/search", params={"q": "rendez", "type": "statuses", "max_id": b["id"]}).json()
    assert ids(older["statuses"]) == [a["id"]]


def test_bad_input(client: TestClient, alice: User) -> None:
    alice.status("untouched")
    r = alice.get("/api/v2/search")
    assert r.status_code == 400 and "q" in r.json()["error"]
    assert alice.get("/api/v2/search", params={"q": "   "}).status_code == 400
    r = alice.get("/api/v2/search", params={"q": "x since:2024-13-45"})
    assert r.status_code == 422 and "since:" in r.json()["error"]
    r = alice.get("/api/v2/search", params={"q": "from:"})
    assert r.status_code == 422 and "from:" in r.json()["error"]
    r = alice.get("/api/v2/search", params={"q": "untouched", "offset": "100000"})
    assert r.status_code == 422 and "offset" in r.json()["error"]
    assert alice.get("/api/v2/search", params={"q": "untouched", "offset": "-1"}).status_code == 422
    assert alice.get("/api/v2/search", params={"q": "untouched", "limit": "abc"}).status_code == 400
    # Absurd limits are clamped, not refused.
    r = alice.get("/api/v2/search", params={"q": "untouched", "limit": "100000"})
    assert r.status_code == 200 and len(r.json()["statuses"]) == 1
    assert alice.get("/api/v2/search", params={"q": "untouched", "limit": "0"}).status_code == 200
    # Paging and resolving need a signed-in user, as on Mastodon.
    assert client.get("/api/v2/search", params={"q": "untouched", "offset": "5"}).status_code == 401
    assert client.get("/api/v2/search", params={"q": "untouched", "resolve": "true"}).status_code == 401
    # Nothing was changed by any of this.
    assert len(alice.get("/api/v2/search", params={"q": "untouched"}).json()["statuses"]) == 1


def test_limit_and_offset(alice: User) -> None:
    posted = [alice.status(f"numbered post {n}")["id"] for n in range(5)]
    first = alice.get("/api/v2/search", params={"q": "numbered", "type": "statuses", "limit": 2}).json()
    assert ids(first["statuses"]) == posted[::-1][:2]
    second = alice.get(
        "/api/v2/search", params={"q": "numbered", "type": "statuses", "limit": 2, "offset": 2}
    ).json()
    assert ids(second["statuses"]) == posted[::-1][2:4]


def test_visitor_and_visibility(client: TestClient, alice: User, bob: User, carol: User) -> None:
    bob.post(f"/api/v1/accounts/{alice.id}/follow")
    public = alice.status("confidential public")
    unlisted = alice.status("confidential unlisted", visibility="unlisted")
    private = alice.status("confidential private", visibility="private")
    direct = alice.status("confidential direct @carol", visibility="direct")

    def found(who: Any, q: str = "confidential", **extra: Any) -> set[str]:
        r = who.get("/api/v2/search", params={"q": q, "type": "statuses", **extra})
        assert r.status_code == 200, r.text
        return set(ids(r.json()["statuses"]))

    assert found(client) == {public["id"]}
    assert found(bob) == {public["id"], unlisted["id"], private["id"]}
    assert found(carol) == {public["id"], unlisted["id"], direct["id"]}
    assert found(alice) == {public["id"], unlisted["id"], private["id"], direct["id"]}
    assert found(carol, "from:alice") == {public["id"], unlisted["id"], direct["id"]}
    assert found(carol, "confidential", account_id=alice.id) == {public["id"], unlisted["id"], direct["id"]}


def test_blocked_account_sees_nothing(alice: User, bob: User) -> None:
    alice.status("picnic by the river")
    assert alice.post(f"/api/v1/accounts/{bob.id}/block").status_code == 200
    body = bob.get("/api/v2/search", params={"q": "picnic alice"}).json()
    assert body["statuses"] == []
    assert bob.get("/api/v2/search", params={"q": "picnic"}).json()["statuses"] == []
    assert bob.get("/api/v1/accounts/search", params={"q": "alice"}).json() == []


def test_accounts_search_route(client: TestClient, alice: User, bob: User) -> None:
    bob.patch("/api/v1/accounts/update_credentials", data={"note": "Recruiter, hiring engineers"})
    r = alice.get("/api/v1/accounts/search", params={"q": "recruit"})
    assert r.status_code == 200, r.text
    assert ids(r.json()) == [bob.id]
    # Not taken for /api/v1/accounts/{id} with id "search".
    assert client.get("/api/v1/accounts/search", params={"q": "bob"}).json()[0]["id"] == bob.id
    assert ids(alice.get("/api/v1/accounts/search", params={"q": "bob", "following": "true"}).json()) == []
    alice.post(f"/api/v1/accounts/{bob.id}/follow")
    assert ids(alice.get("/api/v1/accounts/search", params={"q": "bob", "following": "1"}).json()) == [bob.id]
    assert client.get("/api/v1/accounts/search").status_code == 400
    assert ids(
        alice.get("/api/v1/accounts/search", params={"q": "@bob@testserver", "resolve": "true"}).json()
    ) == [bob.id]


def test_resolve_a_local_post_url(alice: User, bob: User) -> None:
    post = alice.status("find me by address")
    r = bob.get("/api/v2/search", params={"q": post["url"], "resolve": "true"})
    assert ids(r.json()["statuses"]) == [post["id"]]
