"""The machinery every API route shares: parameters, authentication, scopes, errors and JSON replies.

A route is a plain function ``fn(ctx) -> result`` run in a worker thread (the domain code is
synchronous). It returns JSON-able data or a :class:`Reply`; a :class:`DomainError` becomes Mastodon's
``{"error": …}`` with the matching status.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlencode

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from gazouillis.api.entities.statuses import status_bytes
from gazouillis.api.params import Params, parse_form, parse_json, parse_pairs, parse_query
from gazouillis.config import Settings
from gazouillis.errors import DomainError, Forbidden, Invalid, NotFound, PayloadTooLarge, Unauthorized
from gazouillis.oauth import scopes as sc
from gazouillis.oauth.memo import memo_of
from gazouillis.oauth.service import OAuthError, TokenInfo, check_token, known_token
from gazouillis.pagination import Page
from gazouillis.posts.views import PostView
from gazouillis.storage import Database

log = logging.getLogger("gazouillis.api")
JSON_TYPE = "application/json; charset=utf-8"
Auth = Literal["none", "optional", "app", "user"]
_CURSORS = ("max_id", "min_id", "since_id")


class JSONReply(Response):
    media_type = JSON_TYPE

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def error_reply(status: int, message: str, **extra: Any) -> Response:
    headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'} if status == 401 else None
    return JSONReply({"error": message, **extra}, status_code=status, headers=headers)


@dataclass
class Reply:
    """A result with a status or headers of its own (pagination links, redirects…)."""

    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


def encode_reply(reply: Reply) -> bytes:
    """A reply as bytes, for a page store other processes read (:func:`decode_reply` gives it back)."""
    # Compact JSON holds no raw newline: the first one ends the head.
    return orjson.dumps([reply.status, reply.headers]) + b"\n" + orjson.dumps(reply.body)


def decode_reply(data: bytes) -> Reply:
    end = data.index(b"\n")
    status, headers = orjson.loads(data[:end])
    return Reply(orjson.Fragment(data[end + 1 :]), status, headers)


@dataclass
class Services:
    """What routes need from the running instance."""

    settings: Settings
    db: Database


@dataclass
class Ctx:
    """One API request as a route sees it."""

    request: Request
    params: Params
    services: Services
    token: TokenInfo | None = None

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def db(self) -> Database:
        return self.services.db

    @property
    def viewer_id(self) -> int | None:
        return self.token.account_id if self.token else None

    @property
    def user_id(self) -> int:
        if self.token is None or self.token.account_id is None:
            raise Unauthorized("This method requires an authenticated user")
        return self.token.account_id

    @property
    def variant(self) -> bytes:
        """The raw query string: what a kept page depends on besides its route and viewer (its
        pagination links repeat it)."""
        return self.request.scope.get("query_string", b"")

    @property
    def client_address(self) -> str:
        return self.request.client.host if self.request.client else ""

    def path_id(self, name: str = "id") -> int:
        """An id from the path; anything that is not one is simply not found."""
        raw = self.request.path_params.get(name, "")
        if not raw.isdigit() or len(raw) > 19 or int(raw) >= 2**63:
            raise NotFound()
        return int(raw)

    def page(self, *, default: int = 20, maximum: int = 40) -> Page:
        limit = self.params.int("limit", default)
        assert limit is not None
        return Page(
            limit=max(1, min(limit, maximum)),
            max_id=self.params.id("max_id"),
            since_id=self.params.id("since_id"),
            min_id=self.params.id("min_id"),
        )

    def status_page(self, views: list[PostView]) -> tuple[Reply, list[bytes]]:
        """A page of statuses as :meth:`paginated` replies with it, and the encoded statuses it holds
        (what a kept page shares with the others: gazouillis.changes.pages)."""
        parts = [status_bytes(v, self.settings) for v in views]
        return self.paginated([orjson.Fragment(p) for p in parts], [v.post.id for v in views]), parts

    def paginated(self, body: list[Any], cursors: list[int]) -> Reply:
        """A list reply with Mastodon's ``Link`` header (``next`` first, then ``prev``)."""
        if not cursors:
            return Reply(body)
        # From the raw scope: Request.url and query_params parse the whole URL (~4 % of a home page).
        scope = self.request.scope
        base = self.settings.base_url + scope.get("root_path", "") + scope["path"]
        query = scope.get("query_string", b"")
        kept = ""
        if query:
            pairs = [(k, v) for k, v in self.request.query_params.multi_items() if k not in _CURSORS]
            kept = urlencode(pairs) + "&" if pairs else ""
        nxt = f'<{base}?{kept}max_id={min(cursors)}>; rel="next"'
        return Reply(body, headers={"Link": f'{nxt}, <{base}?{kept}min_id={max(cursors)}>; rel="prev"'})


async def read_params(request: Request, max_bytes: int) -> Params:
    """Merge the query string and the body (form, JSON or multipart) into one :class:`Params`."""
    data = parse_query(request.scope.get("query_string", b""))
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise PayloadTooLarge(f"The request body is larger than {max_bytes} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise PayloadTooLarge(f"The request body is larger than {max_bytes} bytes")
        chunks.append(chunk)
    body = b"".join(chunks)
    request._body = body  # let Starlette's form parser read what was already received
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    files: dict[str, Any] = {}
    if body:
        if content_type == "application/json" or (not content_type and body.lstrip()[:1] == b"{"):
            data.update(parse_json(body))
        elif content_type == "multipart/form-data":
            form = await request.form()
            pairs = []
            for key, value in form.multi_items():
                if isinstance(value, str):
                    pairs.append((key, value))
                else:
                    files[key] = value
            data.update(parse_pairs(pairs))
        else:
            data.update(parse_form(body))
    return Params(data, files)


Route = Callable[[Ctx], Any]
# Where a route keeps its page in the page cache (gazouillis.changes.pages), from the request alone.
KeyOf = Callable[[Ctx], Hashable]


def endpoint(
    services: Services,
    fn: Route,
    *,
    auth: Auth = "optional",
    scope: str | None = None,
    kept: KeyOf | None = None,
) -> Callable[[Request], Awaitable[Response]]:
    """Wrap a route function into a Starlette endpoint with auth, scope check and error mapping.

    ``kept``: the route's page may be served from the page cache alone, on the event loop (see
    ``served_kept`` below); every other request runs ``fn`` in a worker thread."""

    def authorize(ctx: Ctx, bearer: str | None) -> None:
        if auth in ("app", "user") and ctx.token is None:
            raise Unauthorized(
                "The access token is invalid" if bearer else "This method requires an authenticated user"
            )
        if auth == "user" and ctx.token is not None and ctx.token.account_id is None:
            raise Invalid("This method requires an authenticated user")
        if scope is not None and ctx.token is not None and not sc.covers(ctx.token.scopes, scope):
            raise Forbidden("This action is outside the authorized scopes")

    def call(ctx: Ctx, bearer: str | None) -> Any:
        if bearer is not None:
            ctx.token = check_token(ctx.db, bearer)
        authorize(ctx, bearer)
        return fn(ctx)

    def served_kept(ctx: Ctx, bearer: str | None) -> Any:
        """The kept page the request asks for when it can be served without a thread: the change log
        read without waiting, the token's check remembered and still holding, the page fresh; else
        None. A hit costs one query (the log's tail) and one read of the page store: 0.27 ms of CPU
        in the benchmark, 0.67 ms with the hop into a thread and the token's query (docs/performance.md)."""
        db = ctx.db
        memo = memo_of(db.info)  # attached only where kept pages are served here (app.py)
        if kept is None or memo is None or not memo.pages.catch_up(db.read_engine, wait=False):
            return None
        if bearer is not None:
            ctx.token = known_token(db, bearer)
            if ctx.token is None:
                return None
        authorize(ctx, bearer)
        return memo.pages.peek(kept(ctx))

    async def handle(request: Request) -> Response:
        try:
            bearer = _bearer(request)
            params = await read_params(request, services.settings.max_body_bytes)
            ctx = Ctx(request=request, params=params, services=services)
            result = served_kept(ctx, bearer)
            if result is None:
                result = await run_in_threadpool(call, ctx, bearer)
        except OAuthError as exc:
            return error_reply(exc.status, exc.error, error_description=exc.description)
        except DomainError as exc:
            extra = {"details": exc.details} if exc.details else {}
            return error_reply(exc.status, exc.message, **extra)
        if isinstance(result, Response):
            return result
        if isinstance(result, Reply):
            return JSONReply(result.body, status_code=result.status, headers=result.headers)
        return JSONReply(result)

    return handle


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    # Other schemes (HTTP Basic client authentication on /oauth/token) are not access tokens.
    if header[:7].lower() == "bearer ":
        return header[7:].strip() or None
    return None
