"""Journeys in a real browser against the real server: what a newcomer does on the first day."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from playwright.sync_api import expect

from tests.browser.conftest import axe_check, axe_report, screenshot
from tests.conftest import PASSWORD
from tests.e2e.conftest import Server

if TYPE_CHECKING:
    from playwright.sync_api import Page


def sign_up(page: Page, server: Server, username: str) -> None:
    page.goto(server.url + "/auth/sign_up")
    page.get_by_label("Username").fill(username)
    page.get_by_label("E-mail address").fill(f"{username}@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator("#compose")).to_be_visible()


def post(page: Page, text: str) -> None:
    page.get_by_label("What's happening?").fill(text)
    expect(page.locator("#compose-submit")).to_be_enabled()
    page.locator("#compose-submit").click()
    expect(page.locator("#timeline article").first).to_contain_text(text)


def test_newcomer_signs_up_and_posts(server: Server, page: Page) -> None:
    page.goto(server.url + "/")
    assert not axe_check(page), axe_report(axe_check(page))
    screenshot(page, "landing")
    sign_up(page, server, "newcomer")
    post(page, "Bonjour tout le monde ! #premierpost")
    article = page.locator("#timeline article").first
    expect(article.locator("a.hashtag")).to_have_attribute("href", f"{server.url}/tags/premierpost")
    expect(article.locator("time")).to_have_attribute("title", re.compile(r"\d{4}.*UTC"))
    # The compose box came back empty, in place (no reload).
    expect(page.get_by_label("What's happening?")).to_have_value("")
    assert not axe_check(page), axe_report(axe_check(page))
    screenshot(page, "home")


def test_counter_refuses_an_overlong_post_before_sending(server: Server, page: Page) -> None:
    sign_up(page, server, "counter")
    box = page.get_by_label("What's happening?")
    box.fill("x" * 280)
    expect(page.locator("#compose-counter")).to_have_text("0")
    expect(page.locator("#compose-submit")).to_be_enabled()
    box.press_sequentially("y")
    expect(page.locator("#compose-counter")).to_have_text("-1")
    expect(page.locator("#compose-submit")).to_be_disabled()
    # A URL counts 23 whatever its length, as on the server.
    box.fill("https://example.org/" + "a" * 300)
    expect(page.locator("#compose-counter")).to_have_text("257")
    screenshot(page, "compose-counter")


def test_like_and_repost_in_place(server: Server, page: Page, new_context: Any) -> None:
    sign_up(page, server, "author")
    post(page, "Like me, repost me")
    fan = new_context().new_page()
    sign_up(fan, server, "fan")
    fan.goto(server.url + "/public")
    article = fan.locator("article", has_text="Like me, repost me")
    url_before = fan.url
    like = article.get_by_role("button", name=re.compile("^Like"))
    expect(like).to_have_attribute("aria-pressed", "false")
    like.click()
    like = article.get_by_role("button", name=re.compile("^Like"))
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like.locator(".count")).to_have_text("1")
    article.get_by_role("button", name=re.compile("^Repost")).click()
    repost = article.get_by_role("button", name=re.compile("^Repost"))
    expect(repost).to_have_attribute("aria-pressed", "true")
    expect(repost.locator(".count")).to_have_text("1")
    assert fan.url == url_before


def test_switching_language(server: Server, page: Page) -> None:
    page.goto(server.url + "/auth/sign_in")
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
