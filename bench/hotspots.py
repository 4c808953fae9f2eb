"""Where a request's time goes: one scenario served in-process, timed, then profiled with cProfile.

    export GAZOUILLIS_DATABASE_URL=sqlite:///bench/.data/small-sqlite/gazouillis.sqlite3
    .venv/bin/python bench/hotspots.py --data small-sqlite --path /api/v1/timelines/home
    .venv/bin/python bench/hotspots.py --data small-sqlite --path /bench/ceiling --top 15
    .venv/bin/python bench/hotspots.py --path /api/v1/statuses --form 'status=Hello+{n}+%23bench'

Serves the data ``bench/run.py`` built (the database of GAZOUILLIS_DATABASE_URL and the tokens of
``bench/.tokens-NAME.txt``; add GAZOUILLIS_REDIS_URL and GAZOUILLIS_FEED_STORE=redis to profile the
production mode), calls the ASGI app
directly (no network, no uvicorn), rotating over the readers' tokens, and prints the mean time per
request and the functions that take the most cumulative time. Run it on an idle machine.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import itertools
import pstats
import time
from pathlib import Path
from typing import Any

from gazouillis.api import http
from gazouillis.app import create_app
from gazouillis.config import Settings

BENCH = Path(__file__).resolve().parent


async def call(app: Any, path: str, token: str, form: bytes | None = None) -> int:
    """One GET (or a POST of ``form``) through the ASGI app; returns the status."""
    raw_path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET" if form is None else "POST",
        "scheme": "http",
        "path": raw_path,
        "raw_path": raw_path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"authorization", f"Bearer {token}".encode()),
            *([(b"content-type", b"application/x-www-form-urlencoded")] if form is not None else []),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": form or b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def _inline(fn: Any, *args: Any) -> Any:
    return fn(*args)


async def run(app: Any, path: str, tokens: list[str], n: int, form: str | None = None) -> float:
    rotation = itertools.cycle(tokens)
    started = time.perf_counter()
    for i in range(n):
        body = form.replace("{n}", str(i)).encode() if form is not None else None
        status = await call(app, path, next(rotation), body)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    return (time.perf_counter() - started) / n


def arguments(doc: str | None, *, requests: int, readers: int) -> argparse.ArgumentParser:
    """The options of the in-process tools here: the data, the path, how many requests over how many
    readers' tokens."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="small-sqlite", help="bench data name (PROFILE-DATABASE)")
    parser.add_argument("--path", default="/api/v1/timelines/home")
    parser.add_argument("--requests", type=int, default=requests)
    parser.add_argument("--readers", type=int, default=readers, help="tokens rotated over (warmed first)")
    return parser


def main() -> None:
    parser = arguments(__doc__, requests=400, readers=200)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--form", help='POST this form instead of a GET, "{n}" numbered: status=hi+{n}')
    args = parser.parse_args()
    tokens = (BENCH / f".tokens-{args.data}.txt").read_text().split()[: args.readers]
    settings = Settings(embedded_worker=False, bench_endpoints=True)
    app = create_app(settings)

    async def go() -> None:
        async with app.router.lifespan_context(app):
            await run(app, args.path, tokens, len(tokens), args.form)  # warm: feeds, caches
            mean = await run(app, args.path, tokens, args.requests, args.form)
            print(f"{args.path}: {mean * 1000:.2f} ms per request ({1 / mean:,.0f} per second, one thread)")
            # Profile with the route run inline: cProfile sees only the thread it was started in.
            http.run_in_threadpool = _inline
            profile = cProfile.Profile()
            profile.enable()
            await run(app, args.path, tokens, args.requests, args.form)
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)

    asyncio.run(go())


if __name__ == "__main__":
    main()
