"""Live pages in a real browser: the "new posts" bar and the notifications badge, without reloading."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.test_journeys import sign_up
from tests.e2e.conftest import Server


def test_home_shows_new_posts_bar_and_live_badge(server: Server, page: Page) -> None:
    sign_up(page, server, "reader")
    alice = server.mastodon(server.create_user("alice"))
    reader = server.mastodon("reader@example.org")
    reader.account_follow(alice.me()["id"])
    page.goto(server.url + "/")
    expect(page.locator("#timeline[data-stream=user]")).to_be_attached()
    page.wait_for_timeout(500)  # the EventSource connects

    post = alice.status_post("fresh from the API")
    bar = page.locator(".live-bar button")
    expect(bar).to_have_text("1 new post")
    expect(page.locator(f"#post-{post['id']}")).to_have_count(0)
    bar.focus()
    page.keyboard.press("Enter")  # keyboard reachable
    expect(page.locator(f"#post-{post['id']}")).to_contain_text("fresh from the API")
    expect(bar).to_be_hidden()

    alice.status_post("hey @reader")
    badge = page.locator("#notifications-badge")
    expect(badge).to_be_visible()
    expect(badge).to_have_attribute("data-count", "1")
