"""The Mastodon API route table: one line per endpoint, with the scope it needs."""

from __future__ import annotations

from starlette.routing import Route

from gazouillis.api.http import Auth, Services, endpoint
from gazouillis.api.mastodon import accounts, apps, instance, statuses, timelines

# (method, path, function, auth, scope)
TABLE: list[tuple[str, str, object, Auth, str | None]] = [
    ("GET", "/api/v1/instance", instance.instance_v1, "optional", None),
    ("GET", "/api/v2/instance", instance.instance_v2, "optional", None),
    ("GET", "/.well-known/nodeinfo", instance.nodeinfo_links, "none", None),
    ("GET", "/nodeinfo/2.0", instance.nodeinfo, "none", None),
    ("GET", "/.well-known/oauth-authorization-server", instance.oauth_metadata, "none", None),
    ("POST", "/api/v1/apps", apps.create_app, "none", None),
    ("GET", "/api/v1/apps/verify_credentials", apps.verify_app, "app", None),
    ("POST", "/oauth/token", apps.token, "none", None),
    ("POST", "/oauth/revoke", apps.revoke, "none", None),
    ("POST", "/api/v1/accounts", accounts.register, "app", "write:accounts"),
    ("GET", "/api/v1/accounts/verify_credentials", accounts.verify_credentials, "user", "read:accounts"),
    ("PATCH", "/api/v1/accounts/update_credentials", accounts.update_credentials, "user", "write:accounts"),
    ("GET", "/api/v1/accounts/lookup", accounts.lookup, "optional", None),
    ("GET", "/api/v1/accounts/relationships", accounts.relationships, "user", "read:follows"),
    ("GET", "/api/v1/accounts/{id}", accounts.get, "optional", None),
    ("GET", "/api/v1/accounts/{id}/statuses", accounts.statuses, "optional", "read:statuses"),
    ("GET", "/api/v1/accounts/{id}/followers", accounts.followers, "optional", "read:accounts"),
    ("GET", "/api/v1/accounts/{id}/following", accounts.following, "optional", "read:accounts"),
    ("POST", "/api/v1/accounts/{id}/follow", accounts.follow, "user", "write:follows"),
    ("POST", "/api/v1/accounts/{id}/unfollow", accounts.unfollow, "user", "write:follows"),
    ("GET", "/api/v1/follow_requests", accounts.follow_requests, "user", "read:follows"),
    ("POST", "/api/v1/follow_requests/{id}/authorize", accounts.authorize_request, "user", "write:follows"),
    ("POST", "/api/v1/follow_requests/{id}/reject", accounts.reject_request, "user", "write:follows"),
    ("POST", "/api/v1/statuses", statuses.create, "user", "write:statuses"),
    ("GET", "/api/v1/statuses/{id}", statuses.get, "optional", "read:statuses"),
    ("DELETE", "/api/v1/statuses/{id}", statuses.delete, "user", "write:statuses"),
    ("GET", "/api/v1/statuses/{id}/context", statuses.context, "optional", "read:statuses"),
    ("POST", "/api/v1/statuses/{id}/favourite", statuses.favourite, "user", "write:favourites"),
    ("POST", "/api/v1/statuses/{id}/unfavourite", statuses.unfavourite, "user", "write:favourites"),
    ("POST", "/api/v1/statuses/{id}/reblog", statuses.reblog, "user", "write:statuses"),
    ("POST", "/api/v1/statuses/{id}/unreblog", statuses.unreblog, "user", "write:statuses"),
    ("POST", "/api/v1/statuses/{id}/bookmark", statuses.bookmark, "user", "write:bookmarks"),
    ("POST", "/api/v1/statuses/{id}/unbookmark", statuses.unbookmark, "user", "write:bookmarks"),
    ("GET", "/api/v1/statuses/{id}/favourited_by", statuses.favourited_by, "optional", "read:statuses"),
    ("GET", "/api/v1/statuses/{id}/reblogged_by", statuses.reblogged_by, "optional", "read:statuses"),
    ("GET", "/api/v1/favourites", statuses.favourites, "user", "read:favourites"),
    ("GET", "/api/v1/bookmarks", statuses.bookmarks, "user", "read:bookmarks"),
    ("GET", "/api/v1/timelines/home", timelines.home, "user", "read:statuses"),
    ("GET", "/api/v1/timelines/public", timelines.public, "optional", "read:statuses"),
    # Notifications, markers, conversations
    # Hashtags, trends, suggestions
    # Search
    # Lists, pinned posts
    # Mutes, blocks, filters
    # Streaming
]


def api_routes(services: Services) -> list[Route]:
    """Starlette routes for the table; routes sharing a path are merged by method."""
    return [
        Route(path, endpoint(services, fn, auth=auth, scope=scope), methods=[method])  # type: ignore[arg-type]
        for method, path, fn, auth, scope in TABLE
    ]
