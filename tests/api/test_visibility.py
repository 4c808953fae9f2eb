"""Followers-only and direct posts are seen by those allowed, on every endpoint, and by no one else."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient


@pytest.fixture
def scene(make_user: Any, drain: Any) -> dict[str, Any]:
    """author posts one of each visibility; follower follows; stranger does not; friend is mentioned."""
    author, follower, stranger, friend = (make_user(n) for n in ("author", "follower", "stranger", "friend"))
    follower.post(f"/api/v1/accounts/{author.id}/follow")
    drain()
    posts = {
        "public": author.status("public post"),
        "unlisted": author.status("unlisted post", visibility="unlisted"),
        "private": author.status("followers-only post", visibility="private"),
        "direct": author.status("@friend direct post", visibility="direct"),
    }
    drain()
    return {"author": author, "follower": follower, "stranger": stranger, "friend": friend, "posts": posts}


def _ids(r: Any) -> set[str]:
    return {s["id"] for s in r.json()}


def _who_sees(scene: dict[str, Any], visibility: str) -> dict[str, bool]:
    return {
        "author": True,
        "follower": visibility in ("public", "unlisted", "private"),
        "stranger": visibility in ("public", "unlisted"),
        "friend": visibility in ("public", "unlisted", "direct"),
        "anonymous": visibility in ("public", "unlisted"),
    }


@pytest.mark.parametrize("visibility", ["public", "unlisted", "private", "direct"])
def test_single_post_endpoints(scene: dict[str, Any], client: TestClient, visibility: str) -> None:
    post_id = scene["posts"][visibility]["id"]
    for who, allowed in _who_sees(scene, visibility).items():
        get = client.get if who == "anonymous" else scene[who].get
        for path in (
            f"/api/v1/statuses/{post_id}",
            f"/api/v1/statuses/{post_id}/context",
            f"/api/v1/statuses/{post_id}/favourited_by",
            f"/api/v1/statuses/{post_id}/reblogged_by",
        ):
            assert get(path).status_code == (200 if allowed else 404), (who, path)
        if who != "anonymous":
            actor = scene[who]
            for action in ("favourite", "bookmark"):
                expected = 200 if allowed else 404
                assert actor.post(f"/api/v1/statuses/{post_id}/{action}").status_code == expected, (
                    who,
                    action,
                )
            reply = actor.post("/api/v1/statuses", data={"status": "re", "in_reply_to_id": post_id})
            assert reply.status_code == (200 if allowed else 404), (who, "reply")


@pytest.mark.parametrize("visibility", ["private", "direct"])
def test_lists_and_timelines(scene: dict[str, Any], client: TestClient, visibility: str) -> None:
    post_id = scene["posts"][visibility]["id"]
    author = scene["author"]
    for who, allowed in _who_sees(scene, visibility).items():
        get = client.get if who == "anonymous" else scene[who].get
        assert (post_id in _ids(get(f"/api/v1/accounts/{author.id}/statuses"))) is allowed, who
        assert post_id not in _ids(get("/api/v1/timelines/public"))
        if who != "anonymous":
            in_home = post_id in _ids(scene[who].get("/api/v1/timelines/home"))
            # Direct posts reach the home of mentioned followers only; the friend does not follow.
            expected = who in ("author", "follower") if visibility == "private" else who == "author"
            assert in_home is expected, who


def test_counts_do_not_leak_private_posts_into_public_lists(
    scene: dict[str, Any], client: TestClient
) -> None:
    statuses = client.get(f"/api/v1/accounts/{scene['author'].id}/statuses").json()
    assert {s["visibility"] for s in statuses} == {"public", "unlisted"}


def test_liked_then_hidden_post_leaves_favourites(scene: dict[str, Any]) -> None:
    follower, author = scene["follower"], scene["author"]
    post_id = scene["posts"]["private"]["id"]
    follower.post(f"/api/v1/statuses/{post_id}/favourite")
    follower.post(f"/api/v1/statuses/{post_id}/bookmark")
    assert post_id in _ids(follower.get("/api/v1/favourites"))
    follower.post(f"/api/v1/accounts/{author.id}/unfollow")
    assert post_id not in _ids(follower.get("/api/v1/favourites"))
    assert post_id not in _ids(follower.get("/api/v1/bookmarks"))
    assert follower.get(f"/api/v1/statuses/{post_id}").status_code == 404


def test_mentioned_account_sees_direct_post_in_thread(scene: dict[str, Any]) -> None:
    friend, post = scene["friend"], scene["posts"]["direct"]
    reply = friend.status("@author got it", in_reply_to_id=post["id"], visibility="direct")
    ctx = scene["author"].get(f"/api/v1/statuses/{post['id']}/context").json()
    assert [s["id"] for s in ctx["descendants"]] == [reply["id"]]
    assert scene["stranger"].get(f"/api/v1/statuses/{reply['id']}").status_code == 404
