"""Mastodon.py, unmodified, on hashtags, trends, suggestions and featured tags (real server process)."""

from __future__ import annotations

from mastodon import MastodonAPIError, MastodonNotFoundError

from tests.e2e.conftest import Server, wait_for


def test_hashtags_trends_suggestions_featured(server: Server) -> None:
    alice = server.mastodon(server.create_user("alice"))
    bob = server.mastodon(server.create_user("bob"))
    carol = server.mastodon(server.create_user("carol"))

    # Follow a hashtag: its public posts reach bob's home timeline.
    bob.timeline_home()  # bob's feed exists
    followed = bob.tag_follow("Jardin")
    assert followed["name"] == "jardin" and followed["following"] is True
    assert [t["name"] for t in bob.followed_tags()] == ["jardin"]
    post = alice.status_post("Les tomates #Jardin #potager")
    hidden = alice.status_post("Secret #jardin", visibility="private")
    assert wait_for(lambda: any(s["id"] == post["id"] for s in bob.timeline_home()))
    assert all(s["id"] != hidden["id"] for s in bob.timeline_home())
    tag = bob.tag_unfollow("jardin")
    assert tag["following"] is False and bob.followed_tags() == []

    # The hashtag timeline, case-insensitive (any[]/all[]/none[], which Mastodon.py does not send, are
    # tested in tests/api/test_tags.py).
    assert [s["id"] for s in alice.timeline_hashtag("JARDIN")] == [post["id"]]
    assert [s["id"] for s in alice.timeline_hashtag("potager", local=True, limit=5)] == [post["id"]]
    assert alice.timeline_hashtag("jardin", remote=True) == []

    # Trends: two people on #jardin (it was never used before), a liked post.
    carol.status_post("Moi aussi #jardin")
    bob.status_favourite(post["id"])
    carol.status_favourite(post["id"])
    trending = alice.trending_tags()
    assert [t["name"] for t in trending][:1] == ["jardin"]
    assert trending[0]["history"][0]["accounts"] == "2"
    assert [s["id"] for s in alice.trending_statuses()] == [post["id"]]

    # Suggestions: carol follows bob, alice follows carol -> bob is a friend of a friend.
    carol.account_follow(bob.me()["id"])
    alice.account_follow(carol.me()["id"])
    found = alice.suggestions()
    assert found[0]["acct"] == "bob"  # Mastodon.py unwraps the v2 suggestions into accounts
    alice.suggestion_delete(bob.me()["id"])
    assert all(a["acct"] != "bob" for a in alice.suggestions())

    # Featured tags.
    featured = alice.featured_tag_create("jardin")
    assert featured["name"] == "jardin"
    assert [t["name"] for t in alice.featured_tags()] == ["jardin"]
    assert [t["name"] for t in bob.account_featured_tags(alice.me()["id"])] == ["jardin"]
    try:
        alice.featured_tag_create("not a tag")
        raise AssertionError("an invalid featured tag was accepted")
    except MastodonAPIError as exc:
        assert "422" in str(exc) or "Validation" in str(exc)
    alice.featured_tag_delete(featured["id"])
    assert alice.featured_tags() == []
    try:
        alice.tag("neverusedanywhere")
        raise AssertionError("an unknown tag was found")
    except MastodonNotFoundError:
        pass
