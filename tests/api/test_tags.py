"""Hashtags through the API: a tag and its history, following, the hashtag timeline, featured tags."""

from __future__ import annotations

import re
from typing import Any

from starlette.testclient import TestClient

from tests.conftest import User


def ids(statuses: list[dict[str, Any]]) -> list[str]:
    return [s["id"] for s in statuses]


def test_tag_entity_any_case_and_unicode(alice: User, bob: User, client: TestClient) -> None:
    alice.status("Un #Café et du #日本語")
    r = client.get("/api/v1/tags/CAFÉ")
    assert r.status_code == 200, r.text
    tag = r.json()
    assert tag["name"] == "café" and tag["url"] == "http://testserver/tags/café"
    assert "following" not in tag  # only when signed in
    assert len(tag["history"]) == 7
    assert tag["history"][0]["uses"] == "1" and tag["history"][0]["accounts"] == "1"
    assert all(isinstance(d["day"], str) and d["day"].isdigit() for d in tag["history"])
    assert client.get("/api/v1/tags/%E6%97%A5%E6%9C%AC%E8%AA%9E").json()["name"] == "日本語"
    # Accents are not folded: #cafe is another tag, never used.
    assert client.get("/api/v1/tags/cafe").status_code == 404
    assert bob.get("/api/v1/tags/café").json()["following"] is False


def test_history_hides_private_and_direct_posts(alice: User, bob: User, client: TestClient) -> None:
    alice.status("#secret one", visibility="private")
    alice.status("#secret two", visibility="direct")
    assert client.get("/api/v1/tags/secret").json()["history"][0]["uses"] == "0"
    alice.status("#secret three", visibility="unlisted")
    alice.status("#secret four")
    bob.status("#secret five")
    today = client.get("/api/v1/tags/secret").json()["history"][0]
    assert (today["uses"], today["accounts"]) == ("3", "2")


def test_unknown_tag_is_404(client: TestClient) -> None:
    r = client.get("/api/v1/tags/nobodyusedthis")
    assert r.status_code == 404 and r.json() == {"error": "Record not found"}


def test_follow_unfollow_and_followed_tags(alice: User, bob: User) -> None:
    r = alice.post("/api/v1/tags/Python/follow")
    assert r.status_code == 200 and r.json()["following"] is True and r.json()["name"] == "python"
    assert alice.post("/api/v1/tags/python/follow").status_code == 200  # again: fine
    alice.post("/api/v1/tags/rust/follow")
    r = alice.get("/api/v1/followed_tags", params={"limit": 1})
    assert [t["name"] for t in r.json()] == ["rust"]
    nxt = re.search(r'<([^>]+)>; rel="next"', r.headers["link"])
    assert nxt is not None
    assert [t["name"] for t in alice.get(nxt.group(1)).json()] == ["python"]
    assert alice.get("/api/v1/tags/python").json()["following"] is True
    assert bob.get("/api/v1/tags/python").json()["following"] is False
    assert alice.post("/api/v1/tags/python/unfollow").json()["following"] is False
    assert [t["name"] for t in alice.get("/api/v1/followed_tags").json()] == ["rust"]
    # Not a hashtag: 422, nothing followed.
    r = alice.post("/api/v1/tags/%20/follow")
    assert r.status_code in (404, 422)
    assert alice.post("/api/v1/tags/a-b/follow").status_code == 422
    assert alice.post("/api/v1/tags/neverseen/unfollow").status_code == 404


def test_followed_tag_reaches_home_public_only(alice: User, bob: User, drain: Any) -> None:
    bob.status("my feed exists")
    bob.get("/api/v1/timelines/home")
    bob.post("/api/v1/tags/gardening/follow")
    public = alice.status("Tomatoes! #Gardening")
    private = alice.status("secret seeds #gardening", visibility="private")
    unlisted = alice.status("quiet #gardening", visibility="unlisted")
    drain()
    home = ids(bob.get("/api/v1/timelines/home").json())
    assert public["id"] in home
    assert private["id"] not in home and unlisted["id"] not in home
    bob.post("/api/v1/tags/gardening/unfollow")
    assert public["id"] not in ids(bob.get("/api/v1/timelines/home").json())


def test_hashtag_timeline_any_all_none(alice: User, bob: User, client: TestClient) -> None:
    a = alice.status("#cats only")
    b = alice.status("#cats and #dogs")
    c = alice.status("#dogs only")
    d = alice.status("#cats #dogs #birds")
    alice.status("#cats but private", visibility="private")
    alice.status("#cats but unlisted", visibility="unlisted")
    get = lambda **q: ids(client.get("/api/v1/timelines/tag/cats", params=q).json())  # noqa: E731
    assert get() == [d["id"], b["id"], a["id"]]
    assert get(**{"any[]": ["dogs"]}) == [d["id"], c["id"], b["id"], a["id"]]
    assert get(**{"all[]": ["dogs"]}) == [d["id"], b["id"]]
    assert get(**{"all[]": ["dogs"], "none[]": ["birds"]}) == [b["id"]]
    assert get(**{"none[]": ["dogs"]}) == [a["id"]]
    assert get(**{"all[]": ["neverused"]}) == []
    assert get(remote="true") == [] and get(only_media="1") == []
    assert get(local="true") == [d["id"], b["id"], a["id"]]
    # Case-insensitive, with pagination links.
    r = client.get("/api/v1/timelines/tag/CATS", params={"limit": 2})
    assert ids(r.json()) == [d["id"], b["id"]]
    nxt = re.search(r'<([^>]+)>; rel="next"', r.headers["link"])
    assert nxt is not None and ids(client.get(nxt.group(1)).json()) == [a["id"]]
    assert client.get("/api/v1/timelines/tag/nothing").json() == []


def test_featured_tags_crud_validation_and_limit(alice: User, bob: User, client: TestClient) -> None:
    alice.status("#Writing is fun")
    alice.status("more #writing", visibility="private")  # not counted on a public profile
    r = alice.post("/api/v1/featured_tags", data={"name": "#Writing"})
    assert r.status_code == 200, r.text
    made = r.json()
    assert made["name"] == "writing" and made["statuses_count"] == "1"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", made["last_status_at"])
    assert alice.post("/api/v1/featured_tags", data={"name": "writing"}).status_code == 422  # twice
    assert alice.post("/api/v1/featured_tags", data={"name": "not a tag"}).status_code == 422
    assert alice.post("/api/v1/featured_tags", data={"name": "123"}).status_code == 422
    assert alice.post("/api/v1/featured_tags", data={}).status_code == 400
    assert [t["name"] for t in alice.get("/api/v1/featured_tags").json()] == ["writing"]
    assert [t["id"] for t in client.get(f"/api/v1/accounts/{alice.id}/featured_tags").json()] == [made["id"]]
    for n in range(9):
        assert alice.post("/api/v1/featured_tags", json={"name": f"tag{n}"}).status_code == 200
    r = alice.post("/api/v1/featured_tags", json={"name": "eleventh"})
    assert r.status_code == 422 and "10" in r.json()["error"]
    # Someone else's featured tag, or an unknown id: 404, nothing removed.
    assert bob.delete(f"/api/v1/featured_tags/{made['id']}").status_code == 404
    assert alice.delete("/api/v1/featured_tags/12345").status_code == 404
    assert alice.delete("/api/v1/featured_tags/nope").status_code == 404
    assert alice.delete(f"/api/v1/featured_tags/{made['id']}").json() == {}
    assert len(alice.get("/api/v1/featured_tags").json()) == 9
    assert client.get("/api/v1/accounts/999/featured_tags").status_code == 404


def test_featured_tag_suggestions(alice: User) -> None:
    alice.status("#one #two")
    alice.status("#two")
    alice.status("#three", visibility="direct")
    assert [t["name"] for t in alice.get("/api/v1/featured_tags/suggestions").json()] == ["two", "one"]
    alice.post("/api/v1/featured_tags", data={"name": "two"})
    assert [t["name"] for t in alice.get("/api/v1/featured_tags/suggestions").json()] == ["one"]
