"""Instance discovery: /api/v1/instance, /api/v2/instance, nodeinfo, OAuth metadata."""

from __future__ import annotations

from typing import Any

from gazouillis import __version__
from gazouillis.accounts.service import count_local_users
from gazouillis.api.http import Ctx, Reply
from gazouillis.oauth import scopes as sc
from gazouillis.posts.service import count_local_posts

# Mastodon API level we implement; raised only when the endpoints clients unlock at a higher one exist.
MASTODON_COMPAT = "4.2.0"
VERSION = f"{MASTODON_COMPAT} (compatible; gazouillis {__version__})"


def _statuses_config(ctx: Ctx) -> dict[str, Any]:
    return {
        "max_characters": ctx.settings.max_post_length,
        "max_media_attachments": 0,
        "characters_reserved_per_url": 23,
    }


def _polls_config() -> dict[str, Any]:
    return {
        "max_options": 0,
        "max_characters_per_option": 0,
        "min_expiration": 300,
        "max_expiration": 2629746,
    }


def _media_config() -> dict[str, Any]:
    return {
        "supported_mime_types": [],
        "description_limit": 1500,
        "image_size_limit": 0,
        "image_matrix_limit": 0,
        "video_size_limit": 0,
        "video_frame_rate_limit": 0,
        "video_matrix_limit": 0,
    }


def _counts(ctx: Ctx) -> tuple[int, int]:
    with ctx.db.read() as session:
        return count_local_users(session), count_local_posts(session)


def instance_v1(ctx: Ctx) -> dict[str, Any]:
    s = ctx.settings
    users, posts = _counts(ctx)
    return {
        "uri": s.domain,
        "title": s.title,
        "short_description": s.description,
        "description": s.description,
        "email": s.contact_email,
        "version": VERSION,
        "urls": {"streaming_api": s.streaming_url},
        "stats": {"user_count": users, "status_count": posts, "domain_count": 0},
        "thumbnail": None,
        "languages": ["fr", "en"],
        "registrations": s.registrations != "closed",
        "approval_required": s.registrations == "approval",
        "invites_enabled": False,
        "configuration": {
            "accounts": {"max_featured_tags": 0},
            "statuses": _statuses_config(ctx),
            "media_attachments": _media_config(),
            "polls": _polls_config(),
        },
        "contact_account": None,
        "rules": [],
        "translation": {"enabled": False},
    }


def instance_v2(ctx: Ctx) -> dict[str, Any]:
    s = ctx.settings
    users, _ = _counts(ctx)
    return {
        "domain": s.domain,
        "title": s.title,
        "version": VERSION,
        "source_url": "https://pypi.org/project/gazouillis/",
        "description": s.description,
        "usage": {"users": {"active_month": users}},
        "thumbnail": {"url": s.base_url + "/static/avatar-missing.png"},
        "icon": [],
        "languages": ["fr", "en"],
        "configuration": {
            "urls": {"streaming": s.streaming_url, "status": None, "about": s.base_url + "/about"},
            "vapid": {"public_key": ""},
            "accounts": {"max_featured_tags": 0, "max_pinned_statuses": 5},
            "statuses": _statuses_config(ctx),
            "media_attachments": _media_config(),
            "polls": _polls_config(),
            "translation": {"enabled": False},
        },
        "registrations": {
            "enabled": s.registrations != "closed",
            "approval_required": s.registrations == "approval",
            "message": None,
            "url": None,
        },
        "api_versions": {"mastodon": 1},
        "contact": {"email": s.contact_email, "account": None},
        "rules": [],
    }


def nodeinfo_links(ctx: Ctx) -> dict[str, Any]:
    return {
        "links": [
            {
                "rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
                "href": ctx.settings.base_url + "/nodeinfo/2.0",
            }
        ]
    }


def nodeinfo(ctx: Ctx) -> dict[str, Any]:
    users, posts = _counts(ctx)
    return {
        "version": "2.0",
        "software": {"name": "gazouillis", "version": __version__},
        "protocols": ["activitypub"],
        "services": {"outbound": [], "inbound": []},
        "usage": {
            "users": {"total": users, "activeMonth": users, "activeHalfyear": users},
            "localPosts": posts,
        },
        "openRegistrations": ctx.settings.registrations == "open",
        "metadata": {"nodeName": ctx.settings.title},
    }


def oauth_metadata(ctx: Ctx) -> Reply | dict[str, Any]:
    """RFC 8414 metadata. Mastodon.py refuses plain-http endpoints here, so an http instance answers 404
    and clients fall back to the standard paths."""
    s = ctx.settings
    if not s.https:
        return Reply({"error": "Record not found"}, status=404)
    base = s.base_url
    return {
        "issuer": base + "/",
        "authorization_endpoint": base + "/oauth/authorize",
        "token_endpoint": base + "/oauth/token",
        "revocation_endpoint": base + "/oauth/revoke",
        "app_registration_endpoint": base + "/api/v1/apps",
        "scopes_supported": sorted(sc.ALL),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "client_credentials", "password"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    }
