"""Mastodon entities of hashtags: Tag (with its history), FeaturedTag, and Suggestion."""

from __future__ import annotations

from typing import Any

from gazouillis.api.entities.accounts import account_entity
from gazouillis.api.entities.common import day
from gazouillis.config import Settings
from gazouillis.graph.suggestions import Suggestion
from gazouillis.posts.tables import Tag
from gazouillis.tags.featured import Featured
from gazouillis.tags.history import Day

# Mastodon's deprecated single ``source``, derived from the first of ``sources``.
_SOURCE = {
    "friends_of_friends": "past_interactions",
    "similar_to_recently_followed": "past_interactions",
    "most_interactions": "global",
    "most_followed": "global",
    "featured": "staff",
}


def tag_url(tag: Tag, settings: Settings) -> str:
    return f"{settings.base_url}/tags/{tag.name}"


def tag_entity(
    tag: Tag, settings: Settings, history: list[Day], *, following: bool | None = None
) -> dict[str, Any]:
    """A Tag: ``history`` newest day first, numbers as strings (as Mastodon); ``following`` if signed in."""
    entity: dict[str, Any] = {
        "id": str(tag.id),
        "name": tag.name,
        "url": tag_url(tag, settings),
        "history": [{"day": str(d.day), "uses": str(d.uses), "accounts": str(d.accounts)} for d in history],
    }
    if following is not None:
        entity["following"] = following
    return entity


def featured_tag_entity(featured: Featured, settings: Settings) -> dict[str, Any]:
    return {
        "id": str(featured.id),
        "name": featured.tag.name,
        "url": tag_url(featured.tag, settings),
        "statuses_count": str(featured.statuses_count),
        "last_status_at": day(featured.last_status_at),
    }


def suggestion_entity(suggestion: Suggestion, settings: Settings) -> dict[str, Any]:
    return {
        "source": _SOURCE.get(suggestion.sources[0], "global"),
        "sources": list(suggestion.sources),
        "account": account_entity(suggestion.account, settings),
    }
