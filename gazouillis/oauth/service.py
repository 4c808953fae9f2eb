"""OAuth 2: registering applications, issuing and checking tokens, authorization codes with PKCE."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from urllib.parse import urlsplit

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session

from gazouillis.accounts.service import check_can_log_in
from gazouillis.accounts.tables import User
from gazouillis.errors import Invalid, Unauthorized
from gazouillis.hot import HotStatement
from gazouillis.ids import new_id
from gazouillis.oauth import scopes as sc
from gazouillis.oauth.memo import memo_of
from gazouillis.oauth.tables import AccessToken, Application, AuthorizationCode
from gazouillis.storage import Database, utcnow

OOB = "urn:ietf:wg:oauth:2.0:oob"
CODE_LIFETIME = timedelta(minutes=10)


class OAuthError(Exception):
    """An RFC 6749 error: ``error`` is the code (invalid_grant…), ``description`` the human text."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _valid_redirect(uri: str) -> bool:
    if uri == OOB:
        return True
    parts = urlsplit(uri)
    # Native apps use custom schemes (myapp://callback); only a fragment or a missing scheme is refused.
    return (
        bool(parts.scheme)
        and not parts.fragment
        and (bool(parts.netloc) or parts.scheme not in ("http", "https"))
    )


def register_app(
    session: Session, *, name: str, redirect_uris: list[str], scopes: str | None, website: str | None
) -> Application:
    """Register a client application (``POST /api/v1/apps``)."""
    name = name.strip()
    if not name:
        raise Invalid("Validation failed: Application name can't be blank")
    if len(name) > 200:
        raise Invalid("Validation failed: Application name is too long (maximum is 200 characters)")
    uris = [u.strip() for u in redirect_uris if u.strip()]
    if not uris:
        raise Invalid("Validation failed: Redirect URI can't be blank")
    if not all(_valid_redirect(u) for u in uris):
        raise Invalid("Validation failed: Redirect URI must be an absolute URI.")
    wanted = sc.parse(scopes)
    if sc.unknown(wanted):
        raise Invalid(f"Validation failed: Scopes are not valid: {' '.join(sc.unknown(wanted))}")
    app = Application(
        id=new_id(),
        name=name,
        website=(website or "").strip() or None,
        redirect_uris="\n".join(uris),
        scopes=" ".join(wanted),
        client_id=secrets.token_urlsafe(32),
        client_secret=secrets.token_urlsafe(32),
    )
    session.add(app)
    session.flush()
    return app


def authenticate_client(
    session: Session, client_id: str | None, client_secret: str | None, *, secret_required: bool = True
) -> Application:
    app = session.scalar(select(Application).where(Application.client_id == (client_id or "")))
    if app is None:
        raise OAuthError("invalid_client", "Client authentication failed due to unknown client.", 401)
    if (secret_required or client_secret) and not hmac.compare_digest(app.client_secret, client_secret or ""):
        raise OAuthError("invalid_client", "Client authentication failed due to bad client secret.", 401)
    return app


def grant_scopes(app: Application, requested: str | None) -> list[str]:
    """The scopes to grant: the ones requested (or the app's own), all within the app's registration."""
    wanted = sc.parse(requested, default=app.scopes)
    if sc.unknown(wanted) or not sc.subset(wanted, app.scopes.split()):
        raise OAuthError("invalid_scope", "The requested scope is invalid, unknown, or malformed.")
    return wanted


def check_redirect(app: Application, redirect_uri: str | None) -> str:
    uri = redirect_uri or ""
    if uri not in app.redirect_uris.split("\n"):
        raise OAuthError("invalid_grant", "The redirect URI included is not valid.")
    return uri


@dataclass(frozen=True)
class IssuedToken:
    token: str
    row: AccessToken


def issue_token(
    session: Session, *, app: Application, account_id: int | None, scopes: list[str], lifetime: int = 0
) -> IssuedToken:
    token = secrets.token_urlsafe(32)  # URL-safe: web clients send it as a WebSocket sub-protocol
    row = AccessToken(
        id=new_id(),
        token_digest=digest(token),
        application_id=app.id,
        account_id=account_id,
        scopes=" ".join(scopes),
        expires_at=utcnow() + timedelta(seconds=lifetime) if lifetime else None,
    )
    session.add(row)
    session.flush()
    return IssuedToken(token=token, row=row)


def create_code(
    session: Session,
    *,
    app: Application,
    account_id: int,
    redirect_uri: str,
    scopes: list[str],
    code_challenge: str | None,
    code_challenge_method: str | None,
) -> str:
    if code_challenge and (code_challenge_method or "plain") != "S256":
        raise OAuthError("invalid_request", "Only the S256 code challenge method is supported.")
    code = secrets.token_urlsafe(32)
    session.add(
        AuthorizationCode(
            id=new_id(),
            code_digest=digest(code),
            application_id=app.id,
            account_id=account_id,
            redirect_uri=redirect_uri,
            scopes=" ".join(scopes),
            code_challenge=code_challenge or None,
            code_challenge_method="S256" if code_challenge else None,
            expires_at=utcnow() + CODE_LIFETIME,
        )
    )
    session.flush()
    return code


def redeem_code(
    session: Session, *, app: Application, code: str, redirect_uri: str | None, code_verifier: str | None
) -> AuthorizationCode:
    """Exchange a code once: it must be this app's, unexpired, unused, for this redirect and verifier."""
    row = session.scalar(select(AuthorizationCode).where(AuthorizationCode.code_digest == digest(code or "")))
    if row is None or row.application_id != app.id or row.used or row.expires_at < utcnow():
        raise OAuthError(
            "invalid_grant",
            "The provided authorization grant is invalid, expired, revoked, or was issued to another client.",
        )
    if redirect_uri is not None and redirect_uri != row.redirect_uri:
        raise OAuthError(
            "invalid_grant", "The redirect URI does not match the one used in the authorization request."
        )
    if row.code_challenge:
        expected = base64.urlsafe_b64encode(hashlib.sha256((code_verifier or "").encode()).digest()).rstrip(
            b"="
        )
        if not hmac.compare_digest(expected.decode(), row.code_challenge):
            raise OAuthError("invalid_grant", "The code verifier does not match the code challenge.")
    row.used = True
    user = session.get(User, row.account_id)
    if user is not None:
        check_can_log_in(user)
    return row


@dataclass(frozen=True)
class TokenInfo:
    """What a valid access token allows."""

    token_id: int
    application_id: int
    account_id: int | None
    scopes: list[str]


def check_token(db: Database, token: str) -> TokenInfo:
    """The token's grant; Unauthorized if unknown, revoked or expired, Forbidden if the login is disabled.

    Remembered where the instance keeps pages (:mod:`.memo`): :func:`known_token` then answers alone."""
    memo = memo_of(db.info)
    ticket = memo.ticket() if memo is not None else None
    # Every API request starts here: one query, built once, reads the token and its user's state.
    key = digest(token)
    rows = _token_statement().once(db.read_engine, {"digest": key})
    row = rows[0] if rows else None
    if (
        row is None
        or row.revoked_at is not None
        or (row.expires_at is not None and row.expires_at < utcnow())
    ):
        raise Unauthorized("The access token is invalid")
    if row.disabled is not None:  # a user's token (app-only tokens and accounts without login have none)
        check_can_log_in(row)
    info = TokenInfo(
        token_id=row.id,
        application_id=row.application_id,
        account_id=row.account_id,
        # The same few names for every token: one string each where checks are remembered (.memo).
        scopes=[sys.intern(s) for s in row.scopes.split()],
    )
    if memo is not None and ticket is not None:
        memo.keep(key, info, row.expires_at, ticket)
    return info


def known_token(db: Database, token: str) -> TokenInfo | None:
    """The grant of ``token`` if a check of it still holds as of the change log read last (the caller
    read it), without a query; None when it must be checked (:func:`check_token`)."""
    memo = memo_of(db.info)
    return memo.known(digest(token)) if memo is not None else None


@cache
def _token_statement() -> HotStatement:
    tokens, users = AccessToken.__table__, User.__table__
    return HotStatement(
        select(
            tokens.c.id,
            tokens.c.application_id,
            tokens.c.account_id,
            tokens.c.scopes,
            tokens.c.expires_at,
            tokens.c.revoked_at,
            users.c.disabled,
            users.c.approved,
        )
        .outerjoin(users, users.c.account_id == tokens.c.account_id)
        .where(tokens.c.token_digest == bindparam("digest"))
    )


def revoke(session: Session, *, app: Application, token: str) -> None:
    """Revoke ``token`` if it belongs to ``app``; an unknown token is fine (RFC 7009)."""
    row = session.scalar(select(AccessToken).where(AccessToken.token_digest == digest(token)))
    if row is None:
        return
    if row.application_id != app.id:
        raise OAuthError("unauthorized_client", "You are not authorized to revoke this token", 403)
    row.revoked_at = utcnow()


def revoke_by_id(session: Session, *, account_id: int, application_id: int) -> None:
    """Revoke every token an account gave one application (settings, "authorized apps")."""
    session.execute(
        update(AccessToken)
        .where(
            AccessToken.account_id == account_id,
            AccessToken.application_id == application_id,
            AccessToken.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )


@dataclass(frozen=True)
class AuthorizedApplication:
    """An application that can act for an account now (settings, "authorized apps")."""

    id: int
    name: str
    website: str | None
    scopes: list[str]
    authorized_at: datetime  # the most recent grant


def authorized_applications(session: Session, account_id: int) -> list[AuthorizedApplication]:
    """Applications holding a live (unrevoked, unexpired) token for the account, most recently authorized
    first; an app authorized several times shows once, with every scope its tokens carry."""
    rows = session.execute(
        select(AccessToken, Application)
        .join(Application, Application.id == AccessToken.application_id)
        .where(
            AccessToken.account_id == account_id,
            AccessToken.revoked_at.is_(None),
            or_(AccessToken.expires_at.is_(None), AccessToken.expires_at > utcnow()),
        )
        .order_by(AccessToken.created_at)
    ).all()
    apps: dict[int, Application] = {}
    scopes: dict[int, dict[str, None]] = {}
    latest: dict[int, datetime] = {}
    for token, app in rows:
        apps[app.id] = app
        scopes.setdefault(app.id, {}).update(dict.fromkeys(token.scopes.split()))
        latest[app.id] = token.created_at
    found = [
        AuthorizedApplication(
            id=app.id, name=app.name, website=app.website, scopes=list(scopes[i]), authorized_at=latest[i]
        )
        for i, app in apps.items()
    ]
    return sorted(found, key=lambda a: a.authorized_at, reverse=True)


def get_application(session: Session, application_id: int) -> Application | None:
    return session.get(Application, application_id)
