"""The search page: /search?q=…&type=statuses|accounts|hashtags, matched words marked in the results."""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from gazouillis.errors import Invalid
from gazouillis.pagination import Page as Cursor
from gazouillis.posts.views import PostView
from gazouillis.search import service
from gazouillis.search.highlight import highlight
from gazouillis.search.query import EXAMPLES, QueryError
from gazouillis.web.context import Page
from gazouillis.web.pages import timelines as timeline_pages
from gazouillis.web.pages.listing import relationships_with
from gazouillis.web.pages.timelines import parse_id

TABS = ("statuses", "accounts", "hashtags")


class Marked:
    """A post row whose ``html`` has the matched words marked; every other attribute is the row's."""

    def __init__(self, row: Any, html: str) -> None:
        self._row = row
        self.html = html

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, name)


def marked(view: PostView, terms: list[str]) -> PostView:
    """``view`` with the matched words of its text (and of a repost's original) in ``<mark>``."""
    if not terms:
        return view
    changes: dict[str, Any] = {"post": Marked(view.post, highlight(view.post.html, terms))}
    if view.reblog is not None:
        changes["reblog"] = marked(view.reblog, terms)
    return dataclasses.replace(view, **changes)


def _error_message(page: Page, exc: Invalid) -> str:
    """The query's problem in the reader's language."""
    if not isinstance(exc, QueryError):
        return page.gettext(exc.message)
    operator = f"{exc.operator}:"
    messages = {
        "format": page.gettext("%(operator)s expects a date as YYYY-MM-DD, not “%(value)s”."),
        "date": page.gettext("%(operator)s “%(value)s” is not a real date."),
        "empty": page.gettext("%(operator)s needs a value, for example %(example)s."),
        "negated": page.gettext("%(operator)s cannot be excluded: use since: or until:."),
        "order": page.gettext("since: is later than until:, so nothing can match."),
        "length": page.gettext("The query is too long."),
    }
    template = messages.get(exc.code)
    if template is None:
        return page.gettext(exc.message)
    return template % {"operator": operator, "value": exc.value, "example": EXAMPLES.get(exc.operator, "")}


def search(page: Page) -> Response:
    params = page.request.query_params
    q = params.get("q", "").strip()
    tab = params.get("type", "statuses")
    if tab not in TABS:
        tab = "statuses"
    raw_offset = params.get("offset", "0")
    offset = int(raw_offset) if raw_offset.isascii() and raw_offset.isdigit() and len(raw_offset) < 7 else 0
    max_id = parse_id(params.get("max_id", ""))
    size = timeline_pages.PAGE_SIZE  # read at call time: tests make it small
    context: dict[str, Any] = {"q": q, "tab": tab, "tabs": TABS, "error": None, "searched": bool(q)}
    found = service.Results()
    if q:
        request = service.Request(
            q=q,
            types=(tab,),
            limit=size,
            offset=min(offset, service.MAX_OFFSET),
            page=Cursor(limit=size, max_id=max_id),
        )
        try:
            with page.db.read() as session:
                found = service.search(
                    session,
                    viewer_id=page.viewer_id,
                    request=request,
                    base_url=page.settings.base_url,
                    local_domain=page.settings.domain,
                )
                context["relationships"] = relationships_with(page, session, found.accounts)
        except Invalid as exc:
            context["error"] = _error_message(page, exc)
    terms = found.query.highlights
    views = [marked(v, terms) for v in found.statuses]
    more_url = None
    base = {"q": q, "type": tab}
    if tab == "statuses" and len(found.statuses) == size:
        more_url = "/search?" + urlencode({**base, "max_id": found.statuses[-1].post.id})
    elif len({"accounts": found.accounts, "hashtags": found.hashtags}.get(tab, [])) == size:
        more_url = "/search?" + urlencode({**base, "offset": offset + size})
    context.update(
        views=views,
        people=found.accounts,
        hashtags=found.hashtags,
        more_url=more_url,
        tab_urls={t: "/search?" + urlencode({"q": q, "type": t}) for t in TABS},
    )
    context.setdefault("relationships", {})
    if page.is_htmx and (max_id or offset):
        return page.render("_search_results.html", **context)
    return page.render("search.html", 422 if context["error"] else 200, **context)
