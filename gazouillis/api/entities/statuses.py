"""Mastodon Status entity, built from hydrated post views."""

from __future__ import annotations

import threading
from typing import Any

from cachetools import LRUCache

from gazouillis.api.entities.accounts import account_entity
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
# added to a copy on every call. Kept as tuples of values: a third of the memory of as many dicts.
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
_fixed: LRUCache[tuple[Any, ...], tuple[Any, ...]] = LRUCache(maxsize=10_000)
_fixed_lock = threading.Lock()


def _fixed_part(view: PostView, base: str) -> tuple[Any, ...]:
    post = view.post
    key = (base, post.id, post.account_id, post.created_at, post.edited_at)
    with _fixed_lock:
        fixed = _fixed.get(key)
    if fixed is not None:
        return fixed
    username = view.account.username
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
        "media_attachments": [],
        "mentions": [
            {"id": str(a.id), "username": a.username, "acct": a.username, "url": f"{base}/@{a.username}"}
            for a in view.mentions
        ],
        "tags": [{"name": t.name, "url": f"{base}/tags/{t.name}"} for t in view.tags],
        "emojis": [],
        "in_reply_to_id": str(post.in_reply_to_id) if post.in_reply_to_id else None,
        "in_reply_to_account_id": str(post.in_reply_to_account_id) if post.in_reply_to_account_id else None,
        "poll": None,
        "card": None,
        "application": {"name": view.application.name, "website": view.application.website}
        if view.application
        else None,
        "filtered": [],
    }
    fixed = tuple(values[k] for k in FIXED_KEYS)
    with _fixed_lock:
        _fixed[key] = fixed
    return fixed


def status_list(views: list[PostView], settings: Settings) -> list[dict[str, Any]]:
    return [status_entity(v, settings) for v in views]
