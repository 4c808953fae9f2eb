"""The pages' route table. Each pages module lists its own routes; this file gathers them."""

from __future__ import annotations

from starlette.routing import Route

from gazouillis.web.context import Handler, WebApp
from gazouillis.web.pages import (
    actions,
    auth,
    collections,
    explore,
    filters,
    language,
    lists,
    live,
    messages,
    moderation,
    notifications,
    oauth,
    profiles,
    search,
    settings,
    settings_security,
    tags,
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
    ("GET", "/bookmarks", collections.bookmarks, True),
    ("GET", "/favourites", collections.favourites, True),
    ("GET", "/follow_requests", collections.follow_requests, True),
    ("POST", "/follow_requests/{account_id:int}/authorize", collections.authorize, True),
    ("POST", "/follow_requests/{account_id:int}/reject", collections.reject, True),
    # Notifications, messages
    ("GET", "/notifications", notifications.index, True),
    ("GET", "/notifications/clear", notifications.clear_form, True),
    ("POST", "/notifications/clear", notifications.clear, True),
    ("POST", "/notifications/{id}/dismiss", notifications.dismiss, True),
    ("GET", "/messages", messages.index, True),
    ("POST", "/messages", messages.start, True),
    ("GET", "/messages/{id}", messages.show, True),
    ("POST", "/messages/{id}", messages.reply, True),
    # Hashtags, explore
    ("GET", "/tags/followed", tags.followed, True),
    ("GET", "/tags/{name}", tags.tag, False),
    ("POST", "/tags/{name}/follow", tags.follow, True),
    ("POST", "/tags/{name}/unfollow", tags.unfollow, True),
    ("GET", "/settings/hashtags", tags.hashtags_settings, True),
    ("POST", "/settings/hashtags", tags.add_featured, True),
    ("POST", "/settings/hashtags/{id}/delete", tags.remove_featured, True),
    ("GET", "/explore", explore.explore, False),
    ("POST", "/explore/suggestions/{account_id}/dismiss", explore.dismiss, True),
    # Search
    ("GET", "/search", search.search, False),
    # Lists
    ("GET", "/lists", lists.index, True),
    ("POST", "/lists", lists.create, True),
    ("GET", "/lists/{id}", lists.show, True),
    ("GET", "/lists/{id}/edit", lists.edit_form, True),
    ("POST", "/lists/{id}/edit", lists.save, True),
    ("POST", "/lists/{id}/delete", lists.delete, True),
    ("POST", "/lists/{id}/members", lists.add_member, True),
    ("POST", "/lists/{id}/members/{account_id}/remove", lists.remove_member, True),
    # Mutes, blocks, filters
    ("GET", "/@{username}/block", moderation.block_form, True),
    ("POST", "/@{username}/block", moderation.block, True),
    ("POST", "/@{username}/unblock", moderation.unblock, True),
    ("POST", "/@{username}/mute", moderation.mute, True),
    ("POST", "/@{username}/unmute", moderation.unmute, True),
    ("GET", "/settings/mutes", moderation.mutes, True),
    ("GET", "/settings/blocks", moderation.blocks, True),
    ("GET", "/settings/filters", filters.index, True),
    ("POST", "/settings/filters", filters.create, True),
    ("GET", "/settings/filters/new", filters.new_form, True),
    ("GET", "/settings/filters/{id}", filters.edit_form, True),
    ("POST", "/settings/filters/{id}", filters.update, True),
    ("POST", "/settings/filters/{id}/delete", filters.delete, True),
    # Live updates
    ("GET", "/live", live.stream, False),
    ("GET", "/live/posts", live.posts, False),
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
