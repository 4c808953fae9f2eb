"""Hashtag pages, and the viewer's own bookmarks and likes."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Browser
from tests.web.helpers import HTMX, post_ids, sign_in, small_pages


def test_tag_page_is_public_posts_any_case_and_unicode(browser: Browser, make_user: Any) -> None:
    lou = make_user("lou")
    cafe = lou.status("Un #Café, s'il vous plaît")["id"]
    upper = lou.status("ANOTHER #CAFÉ")["id"]
    japanese = lou.status("こんにちは #日本語")["id"]
    lou.status("quiet #café", visibility="unlisted")
    lou.status("secret #café", visibility="private")
    lou.status("nothing to do with coffee")
    for path in ("/tags/café", "/tags/CAFÉ", "/tags/caf%C3%A9", "/tags/Caf%C3%A9"):
        page = browser.get(path)
        assert page.status_code == 200, path
        assert post_ids(page.text) == [upper, cafe], path
        assert "quiet" not in page.text and "secret" not in page.text
    assert ">#café</h1>" in browser.get("/tags/café").text
    page = browser.get("/tags/日本語")
    assert post_ids(page.text) == [japanese] and ">#日本語</h1>" in page.text
    empty = browser.get("/tags/nothinghere")
    assert empty.status_code == 200 and "No public post uses this hashtag yet." in empty.text
    # The author sees no more there than anyone: a hashtag page is public posts only.
    sign_in(browser, "lou")
    assert post_ids(browser.get("/tags/café").text) == [upper, cafe]


def test_tag_page_loads_more(browser: Browser, make_user: Any, monkeypatch: Any) -> None:
    mae = make_user("mae")
    ids = [mae.status(f"number {n} #counting")["id"] for n in range(3)]
    small_pages(monkeypatch)
    page = browser.get("/tags/counting")
    assert post_ids(page.text) == [ids[2], ids[1]] and f'href="/tags/counting?max_id={ids[1]}"' in page.text
    r = browser.get(f"/tags/counting?max_id={ids[1]}", headers=HTMX)
    assert "<html" not in r.text and post_ids(r.text) == [ids[0]] and "Load more" not in r.text


def test_bookmarks_and_likes_pages(browser: Browser, make_user: Any, monkeypatch: Any) -> None:
    ned = make_user("ned")
    first, second, third = (ned.status(f"post {n}")["id"] for n in ("one", "two", "three"))
    browser.sign_up("olga")
    for post in (first, third, second):  # bookmarked in this order: the most recent bookmark comes first
        browser.post(f"/statuses/{post}/bookmark", {"next": "/"})
    browser.post(f"/statuses/{third}/favourite", {"next": "/"})
    page = browser.get("/bookmarks")
    assert page.status_code == 200 and "<h1>Bookmarks</h1>" in page.text
    assert post_ids(page.text) == [second, third, first]
    likes = browser.get("/favourites")
    assert "<h1>Likes</h1>" in likes.text and post_ids(likes.text) == [third]
    # Pages follow the bookmarks, not the posts' ids.
    small_pages(monkeypatch)
    page = browser.get("/bookmarks")
    assert post_ids(page.text) == [second, third]
    more = page.text.split('class="load-more button secondary" href="')[1].split('"')[0]
    r = browser.get(more, headers=HTMX)
    assert "<html" not in r.text and post_ids(r.text) == [first]
    assert post_ids(browser.get(more).text) == [first]
    # Removing a bookmark takes the post off the page.
    browser.post(f"/statuses/{third}/unbookmark", {"next": "/bookmarks"})
    monkeypatch.undo()
    assert post_ids(browser.get("/bookmarks").text) == [second, first]


def test_a_deleted_post_leaves_the_bookmarks(browser: Browser, make_user: Any) -> None:
    pia = make_user("pia")
    post = pia.status("soon gone")["id"]
    browser.sign_up("quentin")
    browser.post(f"/statuses/{post}/bookmark", {"next": "/"})
    pia.delete(f"/api/v1/statuses/{post}")
    page = browser.get("/bookmarks")
    assert page.status_code == 200 and post_ids(page.text) == []
    assert "You have not bookmarked any post yet." in page.text


def test_own_lists_need_an_account(browser: Browser) -> None:
    for path in ("/bookmarks", "/favourites"):
        r = browser.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"/auth/sign_in?next={path}"
