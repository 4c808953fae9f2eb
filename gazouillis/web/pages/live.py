"""Live pages: the same streams as the API, for the signed-in browser session.

Pages cannot hold an OAuth token, so ``GET /live`` opens a server-sent events stream authenticated by the
session cookie (a GET that changes nothing: no CSRF token needed; same-origin by the pages' CSP). It
takes the stream a timeline is marked with (``data-stream``, ``data-tag``, ``data-list``) and adds the
viewer's notifications for the header badge. ``GET /live/posts?ids=…`` renders the posts a "new posts"
bar inserts, through the same visibility and screening as every timeline.
"""

from __future__ import annotations

from starlette.responses import Response

from gazouillis.errors import BadRequest
from gazouillis.graph.hiding import screen
from gazouillis.posts.views import load_views
from gazouillis.streaming.access import check_subscription
from gazouillis.streaming.sse import events_response
from gazouillis.streaming.streams import Key
from gazouillis.web.context import Page
from gazouillis.web.pages.timelines import parse_id

MAX_POSTS = 40
SESSION_SCOPES = ["read"]  # a signed-in member reads everything of their own


def stream(page: Page) -> Response:
    query = page.request.query_params
    name = query.get("stream", "user" if page.viewer else "public:local")
    raw = query.get("list") if name == "list" else query.get("tag")
    subscriptions: dict[Key, tuple[str, ...]] = {}
    with page.db.read() as session:
        key, shown = check_subscription(session, page.viewer_id, SESSION_SCOPES, name, raw)
        subscriptions[key] = shown
        if page.viewer is not None and name != "user":  # "user" carries the notifications already
            key, shown = check_subscription(
                session, page.viewer_id, SESSION_SCOPES, "user:notification", None
            )
            subscriptions[key] = shown
    return events_response(page.request, page.viewer_id, subscriptions, notifications=True)


def posts(page: Page) -> Response:
    raw = [part for part in page.request.query_params.get("ids", "").split(",") if part]
    ids = [parse_id(part) for part in raw[:MAX_POSTS]]
    if any(i is None for i in ids):
        raise BadRequest("ids must be numbers")
    wanted = sorted({i for i in ids if i is not None}, reverse=True)  # newest first, as timelines
    context = "home" if page.request.query_params.get("context") == "home" else "public"
    with page.db.read() as session:
        views = screen(session, page.viewer_id, load_views(session, wanted, page.viewer_id), context)
    return page.render("_live_posts.html", views=views)
