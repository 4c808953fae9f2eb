"""Blocks and mutes through the API: relationships, lists, and the posts they keep out everywhere."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from gazouillis.graph.tables import Mute
from gazouillis.storage import Database, utcnow
from tests.conftest import User


def _ids(statuses: list[dict[str, Any]]) -> list[str]:
    return [s["id"] for s in statuses]


def test_block_ends_follows_both_ways_with_counters_right(alice: User, bob: User, drain: Any) -> None:
    alice.post(f"/api/v1/accounts/{bob.id}/follow")
    bob.post(f"/api/v1/accounts/{alice.id}/follow")
    post = bob.status("bob before the block")
    drain()
    assert post["id"] in _ids(alice.get("/api/v1/timelines/home").json())

    r = alice.post(f"/api/v1/accounts/{bob.id}/block")
    assert r.status_code == 200, r.text
    rel = r.json()
    assert rel["blocking"] is True and rel["following"] is False and rel["followed_by"] is False
    assert bob.get(f"/api/v1/accounts/relationships?id[]={alice.id}").json()[0]["blocked_by"] is True
    for user in (alice, bob):
        me = user.get("/api/v1/accounts/verify_credentials").json()
        assert me["following_count"] == 0 and me["followers_count"] == 0
    assert post["id"] not in _ids(alice.get("/api/v1/timelines/home").json())
    # Blocking twice changes nothing; the list shows bob once.
    assert alice.post(f"/api/v1/accounts/{bob.id}/block").json()["blocking"] is True
    r = alice.get("/api/v1/blocks")
    assert [a["id"] for a in r.json()] == [bob.id]


def test_a_blocked_account_cannot_follow_or_act_on_the_blockers_posts(alice: User, bob: User) -> None:
    mine = alice.status("alice's post")
    alice.post(f"/api/v1/accounts/{bob.id}/block")
    r = bob.post(f"/api/v1/accounts/{alice.id}/follow")
    assert r.status_code == 403 and r.json()["error"] == "This action is not allowed"
    assert bob.get(f"/api/v1/accounts/relationships?id[]={alice.id}").json()[0]["requested"] is False
    for action in ("favourite", "reblog", "bookmark"):
        assert bob.post(f"/api/v1/statuses/{mine['id']}/{action}").status_code == 404
    assert bob.get(f"/api/v1/statuses/{mine['id']}").status_code == 404
    assert bob.get(f"/api/v1/statuses/{mine['id']}/context").status_code == 404
    r = bob.post("/api/v1/statuses", data={"status": "@alice hi", "in_reply_to_id": mine["id"]})
    assert r.status_code == 404
    assert alice.get(f"/api/v1/statuses/{mine['id']}").json()["favourites_count"] == 0
    # The blocker cannot follow the blocked account either, until the block is lifted.
    assert alice.post(f"/api/v1/accounts/{bob.id}/follow").status_code == 403
    assert alice.post(f"/api/v1/accounts/{bob.id}/unblock").json()["blocking"] is False
    assert alice.post(f"/api/v1/accounts/{bob.id}/follow").json()["following"] is True


def test_blocked_posts_leave_every_timeline_both_ways(
    alice: User, bob: User, carol: User, drain: Any
) -> None:
    carol.post(f"/api/v1/accounts/{bob.id}/follow")
    alice.post(f"/api/v1/accounts/{carol.id}/follow")
    root = carol.status("carol asks #topic")
    bobs = bob.status("bob answers #topic", in_reply_to_id=root["id"])
    alices = alice.status("alice says #topic")
    carol.post(f"/api/v1/statuses/{bobs['id']}/reblog")  # reaches alice's home through carol
    drain()
    assert bobs["id"] in [
        s["reblog"]["id"] for s in alice.get("/api/v1/timelines/home").json() if s["reblog"]
    ]

    alice.post(f"/api/v1/accounts/{bob.id}/block")
    for viewer, other, theirs in ((alice, bob, bobs), (bob, alice, alices)):
        home = viewer.get("/api/v1/timelines/home").json()
        assert theirs["id"] not in _ids(home) + [s["reblog"]["id"] for s in home if s["reblog"]]
        assert theirs["id"] not in _ids(viewer.get("/api/v1/timelines/public").json())
        assert theirs["id"] not in _ids(viewer.get("/api/v1/timelines/tag/topic").json())
        assert viewer.get(f"/api/v1/accounts/{other.id}/statuses").json() == []
        assert viewer.get(f"/api/v1/statuses/{theirs['id']}").status_code == 404
    # The thread around carol's post: alice no longer sees bob's reply.
    assert alice.get(f"/api/v1/statuses/{root['id']}/context").json()["descendants"] == []
    assert _ids(carol.get(f"/api/v1/statuses/{root['id']}/context").json()["descendants"]) == [bobs["id"]]
    # Visitors are not concerned.
    assert alices["id"] in _ids(alice.client.get("/api/v1/timelines/public").json())
    assert alice.client.get(f"/api/v1/statuses/{bobs['id']}").status_code == 200


def test_mute_hides_posts_until_it_expires(alice: User, bob: User, db: Database, drain: Any) -> None:
    alice.post(f"/api/v1/accounts/{bob.id}/follow")
    post = bob.status("bob talks")
    drain()
    r = alice.post(f"/api/v1/accounts/{bob.id}/mute", json={"duration": 3600, "notifications": False})
    rel = r.json()
    assert rel["muting"] is True and rel["muting_notifications"] is False and rel["muting_expires_at"]
    assert rel["following"] is True  # a mute keeps the follow
    assert post["id"] not in _ids(alice.get("/api/v1/timelines/home").json())
    assert post["id"] not in _ids(alice.get("/api/v1/timelines/public").json())
    # A muted account's profile still shows its posts (as on Mastodon); a single post still opens.
    assert _ids(alice.get(f"/api/v1/accounts/{bob.id}/statuses").json()) == [post["id"]]
    assert alice.get(f"/api/v1/statuses/{post['id']}").status_code == 200
    assert [a["id"] for a in alice.get("/api/v1/mutes").json()] == [bob.id]
    with db.write() as session:  # time passes
        session.execute(update(Mute).values(expires_at=utcnow()))
    assert post["id"] in _ids(alice.get("/api/v1/timelines/home").json())
    assert alice.get("/api/v1/mutes").json() == []
    assert alice.get(f"/api/v1/accounts/relationships?id[]={bob.id}").json()[0]["muting"] is False


def test_mute_forever_then_unmute(alice: User, bob: User) -> None:
    post = bob.status("bob again")
    rel = alice.post(f"/api/v1/accounts/{bob.id}/mute").json()
    assert rel["muting"] is True and rel["muting_notifications"] is True and rel["muting_expires_at"] is None
    assert post["id"] not in _ids(alice.get("/api/v1/timelines/public").json())
    assert alice.post(f"/api/v1/accounts/{bob.id}/unmute").json()["muting"] is False
    assert post["id"] in _ids(alice.get("/api/v1/timelines/public").json())


def test_bad_input_changes_nothing(alice: User, bob: User) -> None:
    assert alice.post("/api/v1/accounts/999999/block").status_code == 404
    assert alice.post("/api/v1/accounts/999999/mute").status_code == 404
    assert alice.post(f"/api/v1/accounts/{alice.id}/block").status_code == 403
    r = alice.post(f"/api/v1/accounts/{bob.id}/mute", data={"duration": "-5"})
    assert r.status_code == 422 and "Duration" in r.json()["error"]
    r = alice.post(f"/api/v1/accounts/{bob.id}/mute", data={"duration": "soon"})
    assert r.status_code == 400
    assert alice.get(f"/api/v1/accounts/relationships?id[]={bob.id}").json()[0]["muting"] is False
    assert alice.get("/api/v1/blocks").json() == [] and alice.get("/api/v1/mutes").json() == []
    assert alice.client.get("/api/v1/blocks").status_code == 401


def test_blocks_and_mutes_paginate_with_links(alice: User, make_user: Any) -> None:
    others = [make_user(f"u{n}") for n in range(3)]
    for other in others:
        alice.post(f"/api/v1/accounts/{other.id}/block")
        alice.post(f"/api/v1/accounts/{other.id}/mute")
    for path in ("/api/v1/blocks", "/api/v1/mutes"):
        r = alice.get(f"{path}?limit=2")
        assert [a["id"] for a in r.json()] == [others[2].id, others[1].id]
        link = r.headers["link"].split(";")[0].strip("<>").replace("http://testserver", "")
        assert [a["id"] for a in alice.get(link).json()] == [others[0].id]
