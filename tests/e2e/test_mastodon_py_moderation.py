"""Mastodon.py, unmodified, against the real server: blocks, mutes and filters v2."""

from __future__ import annotations

import pytest
from mastodon import MastodonAPIError, MastodonNotFoundError

from tests.e2e.conftest import Server


def test_blocks_mutes_and_filters(server: Server) -> None:
    alice = server.mastodon(server.create_user("alice"))
    bob = server.mastodon(server.create_user("bob"))
    bob_id = bob.me()["id"]
    post = bob.status_post("bob's words about dragons")

    rel = alice.account_mute(bob_id, notifications=False, duration=3600)
    assert rel["muting"] is True and rel["muting_notifications"] is False
    assert [a["id"] for a in alice.mutes()] == [bob_id]
    assert all(s["id"] != post["id"] for s in alice.timeline_public())
    assert alice.account_unmute(bob_id)["muting"] is False

    assert alice.account_block(bob_id)["blocking"] is True
    assert [a["id"] for a in alice.blocks()] == [bob_id]
    with pytest.raises(MastodonAPIError):
        bob.account_follow(alice.me()["id"])
    with pytest.raises(MastodonNotFoundError):
        alice.status(post["id"])
    assert alice.account_unblock(bob_id)["blocking"] is False

    made = alice.create_filter_v2(
        "Dragons",
        ["public", "home"],
        "warn",
        keywords_attributes=[{"keyword": "dragon", "whole_word": False}],
    )
    assert made["title"] == "Dragons" and made["keywords"][0]["keyword"] == "dragon"
    shown = next(s for s in alice.timeline_public() if s["id"] == post["id"])
    assert shown["filtered"][0]["filter"]["title"] == "Dragons"
    assert shown["filtered"][0]["keyword_matches"] == ["dragon"]
    assert [f["id"] for f in alice.filters_v2()] == [made["id"]]
    changed = alice.update_filter_v2(made["id"], filter_action="hide")
    assert changed["filter_action"] == "hide"
    assert all(s["id"] != post["id"] for s in alice.timeline_public())
    keyword = alice.add_filter_keyword_v2(made["id"], "wyvern", whole_word=True)
    assert [k["keyword"] for k in alice.filter_keywords_v2(made["id"])] == ["dragon", "wyvern"]
    alice.delete_filter_keyword_v2(keyword["id"])
    alice.delete_filter_v2(made["id"])
    assert alice.filters_v2() == []
    assert any(s["id"] == post["id"] for s in alice.timeline_public())
