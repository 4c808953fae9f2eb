"""Pages: mute and block from a profile (no JavaScript), the settings lists, and keyword filters."""

from __future__ import annotations

from typing import Any

from tests.conftest import User
from tests.web.conftest import Browser
from tests.web.helpers import post_ids, sign_in


def test_block_from_a_profile_with_confirmation_then_undo(browser: Browser, alice: User, bob: User) -> None:
    bobs = bob.status("bob on his own")
    sign_in(browser, "alice")
    profile = browser.get("/@bob").text
    assert 'href="/@bob/block"' in profile and 'action="/@bob/mute"' in profile
    confirm = browser.get("/@bob/block")
    assert confirm.status_code == 200 and "Block @bob?" in confirm.text
    r = browser.post("/@bob/block", {"next": "/@bob"}, follow_redirects=True)
    assert r.status_code == 200 and 'action="/@bob/unblock"' in r.text
    assert alice.get(f"/api/v1/accounts/relationships?id[]={bob.id}").json()[0]["blocking"] is True
    assert bobs["id"] not in post_ids(browser.get("/public").text)
    assert browser.get(f"/@bob/{bobs['id']}").status_code == 404
    blocks = browser.get("/settings/blocks").text
    assert "@bob" in blocks and 'href="/settings/blocks"' in blocks
    r = browser.post("/@bob/unblock", {"next": "/settings/blocks"}, follow_redirects=True)
    assert "You have not blocked anybody." in r.text
    assert bobs["id"] in post_ids(browser.get("/public").text)


def test_mute_with_a_duration_and_notifications_choice(browser: Browser, alice: User, bob: User) -> None:
    bobs = bob.status("bob chatting")
    sign_in(browser, "alice")
    browser.get("/@bob")
    r = browser.post("/@bob/mute", {"duration": "86400", "next": "/@bob"}, follow_redirects=True)
    assert 'action="/@bob/unmute"' in r.text and "Muted until" in r.text
    rel = alice.get(f"/api/v1/accounts/relationships?id[]={bob.id}").json()[0]
    assert rel["muting"] is True and rel["muting_notifications"] is False and rel["muting_expires_at"]
    assert bobs["id"] not in post_ids(browser.get("/public").text)
    mutes = browser.get("/settings/mutes").text
    assert "@bob" in mutes and "Notifications still shown" in mutes
    # A duration not offered is taken as "until I unmute", never as an error.
    browser.post("/@bob/mute", {"duration": "42", "notifications": "1"})
    rel = alice.get(f"/api/v1/accounts/relationships?id[]={bob.id}").json()[0]
    assert rel["muting_expires_at"] is None and rel["muting_notifications"] is True
    browser.post("/@bob/unmute", {"next": "/settings/mutes"})
    assert "You have not muted anybody." in browser.get("/settings/mutes").text


def test_filters_create_edit_delete_and_errors_beside_fields(
    browser: Browser, alice: User, bob: User
) -> None:
    spoiler = bob.status("The finale was great")
    plain = bob.status("Nothing special")
    sign_in(browser, "alice")
    assert 'href="/settings/filters"' in browser.get("/settings").text
    r = browser.post("/settings/filters", {"title": "", "new_keyword-0": "finale"})
    assert r.status_code == 422
    assert 'id="title-error"' in r.text and 'id="context-error"' in r.text
    assert 'value="finale"' in r.text  # what was typed stays
    assert alice.get("/api/v2/filters").json() == []
    r = browser.post(
        "/settings/filters",
        {
            "title": "TV",
            "context_public": "1",
            "filter_action": "warn",
            "new_keyword-0": "finale",
            "new_whole_word-0": "1",
        },
        follow_redirects=True,
    )
    assert r.status_code == 200 and "TV" in r.text and "<code>finale</code>" in r.text
    page = browser.get("/public").text
    assert "Filtered: TV" in page
    assert (
        page.count("Filtered: TV") == 1 and plain["id"] in post_ids(page) and spoiler["id"] in post_ids(page)
    )
    (made,) = alice.get("/api/v2/filters").json()
    kw = made["keywords"][0]["id"]
    edit = browser.get(f"/settings/filters/{made['id']}")
    assert edit.status_code == 200 and f'name="keyword-{kw}"' in edit.text
    r = browser.post(
        f"/settings/filters/{made['id']}",
        {
            "title": "TV",
            "context_public": "1",
            "filter_action": "hide",
            "expires_in": "keep",
            f"keyword-{kw}": "finale",
            f"whole_word-{kw}": "1",
        },
        follow_redirects=True,
    )
    assert r.status_code == 200
    assert spoiler["id"] not in post_ids(browser.get("/public").text)
    r = browser.post(f"/settings/filters/{made['id']}", {"title": "TV", "filter_action": "hide"})
    assert r.status_code == 422 and 'id="context-error"' in r.text
    assert alice.get("/api/v2/filters").json()[0]["context"] == ["public"]
    assert browser.get("/settings/filters/12345").status_code == 404
    browser.post(f"/settings/filters/{made['id']}/delete")
    assert alice.get("/api/v2/filters").json() == []
    assert spoiler["id"] in post_ids(browser.get("/public").text)


def test_another_members_filter_is_not_found(
    browser: Browser, alice: User, bob: User, make_browser: Any
) -> None:
    made = alice.post("/api/v2/filters", json={"title": "Mine", "context": ["home"]}).json()
    sign_in(browser, "bob")
    assert browser.get(f"/settings/filters/{made['id']}").status_code == 404
    assert browser.post(f"/settings/filters/{made['id']}/delete").status_code == 404
    assert len(alice.get("/api/v2/filters").json()) == 1
