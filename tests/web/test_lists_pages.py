"""Lists pages (without JavaScript unless said): create, read a list's timeline, edit, members, delete;
the "add to a list" control of profiles; pinned posts on profiles and the pin button."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import User
from tests.web.conftest import Browser
from tests.web.helpers import HTMX, post_ids, sign_in


def _lists(user: User) -> list[dict[str, Any]]:
    return user.get("/api/v1/lists").json()


def test_create_read_edit_and_delete_a_list(browser: Browser, make_user: Any, drain: Any) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    for who in (bob, carol):
        alice.post(f"/api/v1/accounts/{who.id}/follow")
    sign_in(browser, "alice")
    page = browser.get("/lists")
    assert page.status_code == 200 and "You have no list yet." in page.text
    # An empty title: the message stands beside the field, nothing is made.
    r = browser.post("/lists", {"title": "   "})
    assert r.status_code == 422 and 'id="title-error"' in r.text and _lists(alice) == []
    r = browser.post("/lists", {"title": "Experts"}, follow_redirects=True)
    assert r.status_code == 200
    (made,) = _lists(alice)
    assert made["title"] == "Experts" and made["exclusive"] is False
    assert f'data-stream="list" data-list="{made["id"]}"' in r.text
    assert "Experts" in browser.get("/lists").text

    # Members: the accounts alice follows, filterable; add bob.
    edit = browser.get(f"/lists/{made['id']}/edit")
    assert "@bob" in edit.text and "@carol" in edit.text
    filtered = browser.get(f"/lists/{made['id']}/edit", params={"q": "CAR"})
    assert "@carol" in filtered.text and "@bob" not in filtered.text
    r = browser.post(f"/lists/{made['id']}/members", {"account_id": bob.id}, follow_redirects=True)
    assert r.status_code == 200
    assert [a["id"] for a in alice.get(f"/api/v1/lists/{made['id']}/accounts").json()] == [bob.id]

    said = bob.status("an expert speaks")
    carol.status("not in the list")
    drain()
    timeline = browser.get(f"/lists/{made['id']}")
    assert post_ids(timeline.text) == [said["id"]]

    # Settings: a bad title is refused beside the field; then rename, replies policy and exclusive.
    r = browser.post(f"/lists/{made['id']}/edit", {"title": "", "replies_policy": "none"})
    assert r.status_code == 422 and 'id="title-error"' in r.text
    assert _lists(alice)[0]["title"] == "Experts"
    r = browser.post(f"/lists/{made['id']}/edit", {"title": "Experts", "replies_policy": "everyone"})
    assert r.status_code == 422 and 'id="replies_policy-error"' in r.text
    r = browser.post(
        f"/lists/{made['id']}/edit",
        {"title": "Scientists", "replies_policy": "none", "exclusive": "1"},
        follow_redirects=True,
    )
    assert r.status_code == 200 and "The list has been saved." in r.text
    assert _lists(alice)[0] == {**made, "title": "Scientists", "replies_policy": "none", "exclusive": True}
    home = browser.get("/")
    assert said["id"] not in post_ids(home.text)

    # Remove bob, then delete the list after a confirmation page.
    r = browser.post(f"/lists/{made['id']}/members/{bob.id}/remove", follow_redirects=True)
    assert alice.get(f"/api/v1/lists/{made['id']}/accounts").json() == []
    confirm = browser.post(f"/lists/{made['id']}/delete")
    assert confirm.status_code == 200 and "Delete this list?" in confirm.text and _lists(alice) != []
    browser.post(f"/lists/{made['id']}/delete", {"confirmed": "1"}, follow_redirects=True)
    assert _lists(alice) == []


def test_another_members_list_is_not_found(browser: Browser, make_user: Any, make_browser: Any) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    made = alice.post("/api/v1/lists", data={"title": "mine"}).json()
    sign_in(browser, "bob")
    for path in (f"/lists/{made['id']}", f"/lists/{made['id']}/edit", "/lists/12345", "/lists/abc"):
        assert browser.get(path).status_code == 404, path
    r = browser.post(f"/lists/{made['id']}/edit", {"title": "stolen", "replies_policy": "list"})
    assert r.status_code == 404
    assert browser.post(f"/lists/{made['id']}/delete", {"confirmed": "1"}).status_code == 404
    assert alice.get(f"/api/v1/lists/{made['id']}").json()["title"] == "mine"
    # A visitor is sent to sign in.
    visitor = make_browser()
    assert visitor.get("/lists", follow_redirects=False).headers["location"].startswith("/auth/sign_in")
    del bob


def test_profile_offers_lists_for_followed_accounts(browser: Browser, make_user: Any) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    made = alice.post("/api/v1/lists", data={"title": "Experts"}).json()
    alice.post(f"/api/v1/accounts/{bob.id}/follow")
    sign_in(browser, "alice")
    assert "Add to “Experts”" in browser.get("/@bob").text
    assert "Experts" not in browser.get("/@carol").text  # not followed: nothing to offer
    browser.post(f"/lists/{made['id']}/members", {"account_id": bob.id, "next": "/@bob"})
    page = browser.get("/@bob")
    assert "Remove from “Experts”" in page.text
    assert [x["id"] for x in alice.get(f"/api/v1/accounts/{bob.id}/lists").json()] == [made["id"]]
    browser.post(f"/lists/{made['id']}/members/{bob.id}/remove", {"next": "/@bob"})
    assert alice.get(f"/api/v1/accounts/{bob.id}/lists").json() == []
    del carol


def test_pinned_posts_head_the_profile(browser: Browser, make_user: Any, make_browser: Any) -> None:
    alice = make_user("alice")
    older = alice.status("older, pinned")
    newer = alice.status("newer")
    sign_in(browser, "alice")
    page = browser.get("/@alice")
    assert f'action="/statuses/{older["id"]}/pin"' in page.text and "Pinned</p>" not in page.text
    # Without JavaScript, back to the page; the pinned post now comes first, labelled, then every post.
    r = browser.post(f"/statuses/{older['id']}/pin", {"next": "/@alice"}, follow_redirects=True)
    assert r.status_code == 200
    assert post_ids(r.text) == [older["id"], newer["id"], older["id"]]
    assert "Pinned</p>" in r.text and f'action="/statuses/{older["id"]}/unpin"' in r.text
    # A visitor sees the pin too, without any pin button.
    visitor = make_browser()
    seen = visitor.get("/@alice")
    assert post_ids(seen.text)[0] == older["id"] and '/pin"' not in seen.text
    # In place with htmx: the post comes back with its button switched.
    r = browser.post(f"/statuses/{older['id']}/unpin", {"view": older["id"]}, headers=HTMX)
    assert r.status_code == 200 and f'action="/statuses/{older["id"]}/pin"' in r.text
    assert post_ids(browser.get("/@alice").text) == [newer["id"], older["id"]]


def test_sixth_pin_is_refused_in_place(browser: Browser, make_user: Any) -> None:
    alice = make_user("alice")
    ids = [alice.status(f"post {n}")["id"] for n in range(6)]
    for i in ids[:5]:
        alice.post(f"/api/v1/statuses/{i}/pin")
    sign_in(browser, "alice")
    r = browser.post(f"/statuses/{ids[5]}/pin", {"view": ids[5]}, headers=HTMX)
    assert r.status_code == 200 and "already pinned the maximum number of posts" in r.text
    assert re.search(r'role="alert"', r.text)
    r = browser.post(f"/statuses/{ids[5]}/pin", {"next": "/@alice"})
    assert r.status_code == 422
    pinned = alice.get(f"/api/v1/accounts/{alice.id}/statuses", params={"pinned": "1"}).json()
    assert ids[5] not in [s["id"] for s in pinned] and len(pinned) == 5
