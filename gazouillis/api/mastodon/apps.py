"""Client applications and OAuth tokens: /api/v1/apps, /oauth/token, /oauth/revoke."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from gazouillis.accounts.service import log_in
from gazouillis.api.http import Ctx
from gazouillis.errors import Forbidden, Invalid, NotFound
from gazouillis.oauth import service as oauth
from gazouillis.oauth.tables import Application


def application_entity(app: Application, *, credentials: bool = False) -> dict[str, Any]:
    uris = app.redirect_uris.split("\n")
    entity: dict[str, Any] = {
        "id": str(app.id),
        "name": app.name,
        "website": app.website,
        "scopes": app.scopes.split(),
        "redirect_uris": uris,
        "redirect_uri": app.redirect_uris,
        "vapid_key": "",
    }
    if credentials:
        entity |= {
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "client_secret_expires_at": 0,
        }
    return entity


def create_app(ctx: Ctx) -> dict[str, Any]:
    p = ctx.params
    raw_uris = p.raw("redirect_uris")
    uris = raw_uris if isinstance(raw_uris, list) else (p.str("redirect_uris") or "").split("\n")
    with ctx.db.write() as session:
        app = oauth.register_app(
            session,
            name=p.required("client_name"),
            redirect_uris=[str(u) for u in uris],
            scopes=p.str("scopes"),
            website=p.str("website"),
        )
    return application_entity(app, credentials=True)


def verify_app(ctx: Ctx) -> dict[str, Any]:
    assert ctx.token is not None
    with ctx.db.read() as session:
        app = oauth.get_application(session, ctx.token.application_id)
    if app is None:
        raise NotFound()
    return application_entity(app)


def _client_credentials(ctx: Ctx) -> tuple[str | None, str | None]:
    """Client id and secret from the body or from HTTP Basic authentication."""
    header = ctx.request.headers.get("authorization", "")
    if header[:6].lower() == "basic ":
        try:
            client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise oauth.OAuthError("invalid_client", "Malformed HTTP Basic credentials.", 401) from exc
        return client_id, secret
    return ctx.params.str("client_id"), ctx.params.str("client_secret")


def token(ctx: Ctx) -> dict[str, Any]:
    p = ctx.params
    grant = p.str("grant_type") or ""
    client_id, client_secret = _client_credentials(ctx)
    lifetime = ctx.settings.token_lifetime
    account = None
    if grant == "password":
        with ctx.db.read() as session:
            oauth.grant_scopes(oauth.authenticate_client(session, client_id, client_secret), p.str("scope"))
        try:
            account = log_in(
                ctx.db,
                login=p.str("username") or "",
                password=p.str("password") or "",
                address=ctx.client_address,
            )
        except (Invalid, Forbidden) as exc:  # throttling (429) is not a grant error and passes through
            raise oauth.OAuthError("invalid_grant", exc.message) from exc
    with ctx.db.write() as session:
        if account is not None:
            app = oauth.authenticate_client(session, client_id, client_secret)
            granted = oauth.grant_scopes(app, p.str("scope"))
            issued = oauth.issue_token(
                session, app=app, account_id=account.id, scopes=granted, lifetime=lifetime
            )
        elif grant == "authorization_code":
            # PKCE clients may leave the secret out; the code verifier then proves who they are.
            app = oauth.authenticate_client(
                session, client_id, client_secret, secret_required=not p.str("code_verifier")
            )
            code = oauth.redeem_code(
                session,
                app=app,
                code=p.str("code") or "",
                redirect_uri=p.str("redirect_uri"),
                code_verifier=p.str("code_verifier"),
            )
            issued = oauth.issue_token(
                session, app=app, account_id=code.account_id, scopes=code.scopes.split(), lifetime=lifetime
            )
        elif grant == "client_credentials":
            app = oauth.authenticate_client(session, client_id, client_secret)
            issued = oauth.issue_token(
                session, app=app, account_id=None, scopes=oauth.grant_scopes(app, p.str("scope"))
            )
        else:
            raise oauth.OAuthError("unsupported_grant_type", "The authorization grant type is not supported.")
    response: dict[str, Any] = {
        "access_token": issued.token,
        "token_type": "Bearer",
        "scope": issued.row.scopes,
        "created_at": int(issued.row.created_at.timestamp()),
    }
    if issued.row.expires_at is not None:
        response["expires_in"] = lifetime
    return response


def revoke(ctx: Ctx) -> dict[str, Any]:
    client_id, client_secret = _client_credentials(ctx)
    with ctx.db.write() as session:
        app = oauth.authenticate_client(session, client_id, client_secret)
        oauth.revoke(session, app=app, token=ctx.params.str("token") or "")
    return {}
