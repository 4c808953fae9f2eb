"""Sign up, log in, home, compose with its counter, post actions, CSRF, language and security headers."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from tests.conftest import PASSWORD
from tests.web.conftest import Browser


def _count_posts(client: TestClient) -> int:
    return client.get("/api/v1/instance").json()["stats"]["status_count"]


def test_landing_for_visitors_shows_the_public_timeline(browser: Browser, make_user: Any) -> None:
    make_user("poster").status("hello visitors")
    make_user("secret").status("not for visitors", visibility="private")
    page = browser.get("/")
    assert page.status_code == 200
    assert "hello visitors" in page.text and "not for visitors" not in page.text
    assert 'href="/auth/sign_up"' in page.text and 'href="/auth/sign_in"' in page.text


def test_sign_up_errors_are_shown_beside_the_field_and_change_nothing(
    browser: Browser, make_user: Any
) -> None:
    make_user("taken")
    browser.get("/auth/sign_up")
    before = _count_users(browser.client)
    r = browser.post("/auth/sign_up", {"username": "TAKEN", "email": "bad", "password": "123"})
    assert r.status_code == 422
    assert 'id="username-error"' in r.text and "already taken" in r.text
    assert 'id="email-error"' in r.text and 'id="password-error"' in r.text
    assert 'aria-invalid="true"' in r.text and 'value="TAKEN"' in r.text
    assert _count_users(browser.client) == before


def _count_users(client: TestClient) -> int:
    return client.get("/api/v1/instance").json()["stats"]["user_count"]


def test_sign_up_then_post_then_log_out_and_in(browser: Browser) -> None:
    home = browser.sign_up("newbie")
    assert (
        home.status_code == 200
        and 'id="compose"' in home.text
        and "@newbie" in home.text
        or "/@newbie" in home.text
    )
    r = browser.post(
        "/statuses", {"status": "my first post #hello", "visibility": "public"}, follow_redirects=True
    )
    assert "my first post" in r.text and 'class="mention hashtag"' in r.text
    browser.post("/auth/sign_out", follow_redirects=True)
    assert 'id="compose"' not in browser.get("/").text
    r = browser.post("/auth/sign_in", {"login": "newbie", "password": "wrong password"})
    assert r.status_code == 422 and 'role="alert"' in r.text and 'value="newbie"' in r.text
    r = browser.post(
        "/auth/sign_in", {"login": "newbie@example.org", "password": PASSWORD}, follow_redirects=True
    )
    assert 'id="compose"' in r.text and "my first post" in r.text


def test_log_in_is_throttled(browser: Browser, make_user: Any) -> None:
    make_user("victim")
    browser.get("/auth/sign_in")
    for _ in range(5):
        browser.post("/auth/sign_in", {"login": "victim", "password": "guess guess"})
    r = browser.post("/auth/sign_in", {"login": "victim", "password": PASSWORD})
    assert r.status_code == 429 and "Too many failed log-in attempts" in r.text


def test_compose_errors_and_counter(browser: Browser) -> None:
    browser.sign_up("writer")
    before = _count_posts(browser.client)
    r = browser.post("/statuses", {"status": "x" * 281})
    assert r.status_code == 422 and 'id="status-error"' in r.text and "x" * 281 in r.text
    htmx = {"HX-Request": "true"}
    r = browser.post("/statuses", {"status": "   "}, headers=htmx)
    assert r.status_code == 422 and r.headers["hx-retarget"] == "#compose" and "<html" not in r.text
    assert _count_posts(browser.client) == before
    r = browser.post("/statuses/count", {"status": "x" * 281}, headers=htmx)
    assert ">-1</output>" in r.text and "disabled" in r.text
    r = browser.post("/statuses/count", {"status": "see https://example.org/" + "a" * 200}, headers=htmx)
    assert ">253</output>" in r.text  # 4 + 23 for the URL, as the server counts it
    r = browser.post("/statuses", {"status": "in place"}, headers=htmx)
    assert r.status_code == 200 and 'class="post"' in r.text and 'hx-swap-oob="true"' in r.text


def test_actions_in_place_and_without_javascript(browser: Browser, make_browser: Any, drain: Any) -> None:
    browser.sign_up("author")
    browser.post("/statuses", {"status": "act on me"})
    other = make_browser()
    other.sign_up("fan")
    post_id = other.get("/public").text.split('id="post-')[1].split('"')[0]
    r = other.post(f"/statuses/{post_id}/favourite", {"view": post_id}, headers={"HX-Request": "true"})
    assert (
        r.status_code == 200
        and "<html" not in r.text
        and f'action="/statuses/{post_id}/unfavourite"' in r.text
    )
    r = other.post(f"/statuses/{post_id}/reblog", {"next": "/public"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/public"
    api = other.client.get(f"/api/v1/statuses/{post_id}").json()
    assert api["favourites_count"] == 1 and api["reblogs_count"] == 1


def test_delete_asks_for_confirmation_without_javascript(browser: Browser) -> None:
    browser.sign_up("deleter")
    browser.post("/statuses", {"status": "regrettable"})
    post_id = browser.get("/").text.split('id="post-')[1].split('"')[0]
    r = browser.post(f"/statuses/{post_id}/delete", {"next": "/"})
    assert r.status_code == 200 and 'name="confirmed"' in r.text
    assert browser.client.get(f"/api/v1/statuses/{post_id}").status_code == 200
    browser.post(f"/statuses/{post_id}/delete", {"confirmed": "1", "next": "/"})
    assert browser.client.get(f"/api/v1/statuses/{post_id}").status_code == 404


def test_forms_without_a_valid_csrf_token_change_nothing(browser: Browser) -> None:
    browser.sign_up("guarded")
    before = _count_posts(browser.client)
    r = browser.client.post("/statuses", data={"status": "forged"})
    assert r.status_code == 403
    r = browser.client.post("/statuses", data={"status": "forged", "csrf_token": "wrong"})
    assert r.status_code == 403
    assert _count_posts(browser.client) == before


def test_language_negotiation_and_switch(browser: Browser) -> None:
    assert '<html lang="fr">' in browser.get("/", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"}).text
    assert '<html lang="en">' in browser.get("/", headers={"Accept-Language": "de, en;q=0.8"}).text
    browser.post("/settings/language", {"language": "fr", "next": "/"})
    assert '<html lang="fr">' in browser.get("/", headers={"Accept-Language": "en"}).text
    browser.post("/settings/language", {"language": "en", "next": "/"})
    assert '<html lang="en">' in browser.get("/").text


def test_security_headers_and_cookie(browser: Browser) -> None:
    r = browser.get("/auth/sign_in")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert "<script>" not in r.text and " onclick=" not in r.text
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie


def test_every_asset_is_served_by_the_instance(browser: Browser) -> None:
    page = browser.get("/").text
    for needle in ("https://", "http://", "//cdn"):
        assets = [
            line for line in page.splitlines() if ("src=" in line or "stylesheet" in line) and needle in line
        ]
        assert not assets, assets
    assert browser.get("/static/vendor/htmx.org/htmx.min.js").status_code == 200
    assert browser.get("/static/app.css").status_code == 200
