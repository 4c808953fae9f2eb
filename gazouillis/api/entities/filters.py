"""Mastodon Filter (v2 and v1), FilterKeyword, FilterStatus and FilterResult entities."""

from __future__ import annotations

from typing import Any

from gazouillis.api.entities.common import timestamp
from gazouillis.filters.matching import FilterMatch
from gazouillis.filters.service import FilterFull
from gazouillis.filters.tables import Filter, FilterKeyword, FilterStatus


def keyword_entity(keyword: FilterKeyword) -> dict[str, Any]:
    return {"id": str(keyword.id), "keyword": keyword.keyword, "whole_word": keyword.whole_word}


def filter_status_entity(status: FilterStatus) -> dict[str, Any]:
    return {"id": str(status.id), "status_id": str(status.post_id)}


def _head(row: Any) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "title": row.title,
        "context": list(row.context),
        "expires_at": timestamp(row.expires_at),
        "filter_action": row.action,
    }


def filter_entity(found: FilterFull) -> dict[str, Any]:
    return {
        **_head(found.filter),
        "keywords": [keyword_entity(k) for k in found.keywords],
        "statuses": [filter_status_entity(s) for s in found.statuses],
    }


def filter_result_entity(match: FilterMatch) -> dict[str, Any]:
    """One entry of a Status's ``filtered``: the filter (without its rules, as Mastodon) and the matches."""
    return {
        "filter": _head(match.filter),
        "keyword_matches": list(match.keyword_matches) if match.keyword_matches else None,
        "status_matches": [str(i) for i in match.status_matches] if match.status_matches else None,
    }


def v1_filter_entity(row: Filter, keyword: FilterKeyword) -> dict[str, Any]:
    """Filters v1: one entry per keyword, the id being the keyword's (Mastodon does the same)."""
    return {
        "id": str(keyword.id),
        "phrase": keyword.keyword,
        "context": list(row.context),
        "whole_word": keyword.whole_word,
        "expires_at": timestamp(row.expires_at),
        "irreversible": row.action == "hide",
    }
