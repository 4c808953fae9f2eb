"""The pages' route table. Each pages module lists its own routes; this file gathers them."""

from __future__ import annotations

from starlette.routing import Route

from gazouillis.web.context import Handler, WebApp
from gazouillis.web.pages import actions, auth, language, oauth, timelines

# (method, path, handler, sign-in required)
PageRoute = tuple[str, str, Handler, bool]

TABLE: list[PageRoute] = [
    ("GET", "/", timelines.index, False),
    ("GET", "/public", timelines.public, False),
    ("GET", "/auth/sign_in", auth.sign_in_form, False),
    ("POST", "/auth/sign_in", auth.sign_in, False),
    ("GET", "/auth/sign_up", auth.sign_up_form, False),
    ("POST", "/auth/sign_up", auth.sign_up, False),
    ("POST", "/auth/sign_out", auth.sign_out, False),
    ("POST", "/settings/language", language.set_language, False),
    ("GET", "/oauth/authorize", oauth.authorize_form, False),
    ("POST", "/oauth/authorize", oauth.authorize, False),
    ("POST", "/statuses", timelines.create, True),
    ("POST", "/statuses/count", timelines.count, True),
    ("POST", "/statuses/{id}/delete", actions.delete, True),
    ("POST", "/statuses/{id}/{action:str}", actions.act, True),
]


def page_routes(web: WebApp) -> list[Route]:
    return [Route(path, web.endpoint(fn, login=login), methods=[method]) for method, path, fn, login in TABLE]
