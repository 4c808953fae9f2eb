"""Every path of conversation and discovery, tried by someone who must not see: a stranger, a visitor and
a blocked account never reach a followers-only or direct post (nor a blocker's public ones), and counts
do not reveal them. Streaming is tried in tests/streaming."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

WORD = "zanzibarique"


@pytest.fixture
def scene(make_user: Any, drain: Any) -> dict[str, Any]:
    """author posts #secret and a rare word at every visibility; follower follows; friend is mentioned in
    the direct post; stranger does nothing; blocked followed, liked and was then blocked by author."""
    names = ("author", "follower", "stranger", "friend", "blocked")
    author, follower, stranger, friend, blocked = (make_user(n) for n in names)
    for fan in (follower, blocked):
        assert fan.post(f"/api/v1/accounts/{author.id}/follow").status_code == 200
    drain()
    posts = {
        "public": author.status(f"public {WORD} #secret"),
        "unlisted": author.status(f"unlisted {WORD} #secret", visibility="unlisted"),
        "private": author.status(f"followers-only {WORD} #secret", visibility="private"),
        "direct": author.status(f"@friend direct {WORD} #secret", visibility="direct"),
    }
    for post in (posts["public"], posts["private"]):
        assert follower.post(f"/api/v1/statuses/{post['id']}/favourite").status_code == 200
    assert author.post(f"/api/v1/statuses/{posts['private']['id']}/pin").status_code == 200
    assert author.post(f"/api/v1/accounts/{blocked.id}/block").status_code == 200
    drain()
    return {
        "author": author,
        "follower": follower,
        "stranger": stranger,
        "friend": friend,
        "blocked": blocked,
        "posts": posts,
    }


def _status_ids(body: Any) -> set[str]:
    return {s["id"] for s in body}


def _visible(scene: dict[str, Any], who: str) -> set[str]:
    """The ids of author's posts that ``who`` may find through a listing that shows every visibility."""
    posts = scene["posts"]
    allowed = {
        "author": ("public", "unlisted", "private", "direct"),
        "follower": ("public", "unlisted", "private"),
        "friend": ("public", "unlisted", "direct"),
        "stranger": ("public", "unlisted"),
        "anonymous": ("public", "unlisted"),
        "blocked": (),
    }[who]
    return {posts[v]["id"] for v in allowed}


WHO = ("author", "follower", "friend", "stranger", "anonymous", "blocked")


def _get(scene: dict[str, Any], client: TestClient, who: str) -> Any:
    return client.get if who == "anonymous" else scene[who].get


@pytest.mark.parametrize("query", [WORD, "#secret", "from:author", f'"{WORD} #secret"'])
def test_search_finds_only_what_each_may_see(scene: dict[str, Any], client: TestClient, query: str) -> None:
    everything = {p["id"] for p in scene["posts"].values()}
    for who in WHO:
        r = _get(scene, client, who)("/api/v2/search", params={"q": query, "type": "statuses"})
        assert r.status_code == 200, (who, r.text)
        found = _status_ids(r.json()["statuses"]) & everything
        # Quoted phrases and words match the same posts here; a visitor searches public posts only.
        expected = _visible(scene, who)
        if who == "anonymous":
            expected = {scene["posts"]["public"]["id"], scene["posts"]["unlisted"]["id"]} & expected
        assert found <= expected, (who, query, found - expected)
        assert scene["posts"]["private"]["id"] not in found or who in ("author", "follower")
        assert scene["posts"]["direct"]["id"] not in found or who in ("author", "friend")
    author_sees = _status_ids(
        scene["author"].get("/api/v2/search", params={"q": query, "type": "statuses"}).json()["statuses"]
    )
    assert scene["posts"]["private"]["id"] in author_sees  # the search can find them: the test can fail


def test_search_by_account_id_and_hashtag_counts(scene: dict[str, Any], client: TestClient) -> None:
    author = scene["author"]
    for who in WHO:
        r = _get(scene, client, who)(
            "/api/v2/search", params={"q": WORD, "type": "statuses", "account_id": author.id}
        )
        assert _status_ids(r.json()["statuses"]) <= _visible(scene, who), who
    hashtags = client.get("/api/v2/search", params={"q": "secret", "type": "hashtags"}).json()["hashtags"]
    secret = next(h for h in hashtags if h["name"].lower() == "secret")
    uses = sum(int(day["uses"]) for day in secret.get("history", []))
    assert uses <= 2  # the public and unlisted posts at most, never the followers-only or direct ones


def test_tag_timeline_and_history(scene: dict[str, Any], client: TestClient) -> None:
    public = scene["posts"]["public"]["id"]
    for who in WHO:
        ids = _status_ids(_get(scene, client, who)("/api/v1/timelines/tag/secret").json())
        assert ids == ({public} if who != "blocked" else set()), who
    tag = client.get("/api/v1/tags/secret").json()
    today = tag["history"][0]
    assert int(today["uses"]) in (1, 2) and int(today["accounts"]) == 1  # public (and unlisted) only


def test_trends_never_show_private_posts(scene: dict[str, Any], client: TestClient) -> None:
    private = {scene["posts"]["private"]["id"], scene["posts"]["direct"]["id"]}
    for who in WHO:
        r = _get(scene, client, who)("/api/v1/trends/statuses")
        assert r.status_code == 200, who
        assert not (_status_ids(r.json()) & private), who
        tags = _get(scene, client, who)("/api/v1/trends/tags").json()
        for tag in tags:
            assert all(int(day["uses"]) <= 2 for day in tag["history"]), (who, tag)


def test_notifications_and_conversations(scene: dict[str, Any]) -> None:
    direct = scene["posts"]["direct"]["id"]
    for who in ("follower", "stranger", "blocked"):
        notes = scene[who].get("/api/v1/notifications").json()
        seen = {n["status"]["id"] for n in notes if n.get("status")}
        assert direct not in seen, who
        assert scene[who].get("/api/v1/conversations").json() == [], who
    friend_notes = scene["friend"].get("/api/v1/notifications").json()
    assert any(n["type"] == "mention" and n["status"]["id"] == direct for n in friend_notes)
    conversations = scene["friend"].get("/api/v1/conversations").json()
    assert [c["last_status"]["id"] for c in conversations] == [direct]
    # The blocked account's like of the public post was before the block: nothing reaches the author after.
    scene["blocked"].status("@author hello?")
    notes = scene["author"].get("/api/v1/notifications").json()
    assert all(n["account"]["id"] != scene["blocked"].id for n in notes if n["type"] == "mention")


def test_pinned_posts_and_list_timelines(scene: dict[str, Any], client: TestClient) -> None:
    author = scene["author"]
    private = scene["posts"]["private"]["id"]
    for who in WHO:
        r = _get(scene, client, who)(f"/api/v1/accounts/{author.id}/statuses", params={"pinned": "true"})
        pinned = _status_ids(r.json())
        assert (private in pinned) is (who in ("author", "follower")), who
    follower = scene["follower"]
    experts = follower.post("/api/v1/lists", data={"title": "experts"}).json()
    assert follower.post(
        f"/api/v1/lists/{experts['id']}/accounts", data={"account_ids[]": author.id}
    ).is_success
    listed = _status_ids(follower.get(f"/api/v1/timelines/list/{experts['id']}").json())
    assert private in listed and scene["posts"]["direct"]["id"] not in listed
    # Someone else's list is not found; a stranger cannot list an account they do not follow.
    assert scene["stranger"].get(f"/api/v1/timelines/list/{experts['id']}").status_code == 404
    mine = scene["stranger"].post("/api/v1/lists", data={"title": "watch"}).json()
    added = scene["stranger"].post(f"/api/v1/lists/{mine['id']}/accounts", data={"account_ids[]": author.id})
    assert added.status_code == 422


def test_blocked_account_sees_nothing_of_the_blocker(scene: dict[str, Any]) -> None:
    blocked, author = scene["blocked"], scene["author"]
    public = scene["posts"]["public"]["id"]
    assert blocked.get(f"/api/v1/statuses/{public}").status_code == 404
    assert _status_ids(blocked.get(f"/api/v1/accounts/{author.id}/statuses").json()) == set()
    assert public not in _status_ids(blocked.get("/api/v1/timelines/home").json())
    assert public not in _status_ids(blocked.get("/api/v1/timelines/public").json())
    accounts = blocked.get("/api/v2/search", params={"q": "author", "type": "accounts"}).json()["accounts"]
    assert author.id not in {a["id"] for a in accounts}
    assert blocked.post(f"/api/v1/accounts/{author.id}/follow").status_code == 403
    rel = author.get("/api/v1/accounts/relationships", params={"id[]": blocked.id}).json()[0]
    assert rel["blocking"] is True and rel["followed_by"] is False
