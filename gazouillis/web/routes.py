"""The pages' route table. Each pages module lists its own routes; this file gathers them."""

from __future__ import annotations

from starlette.routing import Route

from gazouillis.web.context import Handler, WebApp
from gazouillis.web.pages import (
    actions,
    auth,
    collections,
    language,
    oauth,
    profiles,
    settings,
    settings_security,
    threads,
    timelines,
)

# (method, path, handler, sign-in required)
PageRoute = tuple[str, str, Handler, bool]

TABLE: list[PageRoute] = [
    ("GET", "/", timelines.index, False),
    ("GET", "/public", timelines.public, False),
    ("GET", "/auth/sign_in", auth.sign_in_form, False),
    ("POST", "/auth/sign_in", auth.sign_in, False),
    ("GET", "/auth/sign_up", auth.sign_up_form, False),
    ("POST", "/auth/sign_up", auth.sign_up, False),
    ("POST", "/auth/sign_out", auth.sign_out, False),
    ("POST", "/settings/language", language.set_language, False),
    ("GET", "/settings", settings.preferences_form, True),
    ("POST", "/settings", settings.save_preferences, True),
    ("GET", "/settings/profile", settings.profile_form, True),
    ("POST", "/settings/profile", settings.save_profile, True),
    ("GET", "/settings/password", settings_security.password_form, True),
    ("POST", "/settings/password", settings_security.change_password, True),
    ("GET", "/settings/applications", settings_security.applications, True),
    ("POST", "/settings/applications/{id}/revoke", settings_security.revoke_application, True),
    ("GET", "/oauth/authorize", oauth.authorize_form, False),
    ("POST", "/oauth/authorize", oauth.authorize, False),
    ("POST", "/statuses", timelines.create, True),
    ("POST", "/statuses/count", timelines.count, True),
    ("POST", "/statuses/{id}/delete", actions.delete, True),
    ("POST", "/statuses/{id}/{action:str}", actions.act, True),
    ("GET", "/tags/{name}", collections.tag, False),
    ("GET", "/bookmarks", collections.bookmarks, True),
    ("GET", "/favourites", collections.favourites, True),
    ("GET", "/follow_requests", collections.follow_requests, True),
    ("POST", "/follow_requests/{account_id:int}/authorize", collections.authorize, True),
    ("POST", "/follow_requests/{account_id:int}/reject", collections.reject, True),
    # Notifications, messages
    # Hashtags, explore
    # Search
    # Lists
    # Mutes, blocks, filters
    # Live updates
    # Profiles last, the specific addresses before the post page /@{username}/{id}.
    ("GET", "/@{username}", profiles.posts, False),
    ("GET", "/@{username}/with_replies", profiles.with_replies, False),
    ("GET", "/@{username}/likes", profiles.likes, False),
    ("GET", "/@{username}/followers", profiles.followers, False),
    ("GET", "/@{username}/following", profiles.following, False),
    ("POST", "/@{username}/follow", profiles.follow, True),
    ("POST", "/@{username}/unfollow", profiles.unfollow, True),
    # Any last segment, so that /@bob/oops gets the pages' 404 rather than the API's.
    ("GET", "/@{username}/{id}", threads.thread, False),
]


def page_routes(web: WebApp) -> list[Route]:
    return [Route(path, web.endpoint(fn, login=login), methods=[method]) for method, path, fn, login in TABLE]
