"""The notifications badge in a real browser: it counts a mention, and opening the page clears it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx2 as httpx
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import Server

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_badge_counts_a_mention_and_clears_on_opening(server: Server, page: Page) -> None:
    server.create_user("alice")
    bob = server.token(server.create_user("bob"))
    page.goto(server.url + "/auth/sign_in")
    page.get_by_label("E-mail address or username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    badge = page.locator("#notifications-badge")
    expect(badge).to_be_hidden()
    expect(badge).to_have_attribute("data-count", "0")

    r = httpx.post(
        server.url + "/api/v1/statuses",
        data={"status": "@alice hello there"},
        headers={"Authorization": f"Bearer {bob}"},
    )
    assert r.status_code == 200, r.text
    page.goto(server.url + "/")
    expect(badge).to_be_visible()
    expect(badge).to_have_attribute("data-count", "1")
    expect(badge).to_contain_text("1 unread notification")

    page.locator("nav a[href='/notifications']").click()
    expect(page.locator(".notification").first).to_contain_text("hello there")
    expect(page.locator("#notifications-badge")).to_be_hidden()
    page.goto(server.url + "/")
    expect(page.locator("#notifications-badge")).to_have_attribute("data-count", "0")
