"""The notifications page: what others did, by type, with dismiss, clear all and "load more"."""

from __future__ import annotations

from starlette.responses import Response

from gazouillis.errors import NotFound
from gazouillis.notifications import markers, reading
from gazouillis.pagination import Page as Cursor
from gazouillis.web.context import Page
from gazouillis.web.pages.timelines import PAGE_SIZE, cursor, parse_id

# The tabs: the query value, and the types each shows (None: all).
TABS: dict[str, tuple[str, ...] | None] = {
    "": None,
    "mention": ("mention",),
    "favourite": ("favourite",),
    "reblog": ("reblog",),
    "follow": ("follow", "follow_request"),
    "status": ("status",),
    "quote": ("quote",),
}


def index(page: Page) -> Response:
    assert page.viewer is not None
    tab = page.request.query_params.get("type", "")
    if tab not in TABS:
        tab = ""
    at = cursor(page)
    with page.db.read() as session:
        shown, cursors = reading.notifications(
            session,
            viewer_id=page.viewer.id,
            page=Cursor(limit=PAGE_SIZE, max_id=at.max_id),
            filt=reading.Filter(types=TABS[tab]),
        )
    if cursors and at.max_id is None and not tab:
        # Seen: the marker moves to the newest shown, and the badge of this very page already says so.
        with page.db.write() as session:
            markers.move_notifications_marker(session, viewer_id=page.viewer.id, newest_id=max(cursors))
        page.__dict__.pop("unread_notifications", None)
    more = None
    if len(cursors) == PAGE_SIZE:
        more = f"/notifications?{'type=' + tab + '&' if tab else ''}max_id={cursors[-1]}"
    if page.is_htmx and at.max_id is not None:
        return page.render("_notification_rows.html", items=shown, more_url=more)
    return page.render("notifications.html", items=shown, more_url=more, tab=tab, tabs=list(TABS))


def dismiss(page: Page) -> Response:
    assert page.viewer is not None
    notification_id = parse_id(str(page.request.path_params.get("id", "")))
    if notification_id is None:
        raise NotFound()
    with page.db.write() as session:
        reading.dismiss(session, viewer_id=page.viewer.id, notification_id=notification_id)
    if page.is_htmx:
        return page.render_html("")
    return page.back("/notifications")


def clear_form(page: Page) -> Response:
    return page.render("notifications_clear.html")


def clear(page: Page) -> Response:
    assert page.viewer is not None
    if page.form.get("confirmed") != "1":
        return page.redirect("/notifications/clear")
    with page.db.write() as session:
        reading.clear(session, viewer_id=page.viewer.id)
    return page.redirect("/notifications")
