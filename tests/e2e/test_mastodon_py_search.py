"""Search with Mastodon.py, unmodified, against the real server process."""

from __future__ import annotations

import pytest
from mastodon import MastodonAPIError

from tests.e2e.conftest import Server


def test_search_with_mastodon_py(server: Server) -> None:
    alice = server.mastodon(server.create_user("alice"))
    bob = server.mastodon(server.create_user("bob"))
    alice.account_update_credentials(note="Recruteuse à l'École des Mines")
    post = alice.status_post("Rentrée à l'ÉCOLE #Éducation")
    alice.status_post("École privée", visibility="private")

    found = bob.search_v2("ecole", result_type="statuses")
    assert [s["id"] for s in found["statuses"]] == [post["id"]]
    assert found["accounts"] == [] and found["hashtags"] == []

    everything = bob.search_v2("ecole")
    assert [a["acct"] for a in everything["accounts"]] == ["alice"]

    tags = bob.search_v2("#educ", result_type="hashtags")
    assert tags["hashtags"][0]["name"] == "éducation"

    by_author = bob.search_v2("from:alice", result_type="statuses")
    assert [s["id"] for s in by_author["statuses"]] == [post["id"]]

    people = bob.account_search("recrut")
    assert [a["acct"] for a in people] == ["alice"]
    assert bob.account_search("alice", following=True) == []

    with pytest.raises(MastodonAPIError) as caught:
        bob.search_v2("ecole since:2024-13-45")
    assert "since:" in str(caught.value)
