"""Pinned posts through the Mastodon API: pin, unpin, limits, the ``pinned`` flag and the pinned listing."""

from __future__ import annotations

from typing import Any

from tests.conftest import User


def pinned_ids(viewer: User | None, author: User) -> list[str]:
    path = f"/api/v1/accounts/{author.id}/statuses"
    r = (
        viewer.get(path, params={"pinned": "true"})
        if viewer
        else author.client.get(path, params={"pinned": "1"})
    )
    assert r.status_code == 200, r.text
    return [s["id"] for s in r.json()]


def test_pin_unpin_order_and_flag(alice: User, bob: User) -> None:
    first, second = alice.status("first"), alice.status("second")
    r = alice.post(f"/api/v1/statuses/{second['id']}/pin")
    assert r.status_code == 200 and r.json()["pinned"] is True
    assert alice.post(f"/api/v1/statuses/{first['id']}/pin").json()["pinned"] is True
    assert alice.post(f"/api/v1/statuses/{first['id']}/pin").status_code == 200  # again: no change
    # Newest pin first, for everyone who may see the posts.
    assert pinned_ids(alice, alice) == [first["id"], second["id"]]
    assert pinned_ids(bob, alice) == [first["id"], second["id"]]
    assert pinned_ids(None, alice) == [first["id"], second["id"]]
    # The flag: on the author's own posts only; absent for others and for visitors.
    assert alice.get(f"/api/v1/statuses/{first['id']}").json()["pinned"] is True
    assert "pinned" not in bob.get(f"/api/v1/statuses/{first['id']}").json()
    assert "pinned" not in alice.client.get(f"/api/v1/statuses/{first['id']}").json()
    assert alice.get(f"/api/v1/statuses/{alice.status('third')['id']}").json()["pinned"] is False
    listed = alice.get(f"/api/v1/accounts/{alice.id}/statuses").json()
    assert {s["id"]: s["pinned"] for s in listed}[first["id"]] is True
    r = alice.post(f"/api/v1/statuses/{first['id']}/unpin")
    assert r.status_code == 200 and r.json()["pinned"] is False
    assert pinned_ids(alice, alice) == [second["id"]]
    assert alice.post(f"/api/v1/statuses/{first['id']}/unpin").status_code == 200  # not pinned: fine


def test_limits_and_refusals(alice: User, bob: User) -> None:
    posts = [alice.status(f"post {n}") for n in range(6)]
    for p in posts[:5]:
        assert alice.post(f"/api/v1/statuses/{p['id']}/pin").status_code == 200
    r = alice.post(f"/api/v1/statuses/{posts[5]['id']}/pin")
    assert r.status_code == 422
    assert r.json()["error"] == "Validation failed: You have already pinned the maximum number of posts"
    direct = alice.status("@bob just us", visibility="direct")
    r = alice.post(f"/api/v1/statuses/{direct['id']}/pin")
    assert r.status_code == 422 and "error" in r.json()
    alice.post(f"/api/v1/statuses/{posts[0]['id']}/unpin")
    # A repost is refused, someone else's post too; unknown ids are not found.
    shared = bob.status("bob's")
    repost = alice.post(f"/api/v1/statuses/{shared['id']}/reblog").json()
    assert alice.post(f"/api/v1/statuses/{repost['id']}/pin").status_code == 422
    assert alice.post(f"/api/v1/statuses/{shared['id']}/pin").status_code == 422
    assert alice.post("/api/v1/statuses/999/pin").status_code == 404
    assert alice.post("/api/v1/statuses/abc/pin").status_code == 404
    # Someone's followers-only post one may not see is not found (not even refused).
    hidden = bob.status("followers only", visibility="private")
    assert alice.post(f"/api/v1/statuses/{hidden['id']}/pin").status_code == 404
    assert len(pinned_ids(alice, alice)) == 4
    assert alice.client.post(f"/api/v1/statuses/{posts[0]['id']}/pin").status_code == 401


def test_private_pins_are_shown_only_to_those_who_may_see_them(alice: User, bob: User, carol: User) -> None:
    public = alice.status("for all")
    private = alice.status("followers only", visibility="private")
    for p in (public, private):
        assert alice.post(f"/api/v1/statuses/{p['id']}/pin").status_code == 200
    bob.post(f"/api/v1/accounts/{alice.id}/follow")
    assert pinned_ids(alice, alice) == [private["id"], public["id"]]
    assert pinned_ids(bob, alice) == [private["id"], public["id"]]
    assert pinned_ids(carol, alice) == [public["id"]]
    assert pinned_ids(None, alice) == [public["id"]]


def test_deleted_post_leaves_the_pins(alice: User) -> None:
    p = alice.status("soon gone")
    alice.post(f"/api/v1/statuses/{p['id']}/pin")
    alice.delete(f"/api/v1/statuses/{p['id']}")
    assert pinned_ids(alice, alice) == []
    assert alice.post(f"/api/v1/statuses/{alice.status('new')['id']}/pin").status_code == 200


def test_instance_advertises_the_limit(client: Any) -> None:
    assert client.get("/api/v2/instance").json()["configuration"]["accounts"]["max_pinned_statuses"] == 5
