"""Hashtag pages: a tag (its history, follow button and timeline), followed and featured hashtags."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from babel.dates import format_date
from starlette.responses import Response

from gazouillis.errors import DomainError, NotFound
from gazouillis.pagination import Page as Cursor
from gazouillis.posts.tables import Tag
from gazouillis.tags import featured as featured_tags
from gazouillis.tags import history
from gazouillis.tags import service as tags
from gazouillis.timelines import service as timelines
from gazouillis.web.context import Page
from gazouillis.web.pages.timelines import cursor, parse_id, timeline_response


def _name(page: Page) -> str:
    # Starlette hands over the decoded path: /tags/caf%C3%A9 arrives as "café".
    return str(page.request.path_params["name"]).lstrip("#＃")


def day_label(page: Page, day: int) -> str:
    """A history day (Unix time of its start, UTC) as the reader's language writes a short date."""
    return format_date(datetime.fromtimestamp(day, UTC), format="EEE d MMM", locale=page.language)


def tag(page: Page) -> Response:
    name = _name(page)
    with page.db.read() as session:
        found = tags.find_tag(session, name)
        views = timelines.tag(session, viewer_id=page.viewer_id, name=name, page=cursor(page))
        days = history.history(session, found.id) if found else []
        following = found is not None and found.id in tags.followed_ids(session, page.viewer_id, [found.id])
    return timeline_response(
        page,
        "tag.html",
        views,
        heading=f"#{name}",
        tag=found,
        tag_name=found.name if found else name,
        days=days,
        day_labels=[day_label(page, d.day) for d in days],
        following=following,
        empty_message=page.gettext("No public post uses this hashtag yet."),
    )


def _change(page: Page, follow: bool) -> Response:
    assert page.viewer is not None
    name = _name(page)
    with page.db.write() as session:
        if follow:
            found: Tag = tags.follow_tag(session, account_id=page.viewer.id, name=name)
        else:
            found = tags.unfollow_tag(session, account_id=page.viewer.id, name=name)
    if not page.is_htmx:
        return page.back(f"/tags/{found.name}")
    return page.render("_tag_follow_button.html", tag_name=found.name, following=follow)


def follow(page: Page) -> Response:
    return _change(page, True)


def unfollow(page: Page) -> Response:
    return _change(page, False)


def _hashtags_context(page: Page) -> dict[str, Any]:
    assert page.viewer is not None
    with page.db.read() as session:
        return {
            "featured": featured_tags.featured_tags(session, page.viewer.id),
            "suggested": featured_tags.suggested_tags(session, page.viewer.id, limit=5),
            "followed": tags.followed_tags(session, account_id=page.viewer.id, page=Cursor(limit=200)),
            "limit": featured_tags.LIMIT,
        }


def hashtags_settings(page: Page) -> Response:
    """Featured hashtags to manage, and the hashtags followed."""
    saved = page.request.query_params.get("saved") == "1"
    return page.render(
        "settings/hashtags.html", values={"name": ""}, errors={}, saved=saved, **_hashtags_context(page)
    )


def add_featured(page: Page) -> Response:
    assert page.viewer is not None
    name = page.form.get("name", "").strip()
    try:
        with page.db.write() as session:
            featured_tags.feature_tag(session, account_id=page.viewer.id, name=name)
    except DomainError as exc:
        message = exc.message.removeprefix("Validation failed: ")
        errors = {"name": _translated_error(page, message)}
        context = _hashtags_context(page)
        return page.render(
            "settings/hashtags.html", status=422, values={"name": name}, errors=errors, saved=False, **context
        )
    return page.redirect("/settings/hashtags?saved=1")


def _translated_error(page: Page, message: str) -> str:
    if "already" in message:
        return page.gettext("This hashtag is already featured.")
    if "more than" in message:
        return page.gettext("You cannot feature more than %(count)s hashtags.", count=featured_tags.LIMIT)
    return page.gettext("Enter a hashtag: letters, digits or underscores, not only digits.")


def remove_featured(page: Page) -> Response:
    assert page.viewer is not None
    featured_id = parse_id(str(page.request.path_params["id"]))
    if featured_id is None:
        raise NotFound()
    with page.db.write() as session:
        featured_tags.unfeature_tag(session, account_id=page.viewer.id, featured_id=featured_id)
    return page.redirect("/settings/hashtags?saved=1")


def followed(page: Page) -> Response:
    """The hashtags the viewer follows (also on the settings page): /tags/followed."""
    assert page.viewer is not None
    with page.db.read() as session:
        found = tags.followed_tags(session, account_id=page.viewer.id, page=Cursor(limit=200))
    return page.render("followed_tags.html", followed=found)
