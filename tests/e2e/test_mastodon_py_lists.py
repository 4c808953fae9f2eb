"""Mastodon.py, unmodified, on lists, list timelines and pinned posts, against the real server process."""

from __future__ import annotations

import pytest
from mastodon import MastodonAPIError, MastodonNotFoundError

from tests.e2e.conftest import Server, wait_for


def test_lists_and_pins(server: Server) -> None:
    alice = server.mastodon(server.create_user("alice"))
    bob = server.mastodon(server.create_user("bob"))
    carol = server.mastodon(server.create_user("carol"))
    bob_id, carol_id = bob.me()["id"], carol.me()["id"]

    made = alice.list_create("Experts")
    assert made["title"] == "Experts" and made["replies_policy"] == "list" and made["exclusive"] is False
    updated = alice.list_update(made["id"], "Scientists", replies_policy="none", exclusive=True)
    assert (updated["title"], updated["replies_policy"], updated["exclusive"]) == ("Scientists", "none", True)
    assert [x["id"] for x in alice.lists()] == [made["id"]]
    with pytest.raises(MastodonAPIError, match="You must follow"):
        alice.list_accounts_add(made["id"], [bob_id])
    alice.account_follow(bob_id)
    alice.account_follow(carol_id)
    alice.list_accounts_add(made["id"], [bob_id, carol_id])
    assert {a["id"] for a in alice.list_accounts(made["id"])} == {bob_id, carol_id}
    alice.list_accounts_delete(made["id"], [carol_id])  # a form body on DELETE
    assert [a["id"] for a in alice.list_accounts(made["id"])] == [bob_id]
    assert [x["id"] for x in alice.account_lists(bob_id)] == [made["id"]]
    with pytest.raises(MastodonNotFoundError):
        bob.list(made["id"])

    said = bob.status_post("an expert speaks")
    carol_said = carol.status_post("not in the list")
    assert [s["id"] for s in alice.timeline_list(made["id"])] == [said["id"]]
    # Exclusive: bob's post stays out of alice's home, carol's comes in.
    assert wait_for(lambda: any(s["id"] == carol_said["id"] for s in alice.timeline_home()))
    assert all(s["id"] != said["id"] for s in alice.timeline_home())

    # Pinned posts.
    first = bob.status_post("pin me")
    pinned = bob.status_pin(first["id"])
    assert pinned["pinned"] is True
    assert [s["id"] for s in alice.account_statuses(bob_id, pinned=True)] == [first["id"]]
    assert bob.status_unpin(first["id"])["pinned"] is False
    assert alice.account_statuses(bob_id, pinned=True) == []

    alice.list_delete(made["id"])
    assert alice.lists() == []
