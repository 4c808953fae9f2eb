"""The notifications page, the badge in the navigation, and the direct-messages pages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import gazouillis.web
from gazouillis.web.i18n import build_environments
from tests.conftest import User
from tests.web.conftest import Browser
from tests.web.helpers import HTMX, sign_in

BADGE = re.compile(r'<span id="notifications-badge" class="badge[^"]*" data-count="(\d+)"[^>]*>')


def badge(html: str) -> tuple[int, bool]:
    found = BADGE.search(html)
    assert found, "the badge is always rendered"
    return int(found.group(1)), " hidden" in found.group(0)


def test_badge_counts_then_viewing_marks_read(browser: Browser, alice: User, bob: User) -> None:
    sign_in(browser, "alice")
    assert badge(browser.get("/").text) == (0, True)
    for i in range(3):
        bob.status(f"@alice ping {i}")
    home = browser.get("/").text
    assert badge(home) == (3, False) and "3 unread notifications" in home
    page = browser.get("/notifications")
    assert page.status_code == 200
    assert page.text.count('class="notification card"') == 3 and "mentioned you" in page.text
    assert badge(page.text) == (0, True)  # this very page already shows them read
    assert badge(browser.get("/").text) == (0, True)
    assert alice.get("/api/v1/notifications/unread_count").json() == {"count": 0}


def test_badge_shows_99_plus_and_an_accessible_label() -> None:
    environments = build_environments(Path(gazouillis.web.__file__).parent / "templates")
    template = environments["en"].get_template("_notifications_badge.html")
    html = template.render(count=150, page=None)
    assert badge(html) == (150, False) and ">99+<" in html and "150 unread notifications" in html
    one = template.render(count=1, page=None)
    assert ">1<" in one and "1 unread notification<" in one
    assert badge(template.render(count=0, page=None)) == (0, True)


def test_tabs_dismiss_clear_and_load_more(browser: Browser, alice: User, bob: User, monkeypatch: Any) -> None:
    from gazouillis.web.pages import notifications, timelines

    monkeypatch.setattr(timelines, "PAGE_SIZE", 2)
    monkeypatch.setattr(notifications, "PAGE_SIZE", 2)
    sign_in(browser, "alice")
    post = alice.status("mine")
    bob.post(f"/api/v1/statuses/{post['id']}/favourite")
    bob.post(f"/api/v1/accounts/{alice.id}/follow")
    bob.status("@alice hi")
    mentions = browser.get("/notifications?type=mention").text
    assert mentions.count('class="notification card"') == 1 and 'data-type="mention"' in mentions
    follows = browser.get("/notifications?type=follow").text
    assert 'data-type="follow"' in follows and 'data-type="mention"' not in follows
    first = browser.get("/notifications").text
    assert first.count('class="notification card"') == 2 and "Load more" in first
    more = re.search(r'href="(/notifications\?max_id=\d+)"', first)
    assert more
    rest = browser.get(more.group(1), headers=HTMX).text
    assert rest.count('class="notification card"') == 1 and "<html" not in rest

    ids = re.findall(r'id="notification-(\d+)"', first)
    r = browser.post(f"/notifications/{ids[0]}/dismiss", headers=HTMX)
    assert r.status_code == 200 and r.text == ""
    assert f"notification-{ids[0]}" not in browser.get("/notifications").text
    assert browser.post("/notifications/12345/dismiss").status_code == 404
    assert browser.post("/notifications/abc/dismiss").status_code == 404

    # Clear all asks first, and works without JavaScript.
    assert "Clear all notifications?" in browser.get("/notifications/clear").text
    browser.post("/notifications/clear", {}, follow_redirects=False)
    assert len(alice.get("/api/v1/notifications").json()) == 2  # not confirmed: nothing gone
    r = browser.post("/notifications/clear", {"confirmed": "1"}, follow_redirects=True)
    assert r.status_code == 200 and "No notifications yet." in r.text
    assert alice.get("/api/v1/notifications").json() == []


def test_signed_out_is_sent_to_sign_in(browser: Browser) -> None:
    r = browser.get("/notifications", follow_redirects=False)
    assert r.status_code in (302, 303) and "/auth/sign_in" in r.headers["location"]
    assert "/auth/sign_in" in browser.get("/messages", follow_redirects=False).headers["location"]


def test_messages_start_read_reply(
    browser: Browser, make_browser: Any, alice: User, bob: User, carol: User
) -> None:
    sign_in(browser, "alice")
    r = browser.post("/messages", {"to": "@nobody", "text": "hello"})
    assert r.status_code == 422 and "Nobody here is called @nobody." in r.text and 'value="@nobody"' in r.text
    r = browser.post("/messages", {"to": "bob", "text": "just between us"}, follow_redirects=False)
    assert r.status_code == 303
    url = r.headers["location"]
    assert re.fullmatch(r"/messages/\d+", url)
    convo = browser.get(url).text
    assert "just between us" in convo and "@bob" in convo
    [dm] = bob.get("/api/v1/conversations").json()
    assert dm["unread"] is True and dm["last_status"]["visibility"] == "direct"
    assert carol.get("/api/v1/conversations").json() == []

    other = make_browser()
    sign_in(other, "bob")
    listing = other.get("/messages").text
    assert "alice" in listing and "Unread" in listing
    bob_url = re.search(r'href="(/messages/\d+)"', listing)
    assert bob_url
    assert other.post(bob_url.group(1), {"text": "got it"}, follow_redirects=True).status_code == 200
    assert bob.get("/api/v1/conversations").json()[0]["unread"] is False  # opened and answered
    thread = browser.get(url).text
    assert thread.index("just between us") < thread.index("got it")  # oldest first
    assert alice.get("/api/v1/conversations").json()[0]["unread"] is False  # opening marks it read
    # Somebody else's conversation, or a bad id: not found.
    assert other.get(url).status_code == 404
    assert browser.get("/messages/abc").status_code == 404
    r = browser.post(url, {"text": "   "})
    assert r.status_code == 422 and 'role="alert"' in r.text
