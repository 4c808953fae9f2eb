"""Direct-message conversations through the Mastodon API."""

from __future__ import annotations

from typing import Any

from tests.conftest import User


def convs(user: User, **params: Any) -> list[dict[str, Any]]:
    r = user.get("/api/v1/conversations", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_lifecycle(alice: User, bob: User, carol: User) -> None:
    first = alice.status("@bob psst", visibility="direct")
    [mine] = convs(alice)
    [his] = convs(bob)
    assert convs(carol) == []  # a stranger never sees it
    assert mine["unread"] is False and his["unread"] is True
    assert [a["id"] for a in mine["accounts"]] == [bob.id] and [a["id"] for a in his["accounts"]] == [
        alice.id
    ]
    assert his["last_status"]["id"] == first["id"]

    reply = bob.status("@alice what?", visibility="direct", in_reply_to_id=first["id"])
    [mine] = convs(alice)
    assert mine["unread"] is True and mine["last_status"]["id"] == reply["id"]
    assert len(convs(alice)) == 1  # the same conversation

    read = alice.post(f"/api/v1/conversations/{mine['id']}/read")
    assert read.status_code == 200 and read.json()["unread"] is False
    assert convs(bob)[0]["unread"] is False  # his own reply: read for him

    # Deleting the last post moves the conversation back to the previous one.
    bob.delete(f"/api/v1/statuses/{reply['id']}")
    assert convs(alice)[0]["last_status"]["id"] == first["id"]
    # Removing it is for the caller only.
    assert alice.delete(f"/api/v1/conversations/{mine['id']}").json() == {}
    assert convs(alice) == [] and len(convs(bob)) == 1
    # Someone else's or unknown: not found.
    assert carol.post(f"/api/v1/conversations/{his['id']}/read").status_code == 404
    assert carol.delete(f"/api/v1/conversations/{his['id']}").status_code == 404
    assert alice.post("/api/v1/conversations/999/read").status_code == 404
    # The last post of a conversation deleted: it disappears.
    alice.delete(f"/api/v1/statuses/{first['id']}")
    assert convs(bob) == []


def test_newest_first_and_pagination(alice: User, bob: User, carol: User) -> None:
    a = alice.status("@bob one", visibility="direct")
    alice.status("@carol two", visibility="direct")
    bob.status("@alice three", visibility="direct", in_reply_to_id=a["id"])
    got = convs(alice)
    assert [c["last_status"]["content"].count("three") for c in got] == [1, 0]
    r = alice.get("/api/v1/conversations", params={"limit": 1})
    assert len(r.json()) == 1 and 'rel="next"' in r.headers["link"]
    rest = alice.get(r.headers["link"].split(">;")[0][1:].replace("http://testserver", "")).json()
    assert len(rest) == 1 and rest[0]["id"] != r.json()[0]["id"]
    # A public post is no conversation.
    alice.status("@bob public")
    assert len(convs(alice)) == 2
