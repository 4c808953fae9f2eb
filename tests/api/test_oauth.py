"""Apps and OAuth 2: registration, the grants Mastodon clients use, scopes, revocation."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from starlette.testclient import TestClient

from gazouillis.oauth.service import digest
from gazouillis.oauth.tables import AccessToken
from gazouillis.storage import utcnow
from tests.conftest import PASSWORD


def test_app_registration_accepts_every_redirect_encoding(client: TestClient) -> None:
    r = client.post(
        "/api/v1/apps",
        json={"client_name": "x", "redirect_uris": ["https://a.example/cb", "urn:ietf:wg:oauth:2.0:oob"]},
    )
    assert r.status_code == 200
    body = r.json()
    assert body["redirect_uris"] == ["https://a.example/cb", "urn:ietf:wg:oauth:2.0:oob"]
    assert body["scopes"] == ["read"] and body["client_id"] and body["client_secret"]
    r = client.post(
        "/api/v1/apps",
        data={
            "client_name": "y",
            "redirect_uris": "https://a.example/1\nhttps://a.example/2",
            "scopes": "read write",
        },
    )
    assert r.json()["redirect_uris"] == ["https://a.example/1", "https://a.example/2"]


def test_app_registration_errors(client: TestClient) -> None:
    assert client.post("/api/v1/apps", data={"redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}).status_code == 400
    r = client.post("/api/v1/apps", data={"client_name": "x", "redirect_uris": "not a uri"})
    assert r.status_code == 422 and "Redirect URI" in r.json()["error"]
    r = client.post(
        "/api/v1/apps",
        data={
            "client_name": "x",
            "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
            "scopes": "read admin:everything",
        },
    )
    assert r.status_code == 422


def test_password_grant_with_email_or_username(
    client: TestClient, alice: Any, app_credentials: dict[str, str]
) -> None:
    for login in (alice.email, alice.username, alice.email.upper()):
        r = client.post(
            "/oauth/token",
            data={
                "grant_type": "password",
                "client_id": app_credentials["client_id"],
                "client_secret": app_credentials["client_secret"],
                "username": login,
                "password": PASSWORD,
                "scope": "read write follow push",
            },
        )
        assert r.status_code == 200, r.text
        token = r.json()
        assert token["scope"] == "read write follow push" and token["token_type"] == "Bearer"
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token["access_token"])


def test_password_grant_errors(client: TestClient, alice: Any, app_credentials: dict[str, str]) -> None:
    base = {
        "grant_type": "password",
        "client_id": app_credentials["client_id"],
        "client_secret": app_credentials["client_secret"],
        "username": alice.email,
        "password": PASSWORD,
    }
    r = client.post("/oauth/token", data=base | {"password": "wrong password!"})
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    r = client.post("/oauth/token", data=base | {"client_secret": "nope"})
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    r = client.post("/oauth/token", data=base | {"client_id": "unknown"})
    assert r.status_code == 401
    r = client.post("/oauth/token", data=base | {"scope": "read admin:read"})
    assert r.status_code == 400 and r.json()["error"] == "invalid_scope"
    r = client.post("/oauth/token", data=base | {"grant_type": "magic"})
    assert r.status_code == 400 and r.json()["error"] == "unsupported_grant_type"


def test_scope_beyond_app_registration_is_refused(client: TestClient, alice: Any) -> None:
    app = client.post(
        "/api/v1/apps",
        data={"client_name": "ro", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read"},
    ).json()
    r = client.post(
        "/oauth/token",
        data={
            "grant_type": "password",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "username": alice.email,
            "password": PASSWORD,
            "scope": "read write",
        },
    )
    assert r.status_code == 400 and r.json()["error"] == "invalid_scope"


def test_http_basic_client_authentication(
    client: TestClient, alice: Any, app_credentials: dict[str, str]
) -> None:
    basic = base64.b64encode(
        f"{app_credentials['client_id']}:{app_credentials['client_secret']}".encode()
    ).decode()
    r = client.post(
        "/oauth/token",
        headers={"Authorization": f"Basic {basic}"},
        data={"grant_type": "password", "username": alice.email, "password": PASSWORD, "scope": "read"},
    )
    assert r.status_code == 200, r.text


def test_scopes_are_enforced(make_user: Any) -> None:
    reader = make_user("reader", scope="read")
    r = reader.post("/api/v1/statuses", data={"status": "hello"})
    assert r.status_code == 403 and r.json()["error"] == "This action is outside the authorized scopes"
    assert reader.get("/api/v1/timelines/home").status_code == 200
    assert reader.get("/api/v1/timelines/public").status_code == 200


def test_missing_invalid_and_revoked_tokens(
    client: TestClient, alice: Any, app_credentials: dict[str, str]
) -> None:
    r = client.get("/api/v1/timelines/home")
    assert r.status_code == 401 and r.json()["error"] == "This method requires an authenticated user"
    r = client.get("/api/v1/timelines/home", headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401 and r.json()["error"] == "The access token is invalid"
    # A public endpoint with a bad token is refused too: a token, when given, must be valid.
    assert client.get("/api/v1/timelines/public", headers={"Authorization": "Bearer nope"}).status_code == 401
    r = client.post(
        "/oauth/revoke",
        data={
            "client_id": app_credentials["client_id"],
            "client_secret": app_credentials["client_secret"],
            "token": alice.token,
        },
    )
    assert r.status_code == 200 and r.json() == {}
    assert alice.get("/api/v1/accounts/verify_credentials").status_code == 401


def test_revoking_another_apps_token_is_refused(client: TestClient, alice: Any) -> None:
    other = client.post(
        "/api/v1/apps", data={"client_name": "o", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}
    ).json()
    r = client.post(
        "/oauth/revoke",
        data={"client_id": other["client_id"], "client_secret": other["client_secret"], "token": alice.token},
    )
    assert r.status_code == 403
    assert alice.get("/api/v1/accounts/verify_credentials").status_code == 200


def test_expired_token(client: TestClient, alice: Any, db: Any) -> None:
    with db.write() as session:
        session.execute(
            update(AccessToken)
            .where(AccessToken.token_digest == digest(alice.token))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    assert alice.get("/api/v1/accounts/verify_credentials").status_code == 401


def test_app_token_cannot_act_as_a_user(client: TestClient, app_credentials: dict[str, str]) -> None:
    token = client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": app_credentials["client_id"],
            "client_secret": app_credentials["client_secret"],
        },
    ).json()["access_token"]
    r = client.get("/api/v1/accounts/verify_credentials", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 422
    r = client.get("/api/v1/apps/verify_credentials", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.json()["name"] == "tests"


def _form_tokens(html: str) -> tuple[str, str]:
    form_token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    return form_token, csrf


def _authorize(
    client: TestClient,
    app: dict[str, str],
    redirect: str,
    *,
    login: str,
    password: str,
    extra: dict[str, str] | None = None,
) -> Any:
    params = {
        "response_type": "code",
        "client_id": app["client_id"],
        "redirect_uri": redirect,
        "scope": "read write",
        "state": "xyz",
    } | (extra or {})
    page = client.get("/oauth/authorize/", params=params)
    assert page.status_code == 200 and "Authorize" in page.text
    form_token, csrf = _form_tokens(page.text)
    return client.post(
        "/oauth/authorize",
        data={
            "form_token": form_token,
            "csrf_token": csrf,
            "login": login,
            "password": password,
            "decision": "approve",
        },
        follow_redirects=False,
    )


def test_authorization_code_flow_with_pkce(client: TestClient, alice: Any) -> None:
    app = client.post(
        "/api/v1/apps",
        data={"client_name": "web", "redirect_uris": "https://client.example/cb", "scopes": "read write"},
    ).json()
    verifier = "v" * 50
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    r = _authorize(
        client,
        app,
        "https://client.example/cb",
        login=alice.email,
        password=PASSWORD,
        extra={"code_challenge": challenge, "code_challenge_method": "S256"},
    )
    assert r.status_code == 302
    location = r.headers["location"]
    assert location.startswith("https://client.example/cb?") and "state=xyz" in location
    code = re.search(r"code=([^&]+)", location).group(1)  # type: ignore[union-attr]
    bad = client.post(
        "/oauth/token",
        json={
            "grant_type": "authorization_code",
            "client_id": app["client_id"],
            "code": code,
            "redirect_uri": "https://client.example/cb",
            "code_verifier": "wrong",
        },
    )
    assert bad.status_code == 400
    r = client.post(
        "/oauth/token",
        json={
            "grant_type": "authorization_code",
            "client_id": app["client_id"],
            "code": code,
            "redirect_uri": "https://client.example/cb",
            "code_verifier": verifier,
        },
    )
    assert r.status_code == 200, r.text
    token = r.json()["access_token"]
    assert (
        client.get(
            "/api/v1/accounts/verify_credentials", headers={"Authorization": f"Bearer {token}"}
        ).json()["username"]
        == "alice"
    )
    # A code works once.
    again = client.post(
        "/oauth/token",
        json={
            "grant_type": "authorization_code",
            "client_id": app["client_id"],
            "code": code,
            "redirect_uri": "https://client.example/cb",
            "code_verifier": verifier,
        },
    )
    assert again.status_code == 400


def test_authorize_oob_shows_the_code_and_wrong_password_is_shown_beside_the_form(
    client: TestClient, alice: Any, app_credentials: dict[str, str]
) -> None:
    r = _authorize(
        client, app_credentials, "urn:ietf:wg:oauth:2.0:oob", login=alice.email, password="bad password"
    )
    assert r.status_code == 422 and 'role="alert"' in r.text
    r = _authorize(
        client, app_credentials, "urn:ietf:wg:oauth:2.0:oob", login=alice.username, password=PASSWORD
    )
    assert r.status_code == 200
    code = re.search(r'<output class="code" id="code">([^<]+)</output>', r.text).group(1)  # type: ignore[union-attr]
    t = client.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "client_id": app_credentials["client_id"],
            "client_secret": app_credentials["client_secret"],
            "code": code,
            "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
        },
    )
    assert t.status_code == 200 and t.json()["scope"] == "read write"


def test_authorize_rejects_unknown_client_and_redirect(
    client: TestClient, app_credentials: dict[str, str]
) -> None:
    r = client.get(
        "/oauth/authorize",
        params={"response_type": "code", "client_id": "nope", "redirect_uri": "urn:ietf:wg:oauth:2.0:oob"},
    )
    assert r.status_code == 400
    r = client.get(
        "/oauth/authorize",
        params={
            "response_type": "code",
            "client_id": app_credentials["client_id"],
            "redirect_uri": "https://evil.example/",
        },
    )
    assert r.status_code == 400 and "redirect" in r.text.lower()


def test_denying_redirects_with_access_denied(client: TestClient, alice: Any) -> None:
    app = client.post(
        "/api/v1/apps", data={"client_name": "web", "redirect_uris": "https://client.example/cb"}
    ).json()
    page = client.get(
        "/oauth/authorize",
        params={
            "response_type": "code",
            "client_id": app["client_id"],
            "redirect_uri": "https://client.example/cb",
        },
    )
    form_token, csrf = _form_tokens(page.text)
    r = client.post(
        "/oauth/authorize",
        data={"form_token": form_token, "csrf_token": csrf, "decision": "deny"},
        follow_redirects=False,
    )
    assert r.status_code == 302 and "error=access_denied" in r.headers["location"]


def test_log_in_attempts_are_throttled(
    client: TestClient, alice: Any, app_credentials: dict[str, str]
) -> None:
    base = {
        "grant_type": "password",
        "client_id": app_credentials["client_id"],
        "client_secret": app_credentials["client_secret"],
        "username": alice.email,
    }
    for _ in range(5):
        assert client.post("/oauth/token", data=base | {"password": "not the password"}).status_code == 400
    r = client.post("/oauth/token", data=base | {"password": PASSWORD})
    assert r.status_code == 429 and "Too many failed log-in attempts" in r.json()["error"]
