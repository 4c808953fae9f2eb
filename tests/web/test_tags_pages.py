"""Hashtag pages, explore, featured and followed hashtags, as a browser (with and without htmx) sees them."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Browser
from tests.web.helpers import HTMX, post_ids, sign_in


def test_tag_page_history_follow_and_timeline(browser: Browser, make_user: Any, drain: Any) -> None:
    alice = make_user("alice")
    public = alice.status("Le #Café du matin")
    alice.status("#café privé", visibility="private")
    make_user("bob")
    r = browser.get("/tags/CAFÉ")
    assert r.status_code == 200
    assert post_ids(r.text) == [public["id"]]
    assert 'data-stream="hashtag" data-tag="café"' in r.text and 'id="timeline"' in r.text
    assert "<caption>" in r.text and "Log in to follow" in r.text
    # The history table: today's row says 1 post by 1 person (the private post is not counted).
    today_row = r.text.split("<tbody>")[1].split("</tr>")[0]
    assert today_row.count(">1</td>") == 2
    sign_in(browser, "bob")
    r = browser.get("/tags/café")
    assert "Follow hashtag" in r.text
    # Without JavaScript: a form, then back to the page.
    r = browser.post("/tags/café/follow", {"next": "/tags/café"}, follow_redirects=True)
    assert "Unfollow hashtag" in r.text
    assert "#Café" in browser.get("/tags/followed").text
    # With htmx: only the button comes back.
    r = browser.post("/tags/café/unfollow", headers=HTMX)
    assert r.status_code == 200 and 'id="tag-follow"' in r.text and "Follow hashtag" in r.text
    assert "<html" not in r.text
    assert "You do not follow any hashtag yet" in browser.get("/tags/followed").text


def test_unknown_tag_page_is_empty_not_an_error(browser: Browser) -> None:
    r = browser.get("/tags/nobodyyet")
    assert r.status_code == 200 and "No public post uses this hashtag yet." in r.text


def test_explore_signed_out_and_in(browser: Browser, make_user: Any) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    alice.status("#trending thing")
    bob.status("#Trending too")
    hot = alice.status("a hot post")
    secret = alice.status("a hidden post", visibility="private")
    for who in (bob, carol):
        who.post(f"/api/v1/statuses/{hot['id']}/favourite")
    carol.post(f"/api/v1/accounts/{alice.id}/follow")
    carol.post(f"/api/v1/statuses/{secret['id']}/favourite")
    bob.post(f"/api/v1/accounts/{carol.id}/follow")
    r = browser.get("/explore")
    assert r.status_code == 200
    assert "#trending" in r.text and post_ids(r.text) == [hot["id"]]
    assert "Who to follow" not in r.text
    make_user("dave").post(f"/api/v1/accounts/{bob.id}/follow")
    sign_in(browser, "dave")
    r = browser.get("/explore")
    assert "Who to follow" in r.text and 'id="suggestion-' + carol.id + '"' in r.text
    r = browser.post(f"/explore/suggestions/{carol.id}/dismiss", headers=HTMX)
    assert "will not be suggested again" in r.text
    assert 'id="suggestion-' + carol.id + '"' not in browser.get("/explore").text
    assert browser.post("/explore/suggestions/123/dismiss").status_code == 404


def test_featured_hashtags_settings_and_profile(browser: Browser, make_user: Any) -> None:
    alice = make_user("alice")
    alice.status("#Poetry tonight")
    sign_in(browser, "alice")
    r = browser.get("/settings/hashtags")
    assert r.status_code == 200 and "Poetry" in r.text  # suggested from her own posts
    r = browser.post("/settings/hashtags", {"name": "not a tag"})
    assert r.status_code == 422 and 'class="error"' in r.text and 'value="not a tag"' in r.text
    r = browser.post("/settings/hashtags", {"name": "#poetry"}, follow_redirects=True)
    assert r.status_code == 200 and 'id="featured-tags"' in r.text
    r = browser.post("/settings/hashtags", {"name": "poetry"})
    assert r.status_code == 422 and "already featured" in r.text
    profile = browser.get("/@alice").text
    assert "featured-tags" in profile and "#Poetry" in profile and "1 post" in profile
    featured_id = alice.get("/api/v1/featured_tags").json()[0]["id"]
    r = browser.post(f"/settings/hashtags/{featured_id}/delete", follow_redirects=True)
    assert r.status_code == 200 and 'id="featured-tags"' not in r.text
    assert browser.post("/settings/hashtags/999/delete").status_code == 404
