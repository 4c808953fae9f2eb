"""The router looks fixed paths up, and picks the route Starlette's walk over the table would pick."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Match, Mount, Route
from starlette.testclient import TestClient

from gazouillis.routing import FixedPathRouter, fixed_paths


def _answer(text: str) -> Any:
    async def endpoint(_request: Request) -> Response:
        return PlainTextResponse(text)

    return endpoint


def _app(routes: list[Any]) -> TestClient:
    app = Starlette()
    app.router = FixedPathRouter(routes)
    return TestClient(app)


def test_an_earlier_route_that_also_matches_still_wins() -> None:
    client = _app(
        [
            Route("/items/{id}", _answer("item"), methods=["GET"]),
            Route("/items/search", _answer("search"), methods=["GET", "POST"]),
            Mount("/files", routes=[Route("/a", _answer("mounted"))]),
            Route("/files/a", _answer("fixed")),
        ]
    )
    assert client.get("/items/search").text == "item"  # as Starlette: the table's order decides
    assert client.post("/items/search").text == "search"  # the {id} route takes GET only
    assert client.get("/files/a").text == "mounted"


def test_routes_of_one_path_answer_by_method_and_others_get_405() -> None:
    client = _app(
        [
            Route("/thing", _answer("read"), methods=["GET"]),
            Route("/thing", _answer("write"), methods=["POST"]),
        ]
    )
    assert client.get("/thing").text == "read"
    assert client.post("/thing").text == "write"
    assert client.delete("/thing").status_code == 405
    assert client.get("/nothing").status_code == 404


def test_routes_added_after_the_first_request_are_found() -> None:
    client = _app([Route("/one", _answer("one"))])
    assert client.get("/one").text == "one"
    client.app.router.routes.append(Route("/two", _answer("two")))  # type: ignore[attr-defined]
    assert client.get("/two").text == "two"


def test_every_fixed_path_of_the_application_reaches_the_route_the_walk_reaches(client: TestClient) -> None:
    routes = client.app.router.routes  # type: ignore[attr-defined]
    indexed = fixed_paths(routes)
    assert "/api/v1/timelines/home" in indexed
    checked = 0
    for path, candidates in indexed.items():
        for method in sorted({m for route in candidates for m in route.methods or ()}):
            scope = {"type": "http", "path": path, "root_path": "", "method": method, "headers": []}
            walked = next(r for r in routes if r.matches(scope)[0] is Match.FULL)
            looked_up = next(r for r in candidates if r.matches(scope)[0] is Match.FULL)
            assert looked_up is walked, (method, path)
            checked += 1
    assert checked > 100
    # One request through the whole stack: the route's own answer (no token), not the router's 404.
    reply = client.get("/api/v1/timelines/home")
    assert reply.status_code == 401
    assert reply.json()["error"]
