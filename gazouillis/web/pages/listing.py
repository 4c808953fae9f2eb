"""Lists paged by an opaque cursor (a like, bookmark or follow id rather than a post id), with "load more".

The first page is a full page; the next ones, asked for by htmx, are only the new items and the next
"load more" link, so they can be appended in place. Without JavaScript the link opens the next page.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.responses import Response

from gazouillis.accounts.tables import Account
from gazouillis.graph import service as graph
from gazouillis.posts.views import PostView
from gazouillis.web.context import Page
from gazouillis.web.pages import timelines as timeline_pages


def more_url(page: Page, cursors: list[int]) -> str | None:
    """The next page's address, when this one is full (the cursors count hidden items too)."""
    if len(cursors) < timeline_pages.PAGE_SIZE:
        return None
    return f"{page.request.url.path}?max_id={cursors[-1]}"


def is_next_page(page: Page) -> bool:
    return page.is_htmx and bool(page.request.query_params.get("max_id"))


def posts_response(
    page: Page, template: str, views: list[PostView], cursors: list[int], **context: Any
) -> Response:
    more = more_url(page, cursors)
    if is_next_page(page):
        return page.render("_timeline.html", views=views, more_url=more)
    return page.render(template, views=views, more_url=more, **context)


def accounts_response(
    page: Page,
    template: str,
    rows_template: str,
    people: list[Account],
    cursors: list[int],
    **context: Any,
) -> Response:
    """A page of accounts; for htmx, the rows to append and the new "load more" link (out of band)."""
    more = more_url(page, cursors)
    if is_next_page(page):
        rows = page.render(rows_template, people=people, **context).body.decode()
        link = page.render("_accounts_more.html", more_url=more, oob=True).body.decode()
        return page.render_html(rows + link)
    return page.render(template, people=people, more_url=more, **context)


def relationships_with(page: Page, session: Session, people: list[Account]) -> dict[int, graph.Relationship]:
    """The viewer's relationship with each account shown, in one batch (none for a visitor)."""
    if page.viewer is None or not people:
        return {}
    found = graph.relationships(session, viewer_id=page.viewer.id, ids=[a.id for a in people])
    return {r.id: r for r in found}
