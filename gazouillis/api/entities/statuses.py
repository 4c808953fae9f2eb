"""Mastodon Status entity, built from hydrated post views."""

from __future__ import annotations

import threading
from typing import Any

import orjson
from cachetools import LRUCache
from sqlalchemy.engine import Row

from gazouillis.api.entities.accounts import account_entity, account_key
from gazouillis.api.entities.common import timestamp
from gazouillis.api.entities.filters import filter_result_entity
from gazouillis.config import Settings
from gazouillis.posts.views import PostView


def status_entity(view: PostView, settings: Settings, *, source: bool = False) -> dict[str, Any]:
    """One post as Mastodon clients expect it; ``source`` adds the plain text (delete / redraft)."""
    post = view.post
    entity = dict(zip(FIXED_KEYS, _fixed_part(view, settings.base_url), strict=True))
    entity["account"] = account_entity(view.account, settings)
    entity["reblogs_count"] = post.reblogs_count
    entity["favourites_count"] = post.favourites_count
    entity["replies_count"] = post.replies_count
    entity["quotes_count"] = post.quotes_count
    entity["reblog"] = status_entity(view.reblog, settings) if view.reblog else None
    if post.quote_of_id is not None:
        entity["quote"] = (
            {"state": "accepted", "quoted_status": status_entity(view.quote, settings)}
            if view.quote
            else {"state": "deleted", "quoted_status": None}
        )
    if view.favourited is not None:
        entity["favourited"] = view.favourited
        entity["reblogged"] = view.reblogged
        entity["bookmarked"] = view.bookmarked
        entity["muted"] = False
    if view.pinned is not None:  # the viewer's own pinnable posts only, as on Mastodon
        entity["pinned"] = view.pinned
    if view.filtered:  # the viewer's own "warn" filters: per viewer, so never in the cached fixed part
        entity["filtered"] = [filter_result_entity(m) for m in view.filtered]
    if source:
        entity["text"] = post.text
    return entity


# What a post shows that never changes once written (an edit would change ``edited_at``), rendered once
# per process: URLs, dates, content, mentions, tags. Counters, the author and the viewer's state are
# added to a copy on every call. Kept as tuples of values: a third of the memory of as many dicts; their
# lists are tuples too (JSON arrays all the same), which the garbage collector stops tracking once it sees
# them hold only strings and numbers, so its collections do not walk the cache (nor hold ~8 empty lists'
# worth of memory per cached post).
FIXED_KEYS = (
    "id",
    "uri",
    "url",
    "created_at",
    "edited_at",
    "content",
    "visibility",
    "sensitive",
    "spoiler_text",
    "language",
    "media_attachments",
    "mentions",
    "tags",
    "emojis",
    "in_reply_to_id",
    "in_reply_to_account_id",
    "poll",
    "card",
    "application",
    "filtered",
)
_fixed: LRUCache[tuple[Any, ...], tuple[Any, ...]] = LRUCache(maxsize=2_000)
_fixed_lock = threading.Lock()


def _fixed_part(view: PostView, base: str) -> tuple[Any, ...]:
    post = view.post
    key = (base, post.id, post.account_id, post.created_at, post.edited_at)
    with _fixed_lock:
        fixed = _fixed.get(key)
    if fixed is not None:
        return fixed
    username = view.account.username
    app = view.application
    values = {
        "id": str(post.id),
        "uri": f"{base}/users/{username}/statuses/{post.id}",
        "url": f"{base}/@{username}/{post.id}",
        "created_at": timestamp(post.created_at),
        "edited_at": timestamp(post.edited_at),
        "content": post.html,
        "visibility": post.visibility,
        "sensitive": post.sensitive,
        "spoiler_text": post.spoiler_text,
        "language": post.language,
        "media_attachments": (),
        "mentions": tuple(
            {"id": str(a.id), "username": a.username, "acct": a.username, "url": f"{base}/@{a.username}"}
            for a in view.mentions
        ),
        "tags": tuple({"name": t.name, "url": f"{base}/tags/{t.name}"} for t in view.tags),
        "emojis": (),
        "in_reply_to_id": str(post.in_reply_to_id) if post.in_reply_to_id else None,
        "in_reply_to_account_id": str(post.in_reply_to_account_id) if post.in_reply_to_account_id else None,
        "poll": None,
        "card": None,
        "application": {"name": app.name, "website": app.website} if app else None,
        "filtered": (),
    }
    fixed = tuple(values[k] for k in FIXED_KEYS)
    with _fixed_lock:
        _fixed[key] = fixed
    return fixed


def status_list(views: list[PostView], settings: Settings) -> list[orjson.Fragment]:
    """Statuses for a JSON list reply, each already encoded (reused while its inputs are unchanged)."""
    return [orjson.Fragment(status_bytes(v, settings)) for v in views]


def status_bytes(view: PostView, settings: Settings) -> bytes:
    """``status_entity(view)`` encoded, from the rendered-status cache when nothing it shows has changed:
    one object per distinct input in the process, so the cached pages holding it share it."""
    inputs = _render_key(view)
    key = None if inputs is None else (settings.base_url, inputs)
    found = None
    if key is not None:
        with _rendered_lock:
            found = _rendered.get(key)
    if found is None:
        # Copied to its exact size: orjson's own buffer keeps ~30 KB of spare room (8 KB resident) each.
        found = memoryview(orjson.dumps(status_entity(view, settings))).tobytes()
        if key is not None:
            with _rendered_lock:
                _rendered[key] = found
    return found


# Whole statuses encoded once per process. The key is everything status_entity reads: the post's row as
# read for this request (counters and edits included), its author's (account_key), the embedded posts'
# keys and the viewer's own flags. A like or an edit makes a new key rather than a stale answer, so
# nothing needs invalidating, across processes either. Views carrying the viewer's filter matches, or
# built from ORM objects rather than rows, are encoded afresh. ~2 KB an entry.
_rendered: LRUCache[tuple[Any, ...], bytes] = LRUCache(maxsize=4_000)
_rendered_lock = threading.Lock()


def _render_key(view: PostView | None) -> tuple[Any, ...] | None:
    """What status_entity reads of ``view`` and the views it embeds; None when it cannot be a key."""
    if view is None:
        return ()
    if view.filtered or not isinstance(view.post, (Row, tuple)) or not isinstance(view.account, (Row, tuple)):
        return None
    reblog = _render_key(view.reblog)
    quote = _render_key(view.quote)
    if reblog is None or quote is None:
        return None
    flags = (view.favourited, view.reblogged, view.bookmarked, view.pinned)
    # Digests of the rows' values (a posts row has no JSON column), not the values: a key holding them kept
    # every cached post's text alive a second time (4.4 MB of 4,000 keys). A stale answer would take two
    # versions of one post's row, or one author's, with the same 64-bit hash in one process.
    return (view.post.id, hash(view.post), hash(account_key(view.account)), flags, reblog, quote)
