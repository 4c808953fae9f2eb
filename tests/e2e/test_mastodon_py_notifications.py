"""Mastodon.py, unmodified, on notifications, markers and conversations against the real server."""

from __future__ import annotations

import pytest
from mastodon import Mastodon, MastodonNotFoundError

from tests.e2e.conftest import Server, wait_for


def test_notifications_markers_conversations(server: Server) -> None:
    alice = server.mastodon(server.create_user("alice"))
    bob = server.mastodon(server.create_user("bob"))
    alice_id = alice.me()["id"]

    post = alice.status_post("hello")
    bob.status_favourite(post["id"])
    bob.account_follow(alice_id)
    bob.status_post("@alice are you there?")
    assert wait_for(lambda: len(alice.notifications()) == 3)
    everything = alice.notifications()
    assert sorted(n["type"] for n in everything) == ["favourite", "follow", "mention"]
    mentions = alice.notifications(types=["mention"])
    assert [n["type"] for n in mentions] == ["mention"] and mentions[0]["status"]["account"]["acct"] == "bob"
    assert alice.notifications(id=mentions[0]["id"])["id"] == mentions[0]["id"]

    alice.notifications_dismiss(mentions[0]["id"])
    assert len(alice.notifications()) == 2
    with pytest.raises(MastodonNotFoundError):
        alice.notifications(id=mentions[0]["id"])

    # Markers: JSON body from markers_set, timeline[] from markers_get; the version goes up on each save.
    newest = alice.notifications()[0]["id"]
    saved = alice.markers_set(["notifications"], [newest])
    assert saved["notifications"]["last_read_id"] == newest and saved["notifications"]["version"] == 1
    again = alice.markers_set(["home", "notifications"], [post["id"], newest])
    assert again["notifications"]["version"] == 2 and again["home"]["last_read_id"] == post["id"]
    got = alice.markers_get(["home", "notifications"])
    assert got["home"]["last_read_id"] == post["id"] and got["notifications"]["version"] == 2

    # Grouped notifications (Mastodon 4.3 API: this server says 4.2.0, so the version check is off).
    grouped_client = Mastodon(
        access_token=alice.access_token, api_base_url=server.url, version_check_mode="none"
    )
    grouped = grouped_client.grouped_notifications()
    assert {g["type"] for g in grouped["notification_groups"]} == {"favourite", "follow"}

    alice.notifications_clear()
    assert alice.notifications() == []

    # Direct messages.
    dm = bob.status_post("@alice just us", visibility="direct")
    convs = alice.conversations()
    assert len(convs) == 1 and convs[0]["unread"] is True and convs[0]["last_status"]["id"] == dm["id"]
    assert [a["acct"] for a in convs[0]["accounts"]] == ["bob"]
    assert alice.conversations_read(convs[0]["id"])["unread"] is False
    assert alice.conversations()[0]["unread"] is False
    assert bob.conversations()[0]["unread"] is False
