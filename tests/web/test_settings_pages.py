"""Settings pages (preferences, profile, password, authorized apps), used as a browser would."""

from __future__ import annotations

import re
from typing import Any

from starlette.testclient import TestClient

from gazouillis.accounts import service as accounts
from gazouillis.storage import Database
from tests.conftest import PASSWORD
from tests.web.conftest import Browser

NEW_PASSWORD = "a much longer secret"


def _account(db: Database, username: str) -> Any:
    with db.read() as session:
        account = accounts.find_by_username(session, username)
        assert account is not None
        return account, accounts.get_user(session, account.id)


def _tag(html: str, element_id: str) -> str:
    """The opening tag of the element with this id."""
    found = re.search(rf'<(?:input|textarea|select)[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    assert found, f"no control #{element_id}"
    return found.group(0)


def assert_error_beside(html: str, element_id: str, words: str) -> None:
    """The control is marked invalid and points at an error paragraph that says ``words``."""
    tag = _tag(html, element_id)
    assert 'aria-invalid="true"' in tag, tag
    described = re.search(r'aria-describedby="([^"]*)"', tag)
    assert described and f"{element_id}-error" in described.group(1).split(), tag
    error = re.search(rf'<p class="error" id="{re.escape(element_id)}-error" role="alert">([^<]*)</p>', html)
    assert error and words in error.group(1), html


def assert_valid(html: str, element_id: str) -> None:
    assert 'aria-invalid="true"' not in _tag(html, element_id)


def submit(browser: Browser, path: str, data: dict[str, str] | None = None) -> Any:
    """Submit a form and look at the answer itself (a redirect is not followed)."""
    return browser.post(path, data, follow_redirects=False)


def _log_in(browser: Browser, login: str, password: str = PASSWORD) -> Any:
    browser.get("/auth/sign_in")
    return browser.post("/auth/sign_in", {"login": login, "password": password}, follow_redirects=True)


def _api_user(client: TestClient, username: str) -> dict[str, str]:
    """An OAuth app, and an API token from the password grant for ``username``."""
    app = client.post(
        "/api/v1/apps",
        data={
            "client_name": "Tootle",
            "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
            "scopes": "read write follow",
            "website": "https://tootle.example",
        },
    ).json()
    r = client.post(
        "/oauth/token",
        data={
            "grant_type": "password",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "username": f"{username}@example.org",
            "password": PASSWORD,
            "scope": "read write",
        },
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}", "app_id": app["id"]}


def test_settings_pages_need_sign_in(browser: Browser) -> None:
    for path in ("/settings", "/settings/profile", "/settings/password", "/settings/applications"):
        r = browser.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"/auth/sign_in?next={path}"


def test_settings_navigation(browser: Browser) -> None:
    browser.sign_up("alice")
    for path in ("/settings", "/settings/profile", "/settings/password", "/settings/applications"):
        html = browser.get(path).text
        assert html.count("<h1") == 1
        nav = re.search(r'<nav class="tabs settings-nav" aria-label="Settings">(.*?)</nav>', html, re.S)
        assert nav, html
        current = re.findall(r'<a href="([^"]+)" aria-current="page">', nav.group(1))
        assert current == [path]
        # Every control has its label.
        for control_id in re.findall(r'<(?:input|textarea|select) id="([^"]+)"', html):
            if control_id != "language-switch":
                assert f'<label for="{control_id}"' in html, control_id


def test_language_defaults_to_browser_and_is_saved(browser: Browser, make_browser: Any, db: Database) -> None:
    browser.client.headers["accept-language"] = "fr-FR,fr;q=0.9,en;q=0.5"
    browser.sign_up("alice")
    html = browser.get("/settings").text
    assert '<html lang="fr">' in html
    assert '<option value="fr" lang="fr" selected>' in html
    r = submit(browser, "/settings", {"language": "en", "default_visibility": "public"})
    assert r.status_code == 303 and r.headers["location"] == "/settings?saved=1"
    html = browser.get("/settings?saved=1").text
    assert '<html lang="en">' in html and 'role="status"' in html
    assert '<option value="en" lang="en" selected>' in html
    assert _account(db, "alice")[1].locale == "en"
    # The stored language wins over the browser's, in any browser the member logs in from.
    other = make_browser()
    other.client.headers["accept-language"] = "fr"
    _log_in(other, "alice")
    assert '<html lang="en">' in other.get("/settings").text
    # An unknown language is refused beside its field, and nothing is saved.
    r = submit(browser, "/settings", {"language": "xx", "locked": "1", "default_visibility": "public"})
    assert r.status_code == 422
    assert_error_beside(r.text, "language", "Choose one of the languages offered.")
    assert _account(db, "alice")[0].locked is False


def test_locked_account_and_default_visibility(browser: Browser, db: Database) -> None:
    browser.sign_up("alice")
    assert 'id="locked" name="locked" value="1" aria-' in browser.get("/settings").text  # unchecked
    r = submit(browser, "/settings", {"language": "en", "locked": "1", "default_visibility": "private"})
    assert r.status_code == 303
    account, user = _account(db, "alice")
    assert account.locked is True and user.default_visibility == "private"
    html = browser.get("/settings").text
    assert 'id="locked" name="locked" value="1" checked' in html
    assert '<option value="private" selected>' in html
    # A visibility that does not exist: the error is beside the field and the lock is left as it was.
    r = submit(browser, "/settings", {"language": "en", "default_visibility": "everyone"})
    assert r.status_code == 422
    assert_error_beside(r.text, "default_visibility", "Choose one of the visibilities offered.")
    account, user = _account(db, "alice")
    assert account.locked is True and user.default_visibility == "private"
    # Unticked checkbox (absent from the form): unlocked.
    submit(browser, "/settings", {"language": "en", "default_visibility": "private"})
    assert _account(db, "alice")[0].locked is False


def test_unlocking_in_settings_accepts_pending_requests(
    browser: Browser, make_user: Any, db: Database
) -> None:
    browser.sign_up("alice")
    submit(browser, "/settings", {"language": "en", "locked": "1", "default_visibility": "public"})
    alice_id = _account(db, "alice")[0].id
    bob, carol = make_user("bob"), make_user("carol")
    for follower in (bob, carol):
        assert follower.post(f"/api/v1/accounts/{alice_id}/follow").json()["requested"] is True
    submit(browser, "/settings", {"language": "en", "default_visibility": "public"})
    for follower in (bob, carol):
        rel = follower.get("/api/v1/accounts/relationships", params={"id": alice_id}).json()[0]
        assert rel["following"] is True and rel["requested"] is False
    assert _account(db, "alice")[0].followers_count == 2


def _profile_form(**overrides: str) -> dict[str, str]:
    form = {
        "display_name": "Alice Liddell",
        "note": "Curious & curiouser",
        "website": "https://alice.example",
        "fields-0-name": "Pronouns",
        "fields-0-value": "she/her",
        "fields-1-name": "",
        "fields-1-value": "",
        "fields-2-name": "",
        "fields-2-value": "",
        "fields-3-name": "Town",
        "fields-3-value": "Oxford",
        "bot": "1",
    }
    return form | overrides


def test_edit_profile(browser: Browser, client: TestClient, db: Database) -> None:
    browser.sign_up("alice")
    html = browser.get("/settings/profile").text
    assert all(f'id="fields-{i}-name"' in html for i in range(4))
    r = submit(browser, "/settings/profile", _profile_form())
    assert r.status_code == 303 and r.headers["location"] == "/settings/profile?saved=1"
    account, _ = _account(db, "alice")
    assert account.display_name == "Alice Liddell" and account.note == "Curious & curiouser"
    assert account.website == "https://alice.example" and account.bot is True
    assert account.fields == [{"name": "Pronouns", "value": "she/her"}, {"name": "Town", "value": "Oxford"}]
    html = browser.get("/settings/profile?saved=1").text
    assert '<p class="notice" role="status">' in html
    assert 'value="Alice Liddell"' in html and ">Curious &amp; curiouser</textarea>" in html
    assert 'id="fields-1-name" name="fields-1-name" type="text" autocomplete="off" value="Town"' in html
    assert 'id="bot" name="bot" value="1" checked' in html
    entity = client.get(f"/api/v1/accounts/{account.id}").json()
    assert entity["display_name"] == "Alice Liddell" and entity["bot"] is True
    # Unticking the bot box and emptying a row.
    submit(browser, "/settings/profile", _profile_form(bot="", **{"fields-3-name": "", "fields-3-value": ""}))
    account, _ = _account(db, "alice")
    assert account.bot is False and account.fields == [{"name": "Pronouns", "value": "she/her"}]


def test_profile_errors_are_beside_their_fields_and_change_nothing(browser: Browser, db: Database) -> None:
    browser.sign_up("alice")
    submit(browser, "/settings/profile", _profile_form())
    cases = {
        "display_name": ("x" * 31, "Your display name is too long: use at most 30 characters."),
        "note": ("y" * 501, "Your bio is too long: use at most 500 characters."),
        "website": ("ftp://alice.example", "Enter a web address that starts with http:// or https://."),
        "fields-2-value": ("z" * 256, "This content is too long: use at most 255 characters."),
        "fields-1-name": ("w" * 256, "This label is too long: use at most 255 characters."),
    }
    for field, (value, message) in cases.items():
        r = submit(browser, "/settings/profile", _profile_form(**{"display_name": "Changed", field: value}))
        assert r.status_code == 422, field
        assert_error_beside(r.text, field, message)
        for other in cases.keys() - {field}:
            assert_valid(r.text, other)
        assert value in r.text  # what was typed is kept
        assert 'value="Changed"' in r.text or field == "display_name"
        account, _ = _account(db, "alice")
        assert account.display_name == "Alice Liddell" and account.website == "https://alice.example", field
    # Several at once: each beside its own field.
    r = submit(browser, "/settings/profile", _profile_form(display_name="x" * 31, website="alice.example"))
    assert_error_beside(r.text, "display_name", "at most 30 characters")
    assert_error_beside(r.text, "website", "http://")


def test_change_password_errors(browser: Browser, db: Database) -> None:
    browser.sign_up("alice")
    old_hash = _account(db, "alice")[1].password_hash
    cases = [
        ({"current_password": "wrong password"}, "current_password", "This is not your current password."),
        ({"password": "short", "password_confirmation": "short"}, "password", "Password is too short"),
        ({"password": "password123", "password_confirmation": "password123"}, "password", "too easy"),
        ({"password_confirmation": "a much longer secreT"}, "password_confirmation", "are different"),
    ]
    for overrides, field, message in cases:
        form = {"current_password": PASSWORD, "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD}
        r = submit(browser, "/settings/password", form | overrides)
        assert r.status_code == 422, field
        assert_error_beside(r.text, field, message)
        assert NEW_PASSWORD not in r.text  # passwords are never sent back
        assert _account(db, "alice")[1].password_hash == old_hash
    # Wrong current password and too weak a new one: both said at once.
    r = submit(
        browser,
        "/settings/password",
        {"current_password": "nope", "password": "x", "password_confirmation": "x"},
    )
    assert_error_beside(r.text, "current_password", "not your current password")
    assert_error_beside(r.text, "password", "too short")


def test_change_password_keeps_this_session_and_signs_out_the_others(
    browser: Browser, make_browser: Any, client: TestClient
) -> None:
    browser.sign_up("alice")
    other = make_browser()
    _log_in(other, "alice")
    assert other.get("/settings", follow_redirects=False).status_code == 200
    r = submit(
        browser,
        "/settings/password",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD},
    )
    assert r.status_code == 303 and r.headers["location"] == "/settings/password?saved=1"
    html = browser.get("/settings/password?saved=1").text
    assert "Your password has been changed." in html and 'role="status"' in html
    assert browser.get("/settings", follow_redirects=False).status_code == 200
    r = other.get("/settings", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/auth/sign_in")
    # The old password no longer opens the account; the new one does.
    assert _log_in(other, "alice").url.path == "/auth/sign_in"
    assert _log_in(other, "alice", NEW_PASSWORD).url.path == "/"
    assert other.get("/settings", follow_redirects=False).status_code == 200


def test_authorized_apps_and_revoking(browser: Browser, client: TestClient, make_browser: Any) -> None:
    browser.sign_up("alice")
    assert "No application can use your account." in browser.get("/settings/applications").text
    alice = _api_user(client, "alice")
    app_id = alice.pop("app_id")
    bob_browser = make_browser()
    bob_browser.sign_up("bob")
    bob = _api_user(client, "bob")
    bob.pop("app_id")
    assert client.get("/api/v1/accounts/verify_credentials", headers=alice).status_code == 200
    html = browser.get("/settings/applications").text
    assert '<a href="https://tootle.example" rel="noopener nofollow">Tootle</a>' in html
    assert "<code>read</code>, <code>write</code>" in html and "<time datetime=" in html
    assert f'action="/settings/applications/{app_id}/revoke"' in html
    r = submit(browser, f"/settings/applications/{app_id}/revoke")
    assert r.status_code == 303 and r.headers["location"] == "/settings/applications"
    assert client.get("/api/v1/accounts/verify_credentials", headers=alice).status_code == 401
    html = browser.get("/settings/applications").text
    assert "Tootle can no longer use your account." in html and 'role="status"' in html
    assert "No application can use your account." in html
    # The message is shown once; other members' tokens for the same app keep working.
    assert "can no longer use" not in browser.get("/settings/applications").text
    assert client.get("/api/v1/accounts/verify_credentials", headers=bob).status_code == 200
    assert "Tootle" in bob_browser.get("/settings/applications").text
    assert submit(browser, "/settings/applications/123456/revoke").status_code == 404
    assert submit(browser, "/settings/applications/abc/revoke").status_code == 404


def test_application_website_is_linked_only_when_it_is_a_web_address(
    browser: Browser, client: TestClient
) -> None:
    browser.sign_up("alice")
    app = client.post(
        "/api/v1/apps",
        data={
            "client_name": "Sly",
            "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
            "website": "javascript:alert(1)",
        },
    ).json()
    r = client.post(
        "/oauth/token",
        data={
            "grant_type": "password",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "username": "alice@example.org",
            "password": PASSWORD,
        },
    )
    assert r.status_code == 200
    html = browser.get("/settings/applications").text
    assert "<h2>Sly</h2>" in html and "javascript:" not in html


def test_settings_forms_need_the_csrf_token(browser: Browser, db: Database) -> None:
    browser.sign_up("alice")
    r = browser.client.post(
        "/settings", data={"language": "en", "locked": "1", "default_visibility": "public"}
    )
    assert r.status_code == 403
    assert _account(db, "alice")[0].locked is False
