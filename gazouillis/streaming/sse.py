"""Server-sent events: ``GET /api/v1/streaming/<stream>`` (Mastodon.py), and the same machinery for pages.

One stream per request. The wire format is Mastodon's: a first comment ``:)``, then ``event: <name>`` and
``data: <one line>`` per event, and a ``:thump`` comment every ``streaming_heartbeat_seconds``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from starlette.requests import HTTPConnection
from starlette.responses import PlainTextResponse, Response, StreamingResponse

from gazouillis.api.http import Ctx
from gazouillis.streaming.access import check_subscription, reads_notifications
from gazouillis.streaming.hub import Frame, Hub
from gazouillis.streaming.streams import Key

HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}


def hub_of(connection: HTTPConnection) -> Hub:
    return connection.app.state.streaming_hub  # type: ignore[no-any-return]


def encode(frame: Frame) -> str:
    data = frame.payload if frame.payload is not None else "undefined"  # Mastodon.py reads it as None
    return f"event: {frame.event}\ndata: {data}\n\n"


async def event_stream(
    hub: Hub,
    viewer_id: int | None,
    subscriptions: dict[Key, tuple[str, ...]],
    *,
    notifications: bool,
    heartbeat: float,
) -> AsyncIterator[str]:
    """The body of an events response; the connection is registered while it is being read."""
    conn = hub.connect(viewer_id, notifications=notifications)
    conn.subscriptions.update(subscriptions)
    try:
        yield ":)\n"
        while True:
            item = await conn.next(timeout=heartbeat)
            if item is None:
                return
            yield encode(item) if isinstance(item, Frame) else ":thump\n"
    finally:
        hub.disconnect(conn)


def events_response(
    conn: HTTPConnection,
    viewer_id: int | None,
    subscriptions: dict[Key, tuple[str, ...]],
    *,
    notifications: bool,
) -> Response:
    hub = hub_of(conn)
    body = event_stream(
        hub,
        viewer_id,
        subscriptions,
        notifications=notifications,
        heartbeat=hub.settings.streaming_heartbeat_seconds,
    )
    return StreamingResponse(body, media_type="text/event-stream", headers=HEADERS)


def _stream(name: str, param: str | None = None) -> object:
    """A route function (see ``gazouillis.api.http.endpoint``) streaming ``name``."""

    def route(ctx: Ctx) -> Response:
        scopes = ctx.token.scopes if ctx.token else []
        raw = ctx.params.str(param) if param else None
        wanted = f"{name}:media" if name.startswith("public") and ctx.params.bool("only_media") else name
        with ctx.db.read() as session:
            key, stream = check_subscription(session, ctx.viewer_id, scopes, wanted, raw)
        return events_response(
            ctx.request, ctx.viewer_id, {key: stream}, notifications=reads_notifications(scopes)
        )

    route.__name__ = f"stream_{name.replace(':', '_')}"
    return route


def health(_ctx: Ctx) -> Response:
    return PlainTextResponse("OK")


user = _stream("user")
user_notification = _stream("user:notification")
public = _stream("public")
public_local = _stream("public:local")
public_remote = _stream("public:remote")
hashtag = _stream("hashtag", "tag")
hashtag_local = _stream("hashtag:local", "tag")
list_ = _stream("list", "list")
direct = _stream("direct")
