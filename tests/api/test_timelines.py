"""Home (fan-out through durable jobs), public and account timelines, and Mastodon pagination."""

from __future__ import annotations

import re
from typing import Any

from starlette.testclient import TestClient

from tests.conftest import User


def ids(statuses: list[dict[str, Any]]) -> list[str]:
    return [s["id"] for s in statuses]


def test_home_timeline_through_fan_out(alice: User, bob: User, carol: User, drain: Any) -> None:
    bob.post(f"/api/v1/accounts/{alice.id}/follow")
    drain()
    own = bob.status("bob's own")
    # The author sees their post at once; followers once the fan-out job has run.
    assert ids(bob.get("/api/v1/timelines/home").json()) == [own["id"]]
    a1 = alice.status("alice one")
    assert a1["id"] not in ids(bob.get("/api/v1/timelines/home").json())
    drain()
    assert ids(bob.get("/api/v1/timelines/home").json()) == [a1["id"], own["id"]]
    # Not followed: not in the home timeline.
    carol.status("carol speaks")
    drain()
    assert ids(bob.get("/api/v1/timelines/home").json()) == [a1["id"], own["id"]]


def test_follow_merges_recent_posts_and_unfollow_removes_them(alice: User, bob: User, drain: Any) -> None:
    earlier = alice.status("before the follow")
    drain()  # its fan-out is done (to nobody) before bob follows: only the merge can bring it
    bob.post(f"/api/v1/accounts/{alice.id}/follow")
    drain()
    assert earlier["id"] in ids(bob.get("/api/v1/timelines/home").json())
    bob.post(f"/api/v1/accounts/{alice.id}/unfollow")
    assert earlier["id"] not in ids(bob.get("/api/v1/timelines/home").json())


def test_reposts_reach_followers_once(
    alice: User, bob: User, carol: User, make_user: Any, drain: Any
) -> None:
    dave = make_user("dave")
    for who in (bob, carol):
        dave.post(f"/api/v1/accounts/{who.id}/follow")
    drain()
    s = alice.status("worth sharing")
    bob.post(f"/api/v1/statuses/{s['id']}/reblog")
    carol.post(f"/api/v1/statuses/{s['id']}/reblog")
    drain()
    home = dave.get("/api/v1/timelines/home").json()
    assert [x["reblog"]["id"] for x in home if x["reblog"]] == [s["id"]]


def test_replies_reach_those_who_follow_both(alice: User, bob: User, carol: User, drain: Any) -> None:
    carol.post(f"/api/v1/accounts/{bob.id}/follow")  # carol follows bob but not alice
    drain()
    root = alice.status("a question")
    reply = bob.status("@alice an answer", in_reply_to_id=root["id"])
    drain()
    assert reply["id"] not in ids(carol.get("/api/v1/timelines/home").json())
    carol.post(f"/api/v1/accounts/{alice.id}/follow")
    drain()
    reply2 = bob.status("@alice another answer", in_reply_to_id=root["id"])
    drain()
    assert reply2["id"] in ids(carol.get("/api/v1/timelines/home").json())


def test_deleted_post_leaves_every_timeline(alice: User, bob: User, client: TestClient, drain: Any) -> None:
    bob.post(f"/api/v1/accounts/{alice.id}/follow")
    s = alice.status("soon gone")
    drain()
    assert s["id"] in ids(bob.get("/api/v1/timelines/home").json())
    alice.delete(f"/api/v1/statuses/{s['id']}")
    assert s["id"] not in ids(bob.get("/api/v1/timelines/home").json())
    assert s["id"] not in ids(client.get("/api/v1/timelines/public").json())
    assert s["id"] not in ids(client.get(f"/api/v1/accounts/{alice.id}/statuses").json())


def test_public_timeline(alice: User, bob: User, client: TestClient) -> None:
    pub = alice.status("public")
    alice.status("unlisted", visibility="unlisted")
    alice.status("private", visibility="private")
    bob.post(f"/api/v1/statuses/{pub['id']}/reblog")
    assert ids(client.get("/api/v1/timelines/public").json()) == [pub["id"]]
    assert ids(client.get("/api/v1/timelines/public", params={"local": "true"}).json()) == [pub["id"]]


def test_account_statuses_filters(alice: User, bob: User, client: TestClient) -> None:
    root = bob.status("bob root")
    own = alice.status("alice original")
    reply = alice.status("@bob reply", in_reply_to_id=root["id"])
    self_reply = alice.status("continuing my thread", in_reply_to_id=own["id"])
    boost = alice.post(f"/api/v1/statuses/{root['id']}/reblog").json()
    url = f"/api/v1/accounts/{alice.id}/statuses"
    assert ids(client.get(url).json()) == [boost["id"], self_reply["id"], reply["id"], own["id"]]
    assert ids(client.get(url, params={"exclude_replies": "True"}).json()) == [
        boost["id"],
        self_reply["id"],
        own["id"],
    ]
    assert ids(client.get(url, params={"exclude_reblogs": "1", "exclude_replies": "1"}).json()) == [
        self_reply["id"],
        own["id"],
    ]
    assert client.get(url, params={"pinned": "true"}).json() == []


def test_pagination_and_link_header(alice: User, client: TestClient) -> None:
    posted = [alice.status(f"post {i}")["id"] for i in range(7)]
    newest_first = list(reversed(posted))
    r = client.get("/api/v1/timelines/public", params={"limit": 3})
    assert ids(r.json()) == newest_first[:3]
    link = r.headers["link"]
    assert re.match(r'<([^>]+)>; rel="next", <([^>]+)>; rel="prev"$', link)
    next_url = re.match(r"<([^>]+)>", link).group(1)  # type: ignore[union-attr]
    assert next_url.startswith("http://testserver/api/v1/timelines/public?") and "limit=3" in next_url
    assert f"max_id={newest_first[2]}" in next_url
    page2 = client.get(next_url.removeprefix("http://testserver")).json()
    assert ids(page2) == newest_first[3:6]
    # min_id: the page right after it, still newest first; since_id: the newest page above it.
    assert ids(client.get("/api/v1/timelines/public", params={"min_id": posted[1], "limit": 2}).json()) == [
        posted[3],
        posted[2],
    ]
    assert ids(client.get("/api/v1/timelines/public", params={"since_id": posted[1], "limit": 2}).json()) == [
        posted[6],
        posted[5],
    ]
    # Limits are clamped.
    assert len(client.get("/api/v1/timelines/public", params={"limit": 1000}).json()) == 7
    assert len(client.get("/api/v1/timelines/public", params={"limit": 0}).json()) == 1
    empty = client.get("/api/v1/timelines/public", params={"max_id": posted[0]})
    assert empty.json() == [] and "link" not in empty.headers


def test_malformed_pagination_values(client: TestClient, alice: User) -> None:
    for params in (
        {"max_id": "abc"},
        {"since_id": "-1"},
        {"limit": "lots"},
        {"min_id": "1e5"},
        {"max_id": "99999999999999999999999"},
    ):
        r = client.get("/api/v1/timelines/public", params=params)
        assert r.status_code == 400, params
        assert "error" in r.json()


def test_followers_pagination_uses_follow_ids(make_user: Any, alice: User, client: TestClient) -> None:
    fans = [make_user(f"fan{i}") for i in range(3)]
    for fan in fans:
        fan.post(f"/api/v1/accounts/{alice.id}/follow")
    r = client.get(f"/api/v1/accounts/{alice.id}/followers", params={"limit": 2})
    assert [a["id"] for a in r.json()] == [fans[2].id, fans[1].id]
    next_url = re.match(r"<([^>]+)>", r.headers["link"]).group(1)  # type: ignore[union-attr]
    assert [a["id"] for a in client.get(next_url).json()] == [fans[0].id]
