"""Profiles and threads in chromium: following in place, replying in place, "load more" of accounts,
and no serious accessibility problem on the pages."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import axe_check, axe_report, screenshot
from tests.conftest import PASSWORD
from tests.e2e.conftest import Server

if TYPE_CHECKING:
    from playwright.sync_api import Page


def log_in(page: Page, server: Server, username: str) -> None:
    page.goto(server.url + "/auth/sign_in")
    page.get_by_label("E-mail address or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(server.url + "/")


def test_follow_and_reply_in_place(server: Server, page: Page, request: pytest.FixtureRequest) -> None:
    server.create_user("bob")
    server.create_user("alice")
    log_in(page, server, "bob")
    page.get_by_label("What's happening?").fill("Hello from bob #café")
    page.get_by_role("button", name="Post", exact=True).click()
    page.locator("article.post").first.wait_for()
    page.get_by_role("button", name="Log out").click()

    log_in(page, server, "alice")
    page.goto(server.url + "/@bob")
    found = axe_check(page)
    assert not found, axe_report(found)
    screenshot(page, f"profile-{request.node.name}")
    page.get_by_role("button", name="Follow @bob").click()
    unfollow = page.get_by_role("button", name="Unfollow @bob")
    unfollow.wait_for()
    assert page.url == server.url + "/@bob"  # in place, no navigation
    assert page.evaluate("document.activeElement.id") == unfollow.get_attribute("id")

    page.locator("article.post a.time").first.click()
    page.wait_for_url(re.compile(r"/@bob/\d+$"))
    found = axe_check(page)
    assert not found, axe_report(found)
    box = page.get_by_label("Your reply")
    assert box.input_value() == "@bob "
    box.fill("@bob a reply in place")
    page.get_by_role("button", name="Post", exact=True).click()
    page.locator("#replies article.post").first.wait_for()
    assert "a reply in place" in page.locator("#replies").inner_text()
    assert page.get_by_label("Your reply").input_value() == "@bob "
    assert not page.locator("#replies .empty").is_visible()
    screenshot(page, f"thread-{request.node.name}")

    page.goto(server.url + "/tags/CAF%C3%89")
    assert page.get_by_role("heading", level=1).inner_text() == "#CAFÉ"
    assert "Hello from bob" in page.locator("#timeline").inner_text()
    page.goto(server.url + "/@bob/followers")
    assert "@alice" in page.locator("#accounts").inner_text()
    found = axe_check(page)
    assert not found, axe_report(found)
