"""The application factory: nothing connects or reads files until :func:`create_app` is called."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from anyio import to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from gazouillis import logs
from gazouillis.api.http import Services, decode_reply, encode_reply, error_reply
from gazouillis.api.routes import api_routes
from gazouillis.changes import pages
from gazouillis.changes.stores import FileStore, LocalStore, store_path
from gazouillis.config import Settings
from gazouillis.events import relay
from gazouillis.jobs.process import Background
from gazouillis.memory import freeze_startup_objects, limit_malloc_arenas
from gazouillis.middleware import AccessLog, StripTrailingSlash
from gazouillis.oauth import memo
from gazouillis.posts.cache import attach_post_cache
from gazouillis.routing import FixedPathRouter
from gazouillis.seeding.ceiling import ceiling_routes
from gazouillis.storage import Database, process_pool_size
from gazouillis.streaming.hub import Hub
from gazouillis.streaming.websocket import streaming_socket
from gazouillis.timelines import fanout  # noqa: F401  (registers the fan-out job handlers)
from gazouillis.timelines.feeds import attach_from_settings
from gazouillis.trends.service import attach_trend_cache
from gazouillis.web.context import WebApp
from gazouillis.web.i18n import build_environments
from gazouillis.web.routes import page_routes
from gazouillis.web.security import SecurityHeaders

HERE = Path(__file__).parent
log = logging.getLogger("gazouillis")
# Megabytes of pages the web processes of a SQLite instance share by default (home_cache_mb): a home
# page is ~40 KB, so every page of ~3,000 readers.
SHARED_PAGES_MB = 128.0


def page_cache(settings: Settings, db: Database) -> pages.PageCache | None:
    """The kept pages of home timelines and accounts' posts (``home_cache_mb``): on a SQLite file, in a
    file beside it that every web process shares; elsewhere in each process's memory, off unless asked
    for on PostgreSQL (each check of the log is a round trip there, costlier than the pages saved)."""
    mb = settings.home_cache_mb
    path = db.sqlite_file
    if mb is None:
        mb = SHARED_PAGES_MB if path is not None else 8.0 if db.is_sqlite else 0.0
    max_bytes = int(mb * 2**20)
    if not max_bytes:
        return None
    if path is not None:
        codec = (encode_reply, decode_reply)
        return pages.PageCache(FileStore(store_path(path), max_bytes=max_bytes, codec=codec))
    return pages.PageCache(LocalStore(max_bytes=max_bytes))


def create_app(settings: Settings | None = None, *, database: Database | None = None) -> Starlette:
    """Build the ASGI app for ``settings`` (read from the environment when not given)."""
    settings = settings or Settings()
    limit_malloc_arenas()  # before the request threads start
    db = database or Database(
        settings.resolved_database_url,
        pool_size=process_pool_size(
            settings.database_pool_size, web_processes=1, request_threads=settings.request_threads
        ),
        max_overflow=0,
        # Without a job runner here, a worker process checkpoints SQLite's log: not this one's requests.
        checkpoints=settings.embedded_worker,
    )
    feed_store = attach_from_settings(db, settings)  # the one place the feed back-end is chosen
    attach_post_cache(db, settings)
    kept = pages.attach(db, page_cache(settings, db))
    # Where token checks are remembered, kept pages are served from the event loop (gazouillis.api.http):
    # on SQLite only, where the log's read is local (on PostgreSQL a round trip the loop must not wait for).
    memo.attach(db, memo.TokenMemo(kept) if kept is not None and db.is_sqlite else None)
    bus = relay.attach_from_settings(db, settings)  # in-process, or across processes (Redis, PostgreSQL)
    hub = Hub(db, settings)  # this process's streaming connections
    attach_trend_cache(db)  # trending rankings, shared by every request for a minute or two
    services = Services(settings=settings, db=db)
    environments = build_environments(HERE / "web" / "templates")

    async def healthz(_request: Request) -> Response:
        return PlainTextResponse("OK")

    async def not_found(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        messages = {404: "Record not found", 405: "Method not allowed"}
        return error_reply(status, messages.get(status, "Something went wrong"))

    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error", exc_info=exc)
        return error_reply(500, "Something went wrong on our side")

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        # In each web process: its id node lease, job wake-ups, and the embedded job runner if wanted.
        to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        background = Background(db, settings, run_jobs=settings.embedded_worker)
        background.start()
        bus.start()
        await hub.start()
        try:
            yield
        finally:
            await hub.stop()
            bus.close()
            background.stop()
            feed_store.close()
            kept = pages.pages_of(db.info)
            if kept is not None:
                log.info("page cache", extra=kept.stats())
            db.dispose()

    routes = [
        Route("/healthz", healthz),
        *api_routes(services),
        WebSocketRoute("/api/v1/streaming", streaming_socket),  # before the pages' catch-all routes
        *(ceiling_routes(settings) if settings.bench_endpoints else []),
        *page_routes(WebApp(services, environments)),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [
        Middleware(AccessLog),
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["*"],
            expose_headers=[
                "Link",
                "X-RateLimit-Reset",
                "X-RateLimit-Limit",
                "X-RateLimit-Remaining",
                "X-Request-Id",
            ],
        ),
        Middleware(StripTrailingSlash),
        Middleware(SecurityHeaders),
        Middleware(
            SessionMiddleware,
            secret_key=settings.resolved_secret_key(),
            session_cookie="gazouillis_session",
            max_age=30 * 24 * 3600,
            same_site="lax",
            https_only=settings.https,
        ),
    ]
    app = Starlette(middleware=middleware, exception_handlers={HTTPException: not_found, 500: server_error})
    app.router = FixedPathRouter(routes, lifespan=lifespan)  # Starlette's Router, fixed paths looked up
    app.state.services = services
    app.state.streaming_hub = hub
    return app


def app_from_environment() -> Starlette:
    """Factory used by ``gazouillis serve`` in each web process."""
    settings = Settings()
    logs.configure(settings.log_level, settings.log_format)
    app = create_app(settings)
    freeze_startup_objects()
    return app
