"""Actions on a post, in place with htmx (the post is re-rendered) or as plain forms (back to the page)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from gazouillis.errors import Invalid
from gazouillis.posts import interactions, pins
from gazouillis.posts import service as posts
from gazouillis.posts.views import load_view
from gazouillis.web.context import Page

ACTIONS: dict[str, Callable[..., Any]] = {
    "favourite": interactions.favourite,
    "unfavourite": interactions.unfavourite,
    "reblog": interactions.reblog,
    "unreblog": interactions.unreblog,
    "bookmark": interactions.bookmark,
    "unbookmark": interactions.unbookmark,
    "pin": pins.pin,
    "unpin": pins.unpin,
}


def _post_id(page: Page) -> int:
    raw = page.request.path_params["id"]
    return int(raw) if raw.isdigit() and len(raw) < 20 else -1


def act(page: Page) -> Response:
    assert page.viewer is not None
    action = ACTIONS[page.request.path_params["action"]]
    problem = ""
    try:
        with page.db.write() as session:
            action(session, viewer_id=page.viewer.id, post_id=_post_id(page))
    except Invalid as exc:  # e.g. a sixth pin: said beside the post in place, on an error page otherwise
        if not page.is_htmx:
            raise
        problem = page.gettext(exc.message.removeprefix("Validation failed: "))
    if not page.is_htmx:
        return page.back()
    # Re-render what was on screen: the repost wrapper when the action was taken from one.
    shown = page.form.get("view", "")
    shown_id = int(shown) if shown.isdigit() else _post_id(page)
    with page.db.read() as session:
        view = load_view(session, shown_id, page.viewer.id) or load_view(
            session, _post_id(page), page.viewer.id
        )
    if view is None:  # the repost itself was undone
        return page.render_html("")
    return page.render("_post.html", view=view, action_error=problem)


def delete(page: Page) -> Response:
    assert page.viewer is not None
    post_id = _post_id(page)
    # Without JavaScript there was no confirmation dialog: ask on a page of its own first.
    if not page.is_htmx and page.form.get("confirmed") != "1":
        with page.db.read() as session:
            view = load_view(session, post_id, page.viewer.id)
        if view is None:
            return page.render("error.html", 404, message=page.gettext("This page does not exist."))
        return page.render("confirm_delete.html", view=view, next=page.form.get("next", "/"))
    with page.db.write() as session:
        posts.delete_post(session, viewer_id=page.viewer.id, post_id=post_id)
    if page.is_htmx:
        return page.render_html("")
    return page.back()
