"""Lists through the Mastodon API: CRUD, members, the lists holding an account, list timelines."""

from __future__ import annotations

from typing import Any

from tests.conftest import User


def make_list(user: User, title: str = "Experts", **extra: Any) -> dict[str, Any]:
    r = user.post("/api/v1/lists", data={"title": title, **extra})
    assert r.status_code == 200, r.text
    return r.json()


def test_crud(alice: User) -> None:
    made = make_list(alice, "  Experts ", replies_policy="followed", exclusive="1")
    assert made == {"id": made["id"], "title": "Experts", "replies_policy": "followed", "exclusive": True}
    assert alice.get("/api/v1/lists").json() == [made]
    assert alice.get(f"/api/v1/lists/{made['id']}").json() == made
    # JSON bodies (toot) and partial updates.
    r = alice.client.put(
        f"/api/v1/lists/{made['id']}", headers=alice.auth, json={"title": "Scientists", "exclusive": False}
    )
    assert r.status_code == 200, r.text
    assert r.json() == {**made, "title": "Scientists", "exclusive": False}
    r = alice.delete(f"/api/v1/lists/{made['id']}")
    assert (r.status_code, r.json()) == (200, {})
    assert alice.get("/api/v1/lists").json() == []
    assert alice.get(f"/api/v1/lists/{made['id']}").status_code == 404


def test_bad_input(alice: User, bob: User) -> None:
    for data in ({"title": ""}, {"title": "   "}, {"title": "x" * 201}, {}):
        r = alice.post("/api/v1/lists", data=data)
        assert r.status_code == 422 and "error" in r.json(), (data, r.text)
    r = alice.post("/api/v1/lists", data={"title": "ok", "replies_policy": "everyone"})
    assert r.status_code == 422 and "error" in r.json()
    assert alice.get("/api/v1/lists").json() == []
    made = make_list(alice)
    r = alice.client.put(f"/api/v1/lists/{made['id']}", headers=alice.auth, data={"replies_policy": "nope"})
    assert r.status_code == 422
    r = alice.client.put(f"/api/v1/lists/{made['id']}", headers=alice.auth, data={"title": ""})
    assert r.status_code == 422
    assert alice.get(f"/api/v1/lists/{made['id']}").json() == made
    # Unknown ids, ids that are not ids, another user's list: not found.
    for path in (
        "/api/v1/lists/123",
        "/api/v1/lists/abc",
        "/api/v1/timelines/list/99",
        "/api/v1/lists/1/accounts",
    ):
        assert alice.get(path).status_code == 404, path
    for method, path in [
        ("GET", ""),
        ("PUT", ""),
        ("DELETE", ""),
        ("GET", "/accounts"),
        ("POST", "/accounts"),
        ("DELETE", "/accounts"),
    ]:
        r = bob.client.request(
            method, f"/api/v1/lists/{made['id']}{path}", headers=bob.auth, data={"title": "x"}
        )
        assert r.status_code == 404, (method, path, r.text)
    assert bob.get(f"/api/v1/timelines/list/{made['id']}").status_code == 404
    assert alice.get(f"/api/v1/lists/{made['id']}").json() == made
    assert alice.client.get("/api/v1/lists").status_code == 401


def test_members(alice: User, bob: User, carol: User, make_user: Any) -> None:
    dave = make_user("dave")
    made = make_list(alice)
    base = f"/api/v1/lists/{made['id']}/accounts"
    r = alice.post(base, data={"account_ids[]": [bob.id]})
    assert r.status_code == 422 and "You must follow" in r.json()["error"]
    for who in (bob, carol, dave):
        alice.post(f"/api/v1/accounts/{who.id}/follow")
    assert alice.post(base, data={"account_ids[]": ["999"]}).status_code == 404
    assert alice.post(base, data={"account_ids[]": [bob.id, "999"]}).status_code == 404
    assert alice.get(base).json() == []
    r = alice.post(base, data={"account_ids[]": [bob.id, carol.id]})
    assert (r.status_code, r.json()) == (200, {})
    r = alice.client.post(base, headers=alice.auth, json={"account_ids": [dave.id]})  # toot
    assert r.status_code == 200
    assert {a["id"] for a in alice.get(base).json()} == {bob.id, carol.id, dave.id}
    # Pagination with Link headers; limit=0 = everyone, no links.
    first = alice.get(base, params={"limit": 2})
    assert len(first.json()) == 2 and 'rel="next"' in first.headers["link"]
    next_url = first.headers["link"].split(">")[0].lstrip("<")
    rest = alice.get(next_url.replace("http://testserver", ""))
    assert {a["id"] for a in first.json() + rest.json()} == {bob.id, carol.id, dave.id}
    everyone = alice.get(base, params={"limit": 0})
    assert len(everyone.json()) == 3 and "link" not in everyone.headers
    # The lists holding an account.
    assert alice.get(f"/api/v1/accounts/{bob.id}/lists").json() == [made]
    assert bob.get(f"/api/v1/accounts/{bob.id}/lists").json() == []
    assert alice.get("/api/v1/accounts/999/lists").status_code == 404
    # DELETE with a form body (Mastodon.py), then a JSON body (toot).
    r = alice.client.request(
        "DELETE",
        base,
        headers=alice.auth | {"Content-Type": "application/x-www-form-urlencoded"},
        content=f"account_ids%5B%5D={bob.id}&account_ids%5B%5D={carol.id}",
    )
    assert (r.status_code, r.json()) == (200, {})
    r = alice.client.request("DELETE", base, headers=alice.auth, json={"account_ids": [dave.id]})
    assert r.status_code == 200
    assert alice.get(base).json() == []
    assert alice.get(f"/api/v1/accounts/{bob.id}/lists").json() == []


def test_unfollow_leaves_the_lists(alice: User, bob: User) -> None:
    made = make_list(alice)
    alice.post(f"/api/v1/accounts/{bob.id}/follow")
    alice.post(f"/api/v1/lists/{made['id']}/accounts", data={"account_ids[]": [bob.id]})
    alice.post(f"/api/v1/accounts/{bob.id}/unfollow")
    assert alice.get(f"/api/v1/lists/{made['id']}/accounts").json() == []


def test_list_timeline_and_exclusive(alice: User, bob: User, carol: User, drain: Any) -> None:
    for who in (bob, carol):
        alice.post(f"/api/v1/accounts/{who.id}/follow")
    made = make_list(alice, exclusive="0")
    alice.post(f"/api/v1/lists/{made['id']}/accounts", data={"account_ids[]": [bob.id]})
    b1 = bob.status("bob one")
    secret = bob.status("@alice psst", visibility="direct")
    private = bob.status("followers", visibility="private")
    c1 = carol.status("carol one")
    b2 = bob.status("bob two")
    drain()
    path = f"/api/v1/timelines/list/{made['id']}"
    timeline = alice.get(path)
    assert [s["id"] for s in timeline.json()] == [b2["id"], private["id"], b1["id"]]
    assert secret["id"] not in [s["id"] for s in timeline.json()]
    assert 'rel="next"' in timeline.headers["link"]
    older = alice.get(path, params={"max_id": private["id"]}).json()
    assert [s["id"] for s in older] == [b1["id"]]
    home = [s["id"] for s in alice.get("/api/v1/timelines/home").json()]
    assert {b1["id"], b2["id"], c1["id"]} <= set(home)
    alice.client.put(f"/api/v1/lists/{made['id']}", headers=alice.auth, data={"exclusive": "1"})
    home = [s["id"] for s in alice.get("/api/v1/timelines/home").json()]
    assert c1["id"] in home and b1["id"] not in home and b2["id"] not in home
    assert b2["id"] in [s["id"] for s in alice.get(path).json()]
