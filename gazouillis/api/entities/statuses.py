"""Mastodon Status entity, built from hydrated post views."""

from __future__ import annotations

from typing import Any

from gazouillis.api.entities.accounts import account_entity
from gazouillis.api.entities.common import timestamp
from gazouillis.config import Settings
from gazouillis.posts.views import PostView


def status_entity(view: PostView, settings: Settings, *, source: bool = False) -> dict[str, Any]:
    """One post as Mastodon clients expect it; ``source`` adds the plain text (delete / redraft)."""
    base = settings.base_url
    post, author = view.post, view.account
    entity: dict[str, Any] = {
        "id": str(post.id),
        "uri": f"{base}/users/{author.username}/statuses/{post.id}",
        "url": f"{base}/@{author.username}/{post.id}",
        "created_at": timestamp(post.created_at),
        "edited_at": timestamp(post.edited_at),
        "account": account_entity(author, settings),
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
        "reblogs_count": post.reblogs_count,
        "favourites_count": post.favourites_count,
        "replies_count": post.replies_count,
        "quotes_count": post.quotes_count,
        "in_reply_to_id": str(post.in_reply_to_id) if post.in_reply_to_id else None,
        "in_reply_to_account_id": str(post.in_reply_to_account_id) if post.in_reply_to_account_id else None,
        "reblog": status_entity(view.reblog, settings) if view.reblog else None,
        "poll": None,
        "card": None,
        "application": {"name": view.application.name, "website": view.application.website}
        if view.application
        else None,
        "filtered": [],
    }
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
        entity["pinned"] = False
    if source:
        entity["text"] = post.text
    return entity


def status_list(views: list[PostView], settings: Settings) -> list[dict[str, Any]]:
    return [status_entity(v, settings) for v in views]
