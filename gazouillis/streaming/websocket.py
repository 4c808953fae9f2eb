"""WebSocket ``/api/v1/streaming`` (Elk, Phanpy, Mastodon.py ``stream_*`` over WebSocket): one socket,
many subscriptions, JSON frames ``{"stream": [...], "event": …, "payload": "<JSON text>"}``.

The token comes from the ``Authorization`` header, the ``Sec-WebSocket-Protocol`` header (echoed back as
the accepted subprotocol, or browsers drop the socket) or the ``access_token`` query parameter. Without a
valid user token the upgrade is refused with HTTP 401, as Mastodon (4.2 and later) does. A bad subscribe
message gets ``{"error": …, "status": …}`` and the socket stays open.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocket, WebSocketDisconnect

from gazouillis.api.http import JSONReply
from gazouillis.errors import DomainError
from gazouillis.oauth.service import OAuthError, TokenInfo, check_token
from gazouillis.storage import Database
from gazouillis.streaming.access import check_subscription, reads_notifications
from gazouillis.streaming.hub import Connection, Frame, Hub
from gazouillis.streaming.sse import hub_of

MAX_MESSAGE = 4096  # a subscribe message is tiny; anything larger is not one


def credentials(ws: WebSocket) -> tuple[str | None, str | None]:
    """The token, and the subprotocol to accept (the token itself when it came that way)."""
    header = ws.headers.get("authorization", "")
    if header[:7].lower() == "bearer " and header[7:].strip():
        return header[7:].strip(), None
    offered = [p.strip() for p in ws.headers.get("sec-websocket-protocol", "").split(",") if p.strip()]
    if offered:
        return offered[0], offered[0]
    return ws.query_params.get("access_token") or None, None


def _check(db: Database, token: str) -> TokenInfo | None:
    try:
        info = check_token(db, token)
    except (DomainError, OAuthError):
        return None
    return info if info.account_id is not None else None


async def refuse(ws: WebSocket, message: str) -> None:
    """Refuse the upgrade with HTTP 401 when the server can (uvicorn can); else close with 4001."""
    if "websocket.http.response" in ws.scope.get("extensions", {}):
        await ws.send_denial_response(JSONReply({"error": message}, status_code=401))
    else:
        await ws.close(code=4001, reason=message)


def _subscription(db: Database, conn: Connection, scopes: list[str], name: str, raw: str | None) -> Any:
    with db.read() as session:
        return check_subscription(session, conn.viewer_id, scopes, name, raw)


def _error(message: str, status: int) -> str:
    return orjson.dumps({"error": message, "status": status}).decode()


async def handle_message(hub: Hub, conn: Connection, scopes: list[str], text: str) -> None:
    """A client message: subscribe or unsubscribe; anything else gets an error frame."""
    try:
        message = orjson.loads(text) if len(text) <= MAX_MESSAGE else None
    except orjson.JSONDecodeError:
        message = None
    if not isinstance(message, dict) or message.get("type") not in ("subscribe", "unsubscribe"):
        conn.push(_error("Unknown message type", 400))
        return
    name = message.get("stream")
    if isinstance(name, list):
        name = name[0] if name else None
    raw = message.get("list") if name == "list" else message.get("tag")
    if not isinstance(name, str) or (raw is not None and not isinstance(raw, str | int)):
        conn.push(_error("Unknown stream type", 400))
        return
    try:
        key, stream = await run_in_threadpool(
            _subscription, hub.db, conn, scopes, name, None if raw is None else str(raw)
        )
    except DomainError as exc:
        conn.push(_error(exc.message, exc.status))
        return
    if message["type"] == "subscribe":
        conn.subscriptions[key] = stream  # subscribing twice is harmless
    else:
        conn.subscriptions.pop(key, None)


def encode(frame: Frame) -> str:
    body: dict[str, Any] = {"stream": list(frame.stream), "event": frame.event}
    if frame.payload is not None:
        body["payload"] = frame.payload
    return orjson.dumps(body).decode()


async def streaming_socket(ws: WebSocket) -> None:
    hub = hub_of(ws)
    token, subprotocol = credentials(ws)
    if token is None:
        await refuse(ws, "Missing access token")
        return
    info = await run_in_threadpool(_check, hub.db, token)
    if info is None:
        await refuse(ws, "Invalid access token")
        return
    await ws.accept(subprotocol=subprotocol)
    conn = hub.connect(info.account_id, notifications=reads_notifications(info.scopes))
    initial = ws.query_params.get("stream")
    if initial:
        raw = ws.query_params.get("list") if initial == "list" else ws.query_params.get("tag")
        query = {"type": "subscribe", "stream": initial, "tag": raw, "list": raw}
        await handle_message(hub, conn, info.scopes, orjson.dumps(query).decode())

    async def read() -> None:
        while True:
            text = await ws.receive_text()
            await handle_message(hub, conn, info.scopes, text)

    async def write() -> None:
        while True:
            item = await conn.next()
            if item is None:
                return
            await ws.send_text(encode(item) if isinstance(item, Frame) else item)

    tasks = [asyncio.ensure_future(read()), asyncio.ensure_future(write())]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        hub.disconnect(conn)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, Exception):
                await task
        with contextlib.suppress(Exception):
            await ws.close(code=1008 if conn.overflowed else 1000)
