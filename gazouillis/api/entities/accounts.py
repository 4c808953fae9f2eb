"""Mastodon Account, CredentialAccount and Relationship entities."""

from __future__ import annotations

import threading
from html import escape
from typing import Any

from cachetools import LRUCache

from gazouillis.accounts.profiles import field_value_html, note_html
from gazouillis.accounts.tables import Account, User
from gazouillis.api.entities.common import day, timestamp
from gazouillis.config import Settings
from gazouillis.graph.service import Relationship

AVATAR_MISSING = "/static/avatar-missing.png"
HEADER_MISSING = "/static/header-missing.png"


def _profile_fields(account: Account) -> list[dict[str, Any]]:
    fields = list(account.fields or [])
    if account.website:
        fields = [{"name": "Website", "value": account.website}, *fields]
    return fields


def account_entity(account: Account, settings: Settings) -> dict[str, Any]:
    entity = dict(zip(PROFILE_KEYS, _profile_part(account, settings.base_url), strict=True))
    entity["last_status_at"] = day(account.last_status_at)
    entity["statuses_count"] = account.statuses_count
    entity["followers_count"] = account.followers_count
    entity["following_count"] = account.following_count
    return entity


def account_key(account: Account) -> tuple[Any, ...]:
    """Everything account_entity reads of ``account``, hashable: equal keys, equal entities."""
    return (
        account.id,
        _profile(account),
        account.last_status_at,
        account.statuses_count,
        account.followers_count,
        account.following_count,
    )


def _profile(account: Account) -> tuple[Any, ...]:
    return (
        account.username,
        account.display_name,
        account.note,
        account.website,
        repr(account.fields) if account.fields else None,
        account.locked,
        account.bot,
        account.discoverable,
        account.created_at,
    )


# An account's profile rendered once per process and kept while it is unchanged (the whole profile is
# the check), so a timeline of twenty posts by a few people renders each bio once, not twenty times.
# Kept as the statuses' fixed parts are (api/entities/statuses.py): a tuple of the values in PROFILE_KEYS's
# order, its arrays tuples too — lighter than a dict (1.6 KB an entry as dicts on the large bench
# profile), and untracked by the garbage collector once it has seen them.
PROFILE_KEYS = (
    "id",
    "username",
    "acct",
    "url",
    "uri",
    "display_name",
    "note",
    "avatar",
    "avatar_static",
    "header",
    "header_static",
    "locked",
    "fields",
    "emojis",
    "bot",
    "group",
    "discoverable",
    "indexable",
    "hide_collections",
    "noindex",
    "roles",
    "created_at",
)
_profiles: LRUCache[tuple[str, int], tuple[int, tuple[Any, ...]]] = LRUCache(maxsize=3_000)
_profiles_lock = threading.Lock()


def _profile_part(account: Account, base: str) -> tuple[Any, ...]:
    profile = hash(_profile(account))  # a digest: the entry need not keep the bio a second time
    with _profiles_lock:
        known = _profiles.get((base, account.id))
    if known is not None and known[0] == profile:
        return known[1]
    values = {
        "id": str(account.id),
        "username": account.username,
        "acct": account.username,
        "url": f"{base}/@{account.username}",
        "uri": f"{base}/users/{account.username}",
        "display_name": account.display_name,
        "note": note_html(account.note, base),
        "avatar": base + AVATAR_MISSING,
        "avatar_static": base + AVATAR_MISSING,
        "header": base + HEADER_MISSING,
        "header_static": base + HEADER_MISSING,
        "locked": account.locked,
        "fields": tuple(
            {"name": escape(f["name"]), "value": field_value_html(f["value"], base), "verified_at": None}
            for f in _profile_fields(account)
        ),
        "emojis": (),
        "bot": account.bot,
        "group": False,
        "discoverable": account.discoverable,
        "indexable": account.discoverable,
        "hide_collections": False,
        "noindex": False,
        "roles": (),
        # Mastodon clamps creation times to midnight so they cannot be used to correlate sign-ups.
        "created_at": timestamp(account.created_at.replace(hour=0, minute=0, second=0, microsecond=0)),
    }
    rendered = tuple(values[k] for k in PROFILE_KEYS)
    with _profiles_lock:
        _profiles[(base, account.id)] = (profile, rendered)
    return rendered


def credential_account_entity(
    account: Account, user: User, settings: Settings, follow_requests: int
) -> dict[str, Any]:
    entity = account_entity(account, settings)
    entity["source"] = {
        "privacy": user.default_visibility,
        "sensitive": user.default_sensitive,
        "language": user.default_language,
        "note": account.note,
        "fields": [
            {"name": f["name"], "value": f["value"], "verified_at": None} for f in (account.fields or [])
        ],
        "follow_requests_count": follow_requests,
        "hide_collections": False,
        "discoverable": account.discoverable,
        "indexable": account.discoverable,
        "attribution_domains": [],
    }
    entity["role"] = {
        "id": "3" if user.admin else "-99",
        "name": "Admin" if user.admin else "",
        "color": "",
        "permissions": "1" if user.admin else "0",
        "highlighted": user.admin,
    }
    return entity


def relationship_entity(rel: Relationship) -> dict[str, Any]:
    return {
        "id": str(rel.id),
        "following": rel.following,
        "showing_reblogs": rel.showing_reblogs,
        "notifying": rel.notifying,
        "languages": None,
        "followed_by": rel.followed_by,
        "blocking": rel.blocking,
        "blocked_by": rel.blocked_by,
        "muting": rel.muting,
        "muting_notifications": rel.muting_notifications,
        "muting_expires_at": timestamp(rel.muting_expires_at),
        "requested": rel.requested,
        "requested_by": rel.requested_by,
        "domain_blocking": False,
        "endorsed": False,
        "note": "",
    }
