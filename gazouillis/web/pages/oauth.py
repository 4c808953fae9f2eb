"""The OAuth authorization page: sign in (unless already), see what an application asks for, allow or deny."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.responses import RedirectResponse, Response

from gazouillis.accounts import service as accounts
from gazouillis.errors import DomainError, RateLimited
from gazouillis.oauth import service as oauth
from gazouillis.web.context import Page

FORM_MAX_AGE = 3600  # seconds a consent form stays valid
FIELDS = ("client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method")


def _signer(page: Page) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(page.settings.resolved_secret_key(), salt="oauth-authorize")


def _check(page: Page, q: dict[str, str]) -> tuple[Any, list[str]]:
    with page.db.read() as session:
        app = oauth.authenticate_client(session, q.get("client_id"), None, secret_required=False)
        oauth.check_redirect(app, q.get("redirect_uri"))
        if q.get("response_type", "code") != "code":
            raise oauth.OAuthError("unsupported_response_type", "Only response_type=code is supported.")
        return app, oauth.grant_scopes(app, q.get("scope"))


def _error(page: Page, exc: oauth.OAuthError) -> Response:
    return page.render("oauth_error.html", 400, message=page.gettext(exc.description))


def authorize_form(page: Page) -> Response:
    # Mastodon.py sends the literal strings "None" / "False" for parameters it has no value for.
    q = {k: v for k, v in page.request.query_params.items() if v not in ("None",)}
    try:
        app, granted = _check(page, q)
    except oauth.OAuthError as exc:
        return _error(page, exc)
    fields = {k: q.get(k, "") for k in FIELDS} | {"scope": " ".join(granted)}
    return page.render(
        "oauth_authorize.html", app=app, scopes=granted, form_token=_signer(page).dumps(fields), login=""
    )


def authorize(page: Page) -> Response:
    try:
        fields: dict[str, str] = _signer(page).loads(page.form.get("form_token", ""), max_age=FORM_MAX_AGE)
    except BadSignature:
        return page.render(
            "oauth_error.html",
            400,
            message=page.gettext("This form has expired; start again from the application."),
        )
    try:
        app, granted = _check(page, fields)
    except oauth.OAuthError as exc:
        return _error(page, exc)
    redirect_uri, state = fields["redirect_uri"], fields.get("state", "")
    if page.form.get("decision") != "approve":
        return _redirect(redirect_uri, {"error": "access_denied", "state": state})
    login = page.form.get("login", "")
    try:
        if page.viewer is not None:
            account = page.viewer
        else:
            account = accounts.log_in(
                page.db, login=login, password=page.form.get("password", ""), address=page.client_address
            )
            page.sign_in(account)
        with page.db.write() as session:
            code = oauth.create_code(
                session,
                app=app,
                account_id=account.id,
                redirect_uri=redirect_uri,
                scopes=granted,
                code_challenge=fields.get("code_challenge") or None,
                code_challenge_method=fields.get("code_challenge_method") or None,
            )
    except DomainError as exc:
        return page.render(
            "oauth_authorize.html",
            422 if exc.status == 422 else exc.status,
            app=app,
            scopes=granted,
            form_token=page.form.get("form_token"),
            login=login,
            error=_reason(page, exc),
        )
    except oauth.OAuthError as exc:
        return _error(page, exc)
    if redirect_uri == oauth.OOB:
        return page.render("oauth_code.html", code=code)
    return _redirect(redirect_uri, {"code": code, "state": state})


def _sentence(message: str) -> str:
    return message if message.endswith(".") else message + "."


def _reason(page: Page, exc: DomainError) -> str:
    """Why the log-in failed, in the reader's language: the catalog has the wrong-password message as a
    sentence and the domain's other messages as they are raised; a rate limit is worded as on the log-in
    page."""
    if isinstance(exc, RateLimited):
        return page.gettext("Too many failed log-in attempts. Wait a few minutes and try again.")
    sentence = _sentence(exc.message)
    translated = page.gettext(sentence)
    return translated if translated != sentence else _sentence(page.gettext(exc.message))


def _redirect(uri: str, params: dict[str, str]) -> RedirectResponse:
    query = urlencode({k: v for k, v in params.items() if v})
    return RedirectResponse(f"{uri}{'&' if '?' in uri else '?'}{query}", status_code=302)
