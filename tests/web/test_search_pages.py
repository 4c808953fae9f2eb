"""The search page: tabs, highlighting, operator errors beside the field, visibility, load more."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Browser
from tests.web.helpers import HTMX, post_ids, sign_in, small_pages


def test_posts_tab_highlights_accent_insensitively(browser: Browser, make_user: Any) -> None:
    alice = make_user("alice")
    post = alice.status("Rentrée à l'École #École https://example.org/ecole")
    alice.status("nothing to see")
    r = browser.get("/search", params={"q": "ecole"})
    assert r.status_code == 200
    assert post_ids(r.text) == [post["id"]]
    assert "<mark>École</mark>" in r.text
    # Links stay whole: the hashtag link keeps its address, marks only wrap text.
    assert 'href="http://testserver/tags/%C3%A9cole"' in r.text or "/tags/école" in r.text
    assert "<mark>ecole</mark>" in r.text  # inside the link's text, not its href
    assert 'href="https://example.org/<mark>' not in r.text
    # Both search forms are there: the header's and the page's own, labelled.
    assert 'id="site-search"' in r.text and '<label for="search-q">' in r.text
    assert 'aria-current="page">Posts<' in r.text


def test_people_and_hashtags_tabs(browser: Browser, make_user: Any) -> None:
    alice = make_user("alice")
    alice.patch("/api/v1/accounts/update_credentials", data={"note": "Recruteuse à Montréal"})
    alice.status("#Montréal en hiver")
    r = browser.get("/search", params={"q": "montreal", "type": "accounts"})
    assert r.status_code == 200 and "@alice" in r.text and 'aria-current="page">People<' in r.text
    r = browser.get("/search", params={"q": "#montr", "type": "hashtags"})
    assert r.status_code == 200 and "#Montréal" in r.text and "1 post" in r.text


def test_malformed_query_error_beside_the_field(browser: Browser) -> None:
    r = browser.get("/search", params={"q": "news since:2024-13-45"})
    assert r.status_code == 422
    assert 'id="search-error"' in r.text and "since:" in r.text and "not a real date" in r.text
    assert 'aria-invalid="true"' in r.text and 'value="news since:2024-13-45"' in r.text
    r = browser.get("/search", params={"q": "from:"})
    assert r.status_code == 422 and "from: needs a value" in r.text


def test_visitor_sees_public_posts_only(browser: Browser, make_user: Any) -> None:
    alice = make_user("alice")
    public = alice.status("hidden treasure public")
    alice.status("hidden treasure private", visibility="private")
    alice.status("hidden treasure unlisted", visibility="unlisted")
    assert post_ids(browser.get("/search", params={"q": "treasure"}).text) == [public["id"]]
    make_user("bob")
    sign_in(browser, "bob")
    found = post_ids(browser.get("/search", params={"q": "treasure"}).text)
    assert public["id"] in found and len(found) == 2  # the unlisted one too, never the private one


def test_empty_and_nothing_found(browser: Browser) -> None:
    r = browser.get("/search")
    assert r.status_code == 200 and "How to search" in r.text and 'id="search-results"' not in r.text
    r = browser.get("/search", params={"q": "zzzz"})
    assert "Nothing matches this search." in r.text


def test_load_more(browser: Browser, make_user: Any, monkeypatch: Any) -> None:
    small_pages(monkeypatch)
    alice = make_user("alice")
    posted = [alice.status(f"paged result {n}")["id"] for n in range(5)]
    r = browser.get("/search", params={"q": "paged"})
    assert post_ids(r.text) == posted[::-1][:2]
    more = r.text.split('class="load-more button secondary" href="')[1].split('"')[0].replace("&amp;", "&")
    r = browser.get(more, headers=HTMX)
    assert "<html" not in r.text and post_ids(r.text) == posted[::-1][2:4]
    assert "<mark>paged</mark>" in r.text
