"""Notifications, grouped notifications, the unread count and markers through the Mastodon API."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from tests.conftest import User


def kinds(user: User, **params: Any) -> list[tuple[str, str]]:
    r = user.get("/api/v1/notifications", params=params)
    assert r.status_code == 200, r.text
    return [(n["type"], n["account"]["username"]) for n in r.json()]


def test_each_type_is_made_and_undone(alice: User, bob: User, drain: Any) -> None:
    post = alice.status("hello")
    bob.post(f"/api/v1/statuses/{post['id']}/favourite")
    bob.post(f"/api/v1/statuses/{post['id']}/reblog")
    bob.post(f"/api/v1/accounts/{alice.id}/follow")
    bob.status("hi @alice")
    bob.status("a reply without naming her", in_reply_to_id=post["id"])
    got = kinds(alice, **{"supported_types[]": "quote"})
    assert sorted(t for t, _ in got) == ["favourite", "follow", "mention", "mention", "reblog"]
    assert all(u == "bob" for _, u in got)
    n = alice.get("/api/v1/notifications", params={"types[]": "favourite"}).json()[0]
    assert n["status"]["id"] == post["id"] and n["group_key"].startswith(f"favourite-{post['id']}-")
    assert n["created_at"].endswith("Z") and isinstance(n["id"], str)

    bob.post(f"/api/v1/statuses/{post['id']}/unfavourite")
    bob.post(f"/api/v1/statuses/{post['id']}/unreblog")
    bob.post(f"/api/v1/accounts/{alice.id}/unfollow")
    assert sorted(t for t, _ in kinds(alice)) == ["mention", "mention"]


def test_no_self_notification_and_quote_only_when_supported(alice: User, bob: User) -> None:
    post = alice.status("mine")
    alice.post(f"/api/v1/statuses/{post['id']}/favourite")
    alice.status("me @alice")
    assert kinds(alice) == []
    bob.status("look at this", quoted_status_id=post["id"])
    assert kinds(alice) == []  # quote is not a classic type
    assert kinds(alice, **{"supported_types[]": "quote"}) == [("quote", "bob")]


def test_follow_request_removed_when_answered(alice: User, bob: User, carol: User) -> None:
    alice.patch("/api/v1/accounts/update_credentials", data={"locked": "true"})
    bob.post(f"/api/v1/accounts/{alice.id}/follow")
    carol.post(f"/api/v1/accounts/{alice.id}/follow")
    assert sorted(kinds(alice)) == [("follow_request", "bob"), ("follow_request", "carol")]
    alice.post(f"/api/v1/follow_requests/{bob.id}/authorize")
    alice.post(f"/api/v1/follow_requests/{carol.id}/reject")
    assert kinds(alice) == []


def test_private_and_direct_posts_never_reach_who_cannot_see(alice: User, bob: User, carol: User) -> None:
    post = alice.status("public root")
    # A followers-only reply: alice does not follow bob, so she may not see it, nor be told of it.
    bob.status("private reply", in_reply_to_id=post["id"], visibility="private")
    assert kinds(alice) == []
    bob.status("@carol secret", visibility="direct")
    assert kinds(alice) == [] and kinds(carol) == [("mention", "bob")]


def test_status_notifications_for_notify_followers(alice: User, bob: User, carol: User, drain: Any) -> None:
    bob.post(f"/api/v1/accounts/{alice.id}/follow", data={"notify": "1"})
    carol.post(f"/api/v1/accounts/{alice.id}/follow")
    alice.status("news")
    alice.status("only for followers", visibility="private")
    drain()
    assert [t for t, _ in kinds(bob)] == ["status", "status"]
    assert kinds(carol) == []
    drain()  # a repeated run changes nothing
    assert len(kinds(bob)) == 2


def test_hidden_accounts_are_not_heard(alice: User, bob: User, carol: User) -> None:
    post = alice.status("hello")
    alice.post(f"/api/v1/accounts/{bob.id}/block")
    alice.post(f"/api/v1/accounts/{carol.id}/mute", data={"notifications": "0"})
    bob.status("@alice hey")
    carol.post(f"/api/v1/statuses/{post['id']}/favourite")
    assert kinds(alice) == [("favourite", "carol")]  # a mute without notifications lets them through
    alice.post(f"/api/v1/accounts/{carol.id}/mute", data={"notifications": "1"})
    assert kinds(alice) == []  # and a mute of notifications hides what was there


def test_deleting_the_post_removes_its_notifications(alice: User, bob: User) -> None:
    s = bob.status("@alice bye soon")
    assert len(kinds(alice)) == 1
    bob.delete(f"/api/v1/statuses/{s['id']}")
    assert kinds(alice) == []


def test_filters_pagination_get_dismiss_clear(alice: User, bob: User) -> None:
    for i in range(5):
        bob.status(f"@alice {i}")
    post = alice.status("x")
    bob.post(f"/api/v1/statuses/{post['id']}/favourite")
    assert [t for t, _ in kinds(alice, **{"types[]": "mention"})] == ["mention"] * 5
    assert kinds(alice, **{"exclude_types[]": "mention"}) == [("favourite", "bob")]
    assert kinds(alice, **{"types[]": "nonsense"}) == []
    assert len(kinds(alice, account_id=bob.id)) == 6 and kinds(alice, account_id=alice.id) == []
    first = alice.get("/api/v1/notifications", params={"limit": 2})
    assert len(first.json()) == 2 and 'rel="next"' in first.headers["link"]
    next_url = first.headers["link"].split(">;")[0][1:].replace("http://testserver", "")
    second = alice.get(next_url).json()
    assert len(second) == 2 and int(second[0]["id"]) < int(first.json()[-1]["id"])

    one = first.json()[0]["id"]
    assert alice.get(f"/api/v1/notifications/{one}").json()["id"] == one
    assert bob.get(f"/api/v1/notifications/{one}").status_code == 404  # someone else's
    assert alice.get("/api/v1/notifications/123").status_code == 404
    assert alice.get("/api/v1/notifications/nope").status_code == 404
    assert bob.post(f"/api/v1/notifications/{one}/dismiss").status_code == 404
    assert alice.post(f"/api/v1/notifications/{one}/dismiss").json() == {}
    assert alice.get(f"/api/v1/notifications/{one}").status_code == 404
    assert len(kinds(alice)) == 5
    assert alice.post("/api/v1/notifications/clear").json() == {}
    assert kinds(alice) == []


def test_unread_count_and_markers(alice: User, bob: User) -> None:
    assert alice.get("/api/v1/markers", params={"timeline[]": "home"}).json() == {}
    for i in range(3):
        bob.status(f"@alice {i}")
    ids = [n["id"] for n in alice.get("/api/v1/notifications").json()]
    assert alice.get("/api/v1/notifications/unread_count").json() == {"count": 3}
    r = alice.post("/api/v1/markers", data={"notifications[last_read_id]": ids[1]})
    assert r.status_code == 200, r.text
    assert r.json()["notifications"]["last_read_id"] == ids[1] and r.json()["notifications"]["version"] == 1
    assert alice.get("/api/v1/notifications/unread_count").json() == {"count": 1}
    r = alice.post(
        "/api/v1/markers", json={"notifications": {"last_read_id": ids[0]}, "home": {"last_read_id": "5"}}
    )
    assert r.json()["notifications"]["version"] == 2 and r.json()["home"]["version"] == 1
    got = alice.get("/api/v1/markers", params={"timeline[]": ["home", "notifications"]}).json()
    assert got["home"]["last_read_id"] == "5" and got["notifications"]["last_read_id"] == ids[0]
    assert alice.get("/api/v1/markers", params={"timeline": "home"}).json().keys() == {"home"}
    assert alice.get("/api/v1/notifications/unread_count").json() == {"count": 0}
    assert bob.get("/api/v1/markers", params={"timeline[]": "home"}).json() == {}
    # A reader with no notifications marker yet reads "0" (Elk reads it unguarded).
    assert (
        bob.get("/api/v1/markers", params={"timeline[]": "notifications"}).json()["notifications"][
            "last_read_id"
        ]
        == "0"
    )


def test_bad_markers_are_refused(alice: User) -> None:
    for body in (
        {"home[last_read_id]": "abc"},
        {"home[last_read_id]": "-1"},
        {"other[last_read_id]": "1"},
        {},
    ):
        r = alice.post("/api/v1/markers", data=body)
        assert r.status_code == 422, (body, r.text)
        assert "error" in r.json()
    assert alice.get("/api/v1/markers", params={"timeline[]": "home"}).json() == {}


def test_grouped_notifications(alice: User, bob: User, carol: User, make_user: Any) -> None:
    post = alice.status("popular")
    dave = make_user("dave")
    for fan in (bob, carol, dave):
        fan.post(f"/api/v1/statuses/{post['id']}/favourite")
    bob.post(f"/api/v1/accounts/{alice.id}/follow")
    carol.post(f"/api/v1/accounts/{alice.id}/follow")
    bob.status("@alice hi")
    r = alice.get("/api/v2/notifications")
    assert r.status_code == 200, r.text
    body = r.json()
    groups = body["notification_groups"]
    assert [g["type"] for g in groups] == ["mention", "follow", "favourite"]
    fav = groups[2]
    assert fav["notifications_count"] == 3 and fav["status_id"] == post["id"]
    assert fav["sample_account_ids"] == [dave.id, carol.id, bob.id]
    assert groups[1]["notifications_count"] == 2 and groups[0]["group_key"].startswith("ungrouped-")
    assert {a["id"] for a in body["accounts"]} == {bob.id, carol.id, dave.id}
    assert {s["id"] for s in body["statuses"]} >= {post["id"]}
    # Not grouped when the client says so.
    flat = alice.get("/api/v2/notifications", params={"grouped_types[]": "follow"}).json()
    assert len(flat["notification_groups"]) == 5
    # One group, its accounts, dismissing it.
    key = fav["group_key"]
    one = alice.get(f"/api/v2/notifications/{key}").json()
    assert one["notification_groups"][0]["notifications_count"] == 3
    accounts = alice.get(f"/api/v2/notifications/{key}/accounts").json()
    assert [a["id"] for a in accounts] == [dave.id, carol.id, bob.id]
    assert alice.get("/api/v2/notifications/unread_count").json() == {"count": 3}
    assert bob.post(f"/api/v2/notifications/{key}/dismiss").status_code == 404
    assert alice.post(f"/api/v2/notifications/{key}/dismiss").json() == {}
    assert alice.get(f"/api/v2/notifications/{key}").status_code == 404
    assert len(alice.get("/api/v2/notifications").json()["notification_groups"]) == 2
    # Paging by groups.
    page = alice.get("/api/v2/notifications", params={"limit": 1})
    assert len(page.json()["notification_groups"]) == 1 and 'rel="next"' in page.headers["link"]


def test_policy_and_requests_accept_everything(alice: User) -> None:
    policy = alice.get("/api/v2/notifications/policy").json()
    assert policy["for_not_following"] == "accept" and policy["summary"]["pending_requests_count"] == 0
    assert alice.patch("/api/v2/notifications/policy", data={"for_not_following": "drop"}).status_code == 200
    assert alice.get("/api/v1/notifications/requests").json() == []


def test_signed_out_and_scopes(client: TestClient, make_user: Any) -> None:
    assert client.get("/api/v1/notifications").status_code == 401
    reader = make_user("reader", scope="read")
    assert reader.get("/api/v1/notifications").status_code == 200
    assert reader.post("/api/v1/notifications/clear").status_code == 403
