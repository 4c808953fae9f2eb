"""The application's router: Starlette's, with the routes of fixed paths found by a dict lookup.

Starlette tries the routes one by one with a regular expression each; the home timeline's came after
~40 others (2–3 % of a page, bench/hotspots.py). A request for a fixed path (no ``{param}``) now goes
straight to the routes of that path. The order still decides as before: a fixed path that an earlier
route would also match (a ``{param}`` route or a mount listed before it) is left to the ordinary walk,
as is everything that matches no route fully (405, trailing slashes, 404).
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Match, Mount, Route, Router, WebSocketRoute, get_route_path
from starlette.types import Receive, Scope, Send


class FixedPathRouter(Router):
    """A :class:`~starlette.routing.Router` that looks up the routes of fixed paths before walking."""

    _fixed: dict[str, list[Route]] = {}
    _indexed = -1  # how many routes the index was built from (routes may be added after start-up)

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if self._indexed != len(self.routes):
                self._fixed, self._indexed = fixed_paths(self.routes), len(self.routes)
            for route in self._fixed.get(get_route_path(scope), ()):
                match, child_scope = route.matches(scope)
                if match is Match.FULL:
                    scope.setdefault("router", self)
                    scope["route"] = route
                    scope.update(child_scope)
                    await route.handle(scope, receive, send)
                    return
        await super().app(scope, receive, send)


def fixed_paths(routes: list[BaseRoute]) -> dict[str, list[Route]]:
    """HTTP routes of a fixed path, by path, in table order; without those an earlier route could take."""
    found: dict[str, list[Route]] = {}
    for index, route in enumerate(routes):
        if not isinstance(route, Route) or route.param_convertors:
            continue
        if any(_may_take(earlier, route) for earlier in routes[:index]):
            continue
        found.setdefault(route.path, []).append(route)
    return found


def _may_take(earlier: BaseRoute, route: Route) -> bool:
    """Whether ``earlier`` could match a request for ``route``'s path with one of its methods."""
    if isinstance(earlier, Route):
        if earlier.path == route.path:
            return False  # a route of the same path: both are listed, in order
        methods = route.methods or set()
        same_method = earlier.methods is None or route.methods is None or bool(earlier.methods & methods)
        return same_method and earlier.path_regex.match(route.path) is not None
    if isinstance(earlier, Mount):
        return route.path == earlier.path or route.path.startswith(earlier.path.rstrip("/") + "/")
    return not isinstance(earlier, WebSocketRoute)  # those never take an HTTP request; others may
