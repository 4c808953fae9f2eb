"""Search in chromium: the header's search field, the results page, matched words marked."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx2 as httpx

from tests.browser.conftest import axe_check, axe_report
from tests.e2e.conftest import Server

if TYPE_CHECKING:
    from playwright.sync_api import Page


def _post_as(server: Server, email: str, text: str) -> None:
    token = server.token(email)
    r = httpx.post(
        server.url + "/api/v1/statuses",
        data={"status": text},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert r.status_code == 200, r.text


def test_header_search_lands_on_marked_results(server: Server, page: Page) -> None:
    email = server.create_user("alice")
    _post_as(server, email, "Rentrée à l'École Jules-Ferry #École")
    _post_as(server, email, "Nothing to do with it")
    page.goto(server.url + "/public")
    page.fill("#site-search", "ecole")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search?q=ecole*")
    results = page.locator("#search-results article.post")
    assert results.count() == 1
    marks = page.locator("#search-results mark")
    assert marks.count() >= 2  # the word and the hashtag's text
    assert {m.inner_text() for m in marks.all()} == {"École"}
    # The hashtag link still works: its address was not touched by the marking.
    href = page.locator("#search-results a.hashtag, #search-results a[href*='/tags/']").first.get_attribute(
        "href"
    )
    assert href and "<mark>" not in href and "/tags/" in href
    # The page's own, labelled field holds the query.
    assert page.get_by_label("Search posts, people and hashtags").input_value() == "ecole"
    violations = axe_check(page)
    assert not violations, axe_report(violations)


def test_malformed_query_message_beside_the_field(server: Server, page: Page) -> None:
    page.goto(server.url + "/search")
    field = page.get_by_label("Search posts, people and hashtags")
    field.fill("news since:2024-13-45")
    field.press("Enter")
    page.wait_for_url("**/search?*")
    error = page.locator("#search-error")
    assert "since:" in error.inner_text()
    assert field.get_attribute("aria-invalid") == "true"
