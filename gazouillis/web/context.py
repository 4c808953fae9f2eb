"""What every page handler gets: the visitor, their language, the form, CSRF, and rendering helpers.

A page handler is a plain function ``fn(page) -> Response`` run in a worker thread (the domain code is
synchronous). htmx requests get the partial a handler names; other requests get the full page, so every
form also works without JavaScript.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from gazouillis.accounts import service as accounts
from gazouillis.accounts.tables import Account, User
from gazouillis.api.http import Services
from gazouillis.errors import DomainError, NotFound
from gazouillis.graph import service as graph
from gazouillis.notifications import reading as notification_reading
from gazouillis.web.i18n import DEFAULT_LANGUAGE, LANGUAGES, negotiate

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def password_fingerprint(user: User) -> str:
    """Changes with the password, so changing it signs out every other session."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


@dataclass
class Page:
    """One page request as a handler sees it."""

    request: Request
    services: Services
    environments: dict[str, Environment]
    form: dict[str, str] = field(default_factory=dict)
    viewer: Account | None = None
    user: User | None = None
    language: str = DEFAULT_LANGUAGE

    @property
    def db(self) -> Any:
        return self.services.db

    @property
    def settings(self) -> Any:
        return self.services.settings

    @property
    def viewer_id(self) -> int | None:
        return self.viewer.id if self.viewer else None

    @cached_property
    def pending_requests(self) -> int:
        """Follow requests waiting for the viewer; counted only when a page shows it (the nav of a locked
        account), once per request."""
        if self.viewer is None:
            return 0
        with self.db.read() as session:
            return graph.pending_request_count(session, self.viewer.id)

    @cached_property
    def unread_notifications(self) -> int:
        """Notifications newer than the viewer's notifications marker (the badge in the navigation);
        one query, only when a page shows the navigation, capped past what the badge can show."""
        if self.viewer is None:
            return 0
        with self.db.read() as session:
            return notification_reading.unread_count(session, viewer_id=self.viewer.id, limit=100)

    @property
    def is_htmx(self) -> bool:
        return self.request.headers.get("hx-request") == "true"

    @property
    def csrf_token(self) -> str:
        session = self.request.session
        if "csrf" not in session:
            session["csrf"] = secrets.token_urlsafe(24)
        return str(session["csrf"])

    @property
    def client_address(self) -> str:
        return self.request.client.host if self.request.client else ""

    def gettext(self, message: str, **values: Any) -> str:
        translated = self.environments[self.language].globals["translations"].gettext(message)  # type: ignore[attr-defined]
        return translated % values if values else translated

    def render(
        self, template: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any
    ) -> HTMLResponse:
        env = self.environments[self.language]
        html = env.get_template(template).render(
            page=self, viewer=self.viewer, settings=self.settings, **context
        )
        return HTMLResponse(html, status_code=status, headers=headers)

    def render_html(self, html: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(html, status_code=status)

    def redirect(self, url: str) -> Response:
        if self.is_htmx:
            # A 3xx would be followed by the browser before htmx sees it: tell htmx to navigate instead.
            return Response(status_code=200, headers={"HX-Redirect": url})
        return RedirectResponse(url, status_code=303)

    def back(self, default: str = "/") -> Response:
        """Where the form came from (its ``next`` field or the referrer), if it is on this site."""
        for candidate in (self.form.get("next"), self.request.headers.get("referer")):
            if candidate:
                parts = urlsplit(candidate)
                if not parts.netloc or parts.netloc == self.request.url.netloc:
                    return self.redirect((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
        return self.redirect(default)

    def sign_in(self, account: Account) -> None:
        user = accounts.get_user_for_session(self.db, account.id)
        self.request.session.clear()
        self.request.session.update({"uid": str(account.id), "pw": password_fingerprint(user)})
        if user.locale in LANGUAGES:
            self.request.session["lang"] = user.locale

    def sign_out(self) -> None:
        lang = self.request.session.get("lang")
        self.request.session.clear()
        if lang:
            self.request.session["lang"] = lang


Handler = Callable[[Page], Response]


class WebApp:
    """Builds Starlette endpoints from page handlers."""

    def __init__(self, services: Services, environments: dict[str, Environment]) -> None:
        self.services = services
        self.environments = environments

    def _identify(self, page: Page) -> None:
        session = page.request.session
        uid = session.get("uid")
        if uid and str(uid).isdigit():
            found = accounts.session_user(page.db, int(uid))
            if found and password_fingerprint(found[1]) == session.get("pw"):
                page.viewer, page.user = found
            else:
                page.sign_out()
        chosen = session.get("lang")
        if page.user is not None and page.user.locale in LANGUAGES:
            chosen = page.user.locale
        page.language = (
            chosen if chosen in LANGUAGES else negotiate(page.request.headers.get("accept-language", ""))
        )

    def endpoint(self, fn: Handler, *, login: bool = False) -> Callable[[Request], Awaitable[Response]]:
        """Wrap ``fn``: CSRF check on every POST, sign-in required when ``login``, domain errors as pages."""

        async def handle(request: Request) -> Response:
            page = Page(request=request, services=self.services, environments=self.environments)
            if request.method == "POST":
                form = await request.form()
                page.form = {k: v for k, v in form.items() if isinstance(v, str)}
                sent = page.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER, "")
                expected = request.session.get("csrf", "")
                if not expected or not hmac.compare_digest(str(expected), sent):
                    await run_in_threadpool(self._identify, page)
                    return page.render(
                        "error.html",
                        403,
                        message=page.gettext(
                            "This form has expired. Go back, reload the page and try again."
                        ),
                    )

            def run() -> Response:
                self._identify(page)
                if login and page.viewer is None:
                    return page.redirect(f"/auth/sign_in?next={request.url.path}")
                try:
                    return fn(page)
                except NotFound:
                    return page.render("error.html", 404, message=page.gettext("This page does not exist."))
                except DomainError as exc:
                    return page.render("error.html", exc.status, message=page.gettext(exc.message))

            return await run_in_threadpool(run)

        return handle
