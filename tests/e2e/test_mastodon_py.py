"""Mastodon.py, unmodified, against the real server process."""

from __future__ import annotations

import pytest
from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError

from tests.conftest import PASSWORD
from tests.e2e.conftest import Server, wait_for


def test_full_journey(server: Server) -> None:
    alice = server.mastodon(server.create_user("alice"))
    assert alice.account_verify_credentials()["username"] == "alice"
    # Registration through the API, as a new member of an open instance would.
    client_id, client_secret = Mastodon.create_app("signup", api_base_url=server.url)
    anon = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=server.url)
    bob_token = anon.create_account("bob", PASSWORD, "bob@example.org", agreement=True)
    bob = Mastodon(access_token=bob_token, api_base_url=server.url)
    bob_me = bob.me()
    assert bob_me["acct"] == "bob"

    bob.account_follow(alice.me()["id"])
    post = alice.status_post("Bonjour #gazouillis, @bob !", language="fr")
    assert post["tags"][0]["name"] == "gazouillis" and post["mentions"][0]["acct"] == "bob"
    assert wait_for(lambda: any(s["id"] == post["id"] for s in bob.timeline_home()))

    reply = bob.status_post("@alice salut !", in_reply_to_id=post["id"])
    context = alice.status_context(post["id"])
    assert [s["id"] for s in context["descendants"]] == [reply["id"]]

    liked = bob.status_favourite(post["id"])
    assert liked["favourited"] is True and liked["favourites_count"] == 1
    boost = bob.status_reblog(post["id"])
    assert boost["reblog"]["id"] == post["id"]
    assert [a["id"] for a in alice.status_reblogged_by(post["id"])] == [bob_me["id"]]
    assert bob.status_unreblog(post["id"])["reblogged"] is False
    bob.status_bookmark(post["id"])
    assert [s["id"] for s in bob.bookmarks()] == [post["id"]]

    # Pagination through the Link header, as Mastodon.py's fetch_next does.
    for i in range(5):
        alice.status_post(f"numéro {i}")
    page = alice.account_statuses(alice.me()["id"], limit=2)
    second = alice.fetch_next(page)
    assert second and len(second) == 2 and second[0]["id"] < page[-1]["id"]

    alice.status_delete(post["id"])
    with pytest.raises(MastodonNotFoundError):
        bob.status(post["id"])
    assert all(s["id"] != post["id"] for s in bob.timeline_home())


def test_errors_reach_the_client(server: Server) -> None:
    alice = server.mastodon(server.create_user("alice"))
    with pytest.raises(MastodonAPIError, match="character limit"):
        alice.status_post("x" * 281)
    with pytest.raises(MastodonNotFoundError):
        alice.account(123)
    with pytest.raises(MastodonAPIError, match="authorized scopes"):
        reader = Mastodon(
            client_id=alice.client_id, client_secret=alice.client_secret, api_base_url=server.url
        )
        reader.log_in("alice@example.org", PASSWORD, scopes=["read"])
        reader.status_post("a read-only token cannot post")
