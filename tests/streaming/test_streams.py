"""Which stream an update belongs to, for which viewer: the pure rules over loaded facts."""

from __future__ import annotations

from gazouillis.graph.hiding import Hidden
from gazouillis.streaming.streams import ANONYMOUS, PostFacts, ViewerFacts, normalize_param, streams_for

AUTHOR, FOLLOWER, STRANGER, FRIEND = 1, 2, 3, 4


def post(**kw: object) -> PostFacts:
    return PostFacts(**({"id": 10, "account_id": AUTHOR, "visibility": "public"} | kw))  # type: ignore[arg-type]


def viewer(viewer_id: int, *, hidden: frozenset[int] = frozenset(), **kw: object) -> ViewerFacts:
    """Facts of a viewer; ``hidden``: accounts they muted (blocks hide the same way here)."""
    return ViewerFacts(viewer_id=viewer_id, hidden=Hidden(muted=hidden), **kw)  # type: ignore[arg-type]


follower = viewer(FOLLOWER, follows={AUTHOR: True})
stranger = viewer(STRANGER)


def test_public_post_goes_to_public_streams_and_followers_home() -> None:
    p = post(tags=frozenset({"café"}))
    assert streams_for(p, follower) == {
        ("public", None),
        ("public:local", None),
        ("hashtag", "café"),
        ("hashtag:local", "café"),
        ("user", None),
    }
    assert ("user", None) not in streams_for(p, stranger)
    assert ("public", None) in streams_for(p, ANONYMOUS)
    assert ("user", None) in streams_for(p, viewer(AUTHOR))  # one's own posts


def test_followers_only_post_reaches_followers_only() -> None:
    p = post(visibility="private")
    assert streams_for(p, follower) == {("user", None)}
    assert streams_for(p, stranger) == set()
    assert streams_for(p, ANONYMOUS) == set()


def test_unlisted_post_stays_out_of_public_streams() -> None:
    assert streams_for(post(visibility="unlisted"), follower) == {("user", None)}


def test_direct_post_reaches_only_mentioned_participants() -> None:
    p = post(visibility="direct", mentioned=frozenset({FRIEND}))
    assert streams_for(p, viewer(FRIEND, follows={AUTHOR: True})) == {("user", None)}
    assert streams_for(p, follower) == set()  # following is not enough
    assert streams_for(p, ANONYMOUS) == set()


def test_blocked_or_muted_author_reaches_nobody_who_hides_them() -> None:
    p = post(tags=frozenset({"x"}))
    assert streams_for(p, viewer(FOLLOWER, follows={AUTHOR: True}, hidden=frozenset({AUTHOR}))) == set()
    repost = post(id=11, account_id=FRIEND, reblog_of=post())
    hiding_original = viewer(FOLLOWER, follows={FRIEND: True}, hidden=frozenset({AUTHOR}))
    assert streams_for(repost, hiding_original) == set()


def test_reposts_follow_show_reblogs_and_stay_out_of_public_streams() -> None:
    repost = post(id=11, account_id=FRIEND, reblog_of=post())
    assert streams_for(repost, viewer(FOLLOWER, follows={FRIEND: True})) == {("user", None)}
    assert streams_for(repost, viewer(FOLLOWER, follows={FRIEND: False})) == set()
    assert streams_for(repost, ANONYMOUS) == set()


def test_reply_to_someone_else_needs_following_both_sides() -> None:
    reply = post(in_reply_to_account_id=FRIEND)
    assert ("user", None) not in streams_for(reply, follower)
    assert ("user", None) in streams_for(reply, viewer(FOLLOWER, follows={AUTHOR: True, FRIEND: True}))
    assert ("user", None) in streams_for(reply, viewer(FRIEND, follows={AUTHOR: True}))  # the one replied to
    assert ("public", None) in streams_for(reply, stranger)


def test_followed_hashtag_brings_public_posts_home() -> None:
    tagged = post(tags=frozenset({"python"}))
    assert ("user", None) in streams_for(tagged, viewer(STRANGER, followed_tags=frozenset({"python"})))
    private = post(visibility="private", tags=frozenset({"python"}))
    assert streams_for(private, viewer(STRANGER, followed_tags=frozenset({"python"}))) == set()


def test_list_streams_carry_members_posts() -> None:
    assert ("list", "77") in streams_for(
        post(), viewer(FOLLOWER, follows={AUTHOR: True}, lists=frozenset({"77"}))
    )
    private = post(visibility="private")
    assert streams_for(private, viewer(STRANGER, lists=frozenset({"77"}))) == set()


def test_hashtag_parameter_is_case_insensitive() -> None:
    assert normalize_param("hashtag", "#Café") == normalize_param("hashtag", "CAFÉ") == "café"
    assert normalize_param("hashtag", "  ") is None
    assert normalize_param("list", " 12 ") == "12"
    assert normalize_param("public", "x") is None
