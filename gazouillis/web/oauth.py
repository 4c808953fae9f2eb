"""The OAuth authorization page: sign in, see what an application asks for, allow or deny it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from itsdangerous import BadSignature, URLSafeTimedSerializer
from jinja2 import Environment
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from gazouillis.accounts.service import log_in
from gazouillis.api.http import Services
from gazouillis.errors import DomainError
from gazouillis.oauth import service as oauth

FORM_MAX_AGE = 3600  # seconds a consent form stays valid


class AuthorizePage:
    """``GET`` shows the consent form; ``POST`` checks the password and redirects with a code."""

    def __init__(self, services: Services, templates: Environment) -> None:
        self.services = services
        self.templates = templates
        self.signer = URLSafeTimedSerializer(services.settings.resolved_secret_key(), salt="oauth-authorize")

    def _render(self, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        html = self.templates.get_template(name).render(title=self.services.settings.title, **values)
        return HTMLResponse(html, status_code=status)

    def _check_request(self, q: dict[str, str]) -> tuple[Any, list[str]]:
        with self.services.db.read() as session:
            app = oauth.authenticate_client(session, q.get("client_id"), None, secret_required=False)
            oauth.check_redirect(app, q.get("redirect_uri"))
            if q.get("response_type", "code") != "code":
                raise oauth.OAuthError("unsupported_response_type", "Only response_type=code is supported.")
            return app, oauth.grant_scopes(app, q.get("scope"))

    async def get(self, request: Request) -> Response:
        q = {k: v for k, v in request.query_params.items() if v not in ("None",)}
        try:
            app, granted = await run_in_threadpool(self._check_request, q)
        except oauth.OAuthError as exc:
            return self._render("oauth_error.html", 400, message=exc.description)
        fields = {
            k: q.get(k, "")
            for k in ("client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method")
        }
        fields["scope"] = " ".join(granted)
        return self._render(
            "oauth_authorize.html", app=app, scopes=granted, form_token=self.signer.dumps(fields), login=""
        )

    async def post(self, request: Request) -> Response:
        form = await request.form()
        try:
            fields: dict[str, str] = self.signer.loads(str(form.get("form_token", "")), max_age=FORM_MAX_AGE)
        except BadSignature:
            return self._render(
                "oauth_error.html", 400, message="This form has expired; start again from the application."
            )
        try:
            app, granted = await run_in_threadpool(self._check_request, fields)
        except oauth.OAuthError as exc:
            return self._render("oauth_error.html", 400, message=exc.description)
        redirect_uri, state = fields["redirect_uri"], fields.get("state", "")
        if form.get("decision") != "approve":
            return self._redirect(redirect_uri, {"error": "access_denied", "state": state})
        login, password = str(form.get("login", "")), str(form.get("password", ""))

        address = request.client.host if request.client else ""

        def issue() -> str:
            account = log_in(self.services.db, login=login, password=password, address=address)
            with self.services.db.write() as session:
                return oauth.create_code(
                    session,
                    app=app,
                    account_id=account.id,
                    redirect_uri=redirect_uri,
                    scopes=granted,
                    code_challenge=fields.get("code_challenge") or None,
                    code_challenge_method=fields.get("code_challenge_method") or None,
                )

        try:
            code = await run_in_threadpool(issue)
        except DomainError as exc:
            return self._render(
                "oauth_authorize.html",
                422,
                app=app,
                scopes=granted,
                form_token=form.get("form_token"),
                login=login,
                error=exc.message,
            )
        except oauth.OAuthError as exc:
            return self._render("oauth_error.html", 400, message=exc.description)
        if redirect_uri == oauth.OOB:
            return self._render("oauth_code.html", code=code)
        return self._redirect(redirect_uri, {"code": code, "state": state})

    @staticmethod
    def _redirect(uri: str, params: dict[str, str]) -> RedirectResponse:
        query = urlencode({k: v for k, v in params.items() if v})
        return RedirectResponse(f"{uri}{'&' if '?' in uri else '?'}{query}", status_code=302)
