"""Which stream an event belongs to, for a given viewer: pure functions over facts loaded beforehand.

A post reaches a subscription when the viewer may see it (visibility), hears from its author (no block
or mute), and it belongs to the stream: ``user`` is what the home timeline would show (the rules of
:mod:`gazouillis.timelines.feeds.rules`, plus public posts with a hashtag the viewer follows); ``public``
and ``hashtag`` hold public posts that are not reposts (as Mastodon); ``list`` the posts of the members
of the viewer's list. Everything here is on one instance, so ``:local`` streams equal the others and
``public:remote`` stays empty; the ``:media`` streams stay empty too (posts carry no media yet).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gazouillis.graph.hiding import Hidden
from gazouillis.posts.visibility import PUBLIC_LIKE
from gazouillis.text import normalize_hashtag

# Stream name → the scope its subscription needs (None: any token, or none at all).
STREAMS: dict[str, str | None] = {
    "user": "read:statuses",
    "user:notification": "read:notifications",
    "public": None,
    "public:media": None,
    "public:local": None,
    "public:local:media": None,
    "public:remote": None,
    "public:remote:media": None,
    "hashtag": None,
    "hashtag:local": None,
    "list": "read:statuses",
    "direct": "read:statuses",
}
NEEDS_USER = frozenset({"user", "user:notification", "list", "direct"})
HASHTAG = frozenset({"hashtag", "hashtag:local"})
# Streams a post may be pushed to; "delete" goes to these too (ids only).
POST_STREAMS = frozenset({"user", "public", "public:local", "hashtag", "hashtag:local", "list"})
MEDIA_STREAMS = frozenset({"public:media", "public:local:media", "public:remote", "public:remote:media"})

# A subscription's key: the stream name and its parameter (normalized tag, list id), if any.
Key = tuple[str, str | None]


@dataclass(frozen=True)
class PostFacts:
    """What deciding needs about one post (and, for a repost, its original)."""

    id: int
    account_id: int
    visibility: str
    mentioned: frozenset[int] = frozenset()
    reblog_of: PostFacts | None = None
    in_reply_to_account_id: int | None = None
    tags: frozenset[str] = frozenset()  # normalized names


@dataclass(frozen=True)
class ViewerFacts:
    """What deciding needs about one viewer, restricted to the accounts and tags of the post at hand."""

    viewer_id: int | None
    follows: dict[int, bool] = field(default_factory=dict)  # followed account → show its reposts
    hidden: Hidden = Hidden()  # blocked, blocking or muted accounts (what screening their posts uses)
    followed_tags: frozenset[str] = frozenset()
    lists: frozenset[str] = frozenset()  # ids of the viewer's lists the author is a member of


ANONYMOUS = ViewerFacts(viewer_id=None)


def can_see(post: PostFacts, viewer: ViewerFacts) -> bool:
    """:func:`gazouillis.posts.visibility.can_see` over loaded facts."""
    if post.visibility in PUBLIC_LIKE:
        return True
    if viewer.viewer_id is None:
        return False
    if post.account_id == viewer.viewer_id or viewer.viewer_id in post.mentioned:
        return True
    return post.visibility == "private" and post.account_id in viewer.follows


def visible(post: PostFacts, viewer: ViewerFacts) -> bool:
    """The viewer may see the post and, for a repost, the original; and hears from both authors."""
    for p in (post, post.reblog_of):
        if p is None:
            continue
        if not can_see(p, viewer) or p.account_id in viewer.hidden.posts:
            return False
    return True


def in_home(post: PostFacts, viewer: ViewerFacts) -> bool:
    """The post belongs in the viewer's home timeline (``rules.sees``, plus followed hashtags)."""
    me = viewer.viewer_id
    if me is None:
        return False
    if post.account_id == me:
        return True
    followed = post.account_id in viewer.follows and (
        post.reblog_of is None or viewer.follows[post.account_id]
    )
    if followed:
        other = post.in_reply_to_account_id
        reply_ok = other is None or other in (post.account_id, me) or other in viewer.follows
        if reply_ok and (post.visibility != "direct" or me in post.mentioned):
            return True
    return is_broadcast(post) and bool(post.tags & viewer.followed_tags)


def in_list(
    post: PostFacts, owner_id: int, follows: dict[int, bool], policy: str, replied_is_member: bool
) -> bool:
    """Whether a list member's post belongs in the owner's list timeline (the rules of
    :mod:`gazouillis.lists.timeline`): never a direct post; a repost only if the owner sees that member's
    reposts; a reply per the list's ``replies_policy`` (a thread or a reply to the owner always)."""
    if post.visibility == "direct":
        return False
    if post.reblog_of is not None and post.account_id != owner_id and not follows.get(post.account_id, False):
        return False
    other = post.in_reply_to_account_id
    if other is None or other in (post.account_id, owner_id):
        return True
    if policy == "list":
        return replied_is_member
    return policy == "followed" and other in follows


def is_broadcast(post: PostFacts) -> bool:
    """Public and not a repost: what the public and hashtag streams carry."""
    return post.visibility == "public" and post.reblog_of is None


def streams_for(post: PostFacts, viewer: ViewerFacts) -> set[Key]:
    """Every subscription key of ``viewer`` an ``update`` of ``post`` goes to."""
    if not visible(post, viewer):
        return set()
    keys: set[Key] = set()
    if is_broadcast(post):
        keys |= {("public", None), ("public:local", None)}
        for tag in post.tags:
            keys |= {("hashtag", tag), ("hashtag:local", tag)}
    if in_home(post, viewer):
        keys.add(("user", None))
    for list_id in viewer.lists:
        keys.add(("list", list_id))
    return keys


def normalize_param(name: str, raw: str | None) -> str | None:
    """The parameter a key holds: hashtags compare case-insensitively, list ids as sent digits."""
    if name in HASHTAG:
        return normalize_hashtag((raw or "").strip()) or None
    if name == "list":
        return (raw or "").strip() or None
    return None
