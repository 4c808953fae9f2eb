"""Who to follow: sources, ranking and everything that must never be suggested."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from gazouillis.accounts.tables import Account
from gazouillis.graph.tables import Block
from gazouillis.ids import new_id
from gazouillis.storage import Database


def names(found: list[dict[str, Any]], key: str = "account") -> list[str]:
    return [(s[key] if key else s)["username"] for s in found]


def test_friends_of_friends_ranked_and_exclusions(make_user: Any, db: Database, drain: Any) -> None:
    me, f1, f2, popular, niche, followed, requested, blocked, shy, dismissed = (
        make_user(n)
        for n in (
            "me",
            "f1",
            "f2",
            "popular",
            "niche",
            "followed",
            "requested",
            "blocked",
            "shy",
            "dismissed",
        )
    )
    for friend in (f1, f2):
        me.post(f"/api/v1/accounts/{friend.id}/follow")
        for target in (popular, followed, blocked, shy, dismissed, me):
            friend.post(f"/api/v1/accounts/{target.id}/follow")
    f1.post(f"/api/v1/accounts/{niche.id}/follow")
    f1.post(f"/api/v1/accounts/{requested.id}/follow")
    me.post(f"/api/v1/accounts/{followed.id}/follow")
    requested.patch("/api/v1/accounts/update_credentials", data={"locked": "true"})
    me.post(f"/api/v1/accounts/{requested.id}/follow")  # a request, pending
    with db.write() as session:
        session.add(Block(id=new_id(), account_id=int(me.id), target_account_id=int(blocked.id)))
    shy.patch("/api/v1/accounts/update_credentials", data={"discoverable": "false"})
    assert me.delete(f"/api/v1/suggestions/{dismissed.id}").json() == {}
    assert me.delete("/api/v1/suggestions/999999").status_code == 404
    drain()
    found = me.get("/api/v2/suggestions").json()
    got = names(found)
    assert got[:2] == ["popular", "niche"]  # followed by two friends, then by one
    assert found[0]["sources"][0] == "friends_of_friends" and found[0]["source"] == "past_interactions"
    for never in ("me", "f1", "f2", "followed", "requested", "shy", "dismissed"):
        assert never not in got
    v1 = me.get("/api/v1/suggestions", params={"limit": 1}).json()
    assert [a["username"] for a in v1] == ["popular"]
    assert me.get("/api/v2/suggestions", params={"limit": 1000}).status_code == 200


def test_blocked_accounts_are_not_suggested(make_user: Any, db: Database) -> None:
    me, friend, blocked = make_user("me"), make_user("friend"), make_user("blocked")
    me.post(f"/api/v1/accounts/{friend.id}/follow")
    friend.post(f"/api/v1/accounts/{blocked.id}/follow")
    assert "blocked" in names(me.get("/api/v2/suggestions").json())
    with db.write() as session:
        session.add(Block(id=new_id(), account_id=int(blocked.id), target_account_id=int(me.id)))
    assert "blocked" not in names(me.get("/api/v2/suggestions").json())


def test_hashtag_neighbours_and_newcomers(make_user: Any, db: Database) -> None:
    me, gardener, other, fan = make_user("me"), make_user("gardener"), make_user("other"), make_user("fan")
    me.status("my #roses")
    gardener.status("#Roses in bloom")
    gardener.status("#roses again")
    other.status("#tulips only")
    found = me.get("/api/v2/suggestions").json()
    assert names(found)[0] == "gardener" and found[0]["sources"] == ["most_interactions"]
    assert "other" not in names(found)
    # A newcomer following nobody and using no hashtag still gets the most followed accounts.
    fan.post(f"/api/v1/accounts/{other.id}/follow")
    newcomer = make_user("newcomer")
    assert names(newcomer.get("/api/v2/suggestions").json()) == ["other"]
    with db.write() as session:
        session.execute(update(Account).where(Account.id == int(other.id)).values(discoverable=False))
    assert newcomer.get("/api/v2/suggestions").json() == []


def test_suggestions_need_a_user(client: Any) -> None:
    assert client.get("/api/v2/suggestions").status_code == 401
