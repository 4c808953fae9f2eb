"""Lists that are not someone's profile: the viewer's bookmarks and likes, follow requests."""

from __future__ import annotations

from collections.abc import Callable

from starlette.responses import Response

from gazouillis.accounts import service as accounts
from gazouillis.errors import NotFound
from gazouillis.graph import service as graph
from gazouillis.timelines import service as timelines
from gazouillis.web.context import Page
from gazouillis.web.pages.listing import accounts_response, posts_response
from gazouillis.web.pages.timelines import cursor


def bookmarks(page: Page) -> Response:
    assert page.viewer is not None
    with page.db.read() as session:
        views, cursors = timelines.bookmarks(session, viewer_id=page.viewer.id, page=cursor(page))
    return posts_response(
        page,
        "timeline_page.html",
        views,
        cursors,
        heading=page.gettext("Bookmarks"),
        empty_message=page.gettext("You have not bookmarked any post yet."),
    )


def favourites(page: Page) -> Response:
    assert page.viewer is not None
    with page.db.read() as session:
        views, cursors = timelines.favourites(session, viewer_id=page.viewer.id, page=cursor(page))
    return posts_response(
        page,
        "timeline_page.html",
        views,
        cursors,
        heading=page.gettext("Likes"),
        empty_message=page.gettext("You have not liked any post yet."),
    )


def follow_requests(page: Page) -> Response:
    assert page.viewer is not None
    with page.db.read() as session:
        people, cursors = graph.follow_requests(session, account_id=page.viewer.id, page=cursor(page))
    return accounts_response(
        page,
        "follow_requests.html",
        "_request_rows.html",
        people,
        cursors,
        empty_message=page.gettext("Nobody is waiting for your approval."),
    )


def _decide(page: Page, decide: Callable[..., graph.Relationship], outcome: Callable[[str], str]) -> Response:
    assert page.viewer is not None
    requester_id = page.request.path_params["account_id"]
    if requester_id >= 2**63:
        raise NotFound()
    with page.db.write() as session:
        requester = accounts.get_account(session, requester_id)
        decide(session, target_id=page.viewer.id, requester_id=requester.id)  # NotFound when none pending
    if not page.is_htmx:
        return page.back("/follow_requests")
    # The row stays, saying what was done (a row vanishing leaves keyboard and screen reader users lost),
    # and the count in the navigation goes down.
    message = outcome(requester.display_name or requester.username)
    return page.render("_request_rows.html", people=[requester], outcome=message, oob_nav=True)


def authorize(page: Page) -> Response:
    return _decide(
        page,
        graph.authorize_request,
        lambda name: page.gettext("You accepted the follow request of %(name)s.", name=name),
    )


def reject(page: Page) -> Response:
    return _decide(
        page,
        graph.reject_request,
        lambda name: page.gettext("You rejected the follow request of %(name)s.", name=name),
    )
