"""Profiles: identity, counts, tabs, privacy, the follow button (with and without JavaScript), follow
requests to locked accounts, and the followers / following lists."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import User
from tests.web.conftest import Browser
from tests.web.helpers import HTMX, post_ids, sign_in, small_pages


def _relationship(user: User, other: User) -> dict[str, Any]:
    return user.get("/api/v1/accounts/relationships", params={"id[]": other.id}).json()[0]


def test_profile_shows_identity_bio_counts_and_tabs(browser: Browser, make_user: Any) -> None:
    bob = make_user("bob")
    carol = make_user("carol")
    r = bob.patch(
        "/api/v1/accounts/update_credentials",
        data={
            "display_name": "Bob <b>Builder</b>",
            "note": "I fix things <script>alert(1)</script> #diy https://bob.example.org/about",
            "locked": "true",
        },
    )
    assert r.status_code == 200, r.text
    first = bob.status("first words")
    bob.status("a thread of my own", in_reply_to_id=first["id"])
    hello = carol.status("hello bob")
    bob.status("@carol answering you", in_reply_to_id=hello["id"])

    page = browser.get("/@bob")
    assert page.status_code == 200
    text = page.text
    assert text.count("<h1") == 1 and "<h1>Bob &lt;b&gt;Builder&lt;/b&gt;</h1>" in text
    assert "@bob@testserver" in text and "Locked account" in text
    assert "&lt;script&gt;" in text and "<script>alert" not in text
    assert 'href="http://testserver/tags/diy"' in text and 'href="https://bob.example.org/about"' in text
    assert "Joined " in text
    assert '<a href="/@bob"><strong>3</strong> Posts</a>' in text
    assert '<a href="/@bob/followers"><strong>0</strong> Followers</a>' in text
    # Visitors may only be invited to log in; the owner's likes are not even offered as a tab.
    assert 'href="/auth/sign_in?next=/@bob"' in text and 'action="/@bob/follow"' not in text
    assert 'href="/@bob/likes"' not in text
    # The posts tab leaves out replies to other people (not one's own thread); the other tab has them all.
    assert "first words" in text and "a thread of my own" in text and "answering you" not in text
    replies = browser.get("/@bob/with_replies").text
    assert "answering you" in replies and 'href="/@bob/with_replies" aria-current="page"' in replies


def test_website_link_and_own_profile(browser: Browser, make_user: Any) -> None:
    make_user("dana").patch(
        "/api/v1/accounts/update_credentials", data={"website": "https://www.dana.example/"}
    )
    sign_in(browser, "dana")
    text = browser.get("/@dana").text
    assert '<a href="https://www.dana.example/" rel="me nofollow noopener">dana.example</a>' in text
    assert 'href="/settings/profile"' in text and "Edit profile" in text
    assert 'action="/@dana/follow"' not in text and "Log in to follow" not in text
    assert 'href="/@dana/likes"' in text


def test_unknown_user_and_other_peoples_likes_are_not_found(
    browser: Browser, make_user: Any, make_browser: Any
) -> None:
    erin = make_user("erin")
    post = make_user("frank").status("likeable")
    erin.post(f"/api/v1/statuses/{post['id']}/favourite")
    assert browser.get("/@nobody").status_code == 404
    assert browser.get("/@nobody/followers").status_code == 404
    assert browser.get("/@erin/likes").status_code == 404
    sign_in(browser, "frank")
    r = browser.get("/@erin/likes")
    assert r.status_code == 404 and "likeable" not in r.text
    owner = make_browser()
    sign_in(owner, "erin")
    r = owner.get("/@erin/likes")
    assert (
        r.status_code == 200 and "likeable" in r.text and 'href="/@erin/likes" aria-current="page"' in r.text
    )


def test_private_posts_only_for_followers(browser: Browser, make_user: Any, make_browser: Any) -> None:
    gina = make_user("gina")
    hank = make_user("hank")
    gina.status("for everyone")
    gina.status("for my followers", visibility="private")
    gina.status("just for hank @hank", visibility="direct")
    assert "for everyone" in browser.get("/@gina").text
    assert "for my followers" not in browser.get("/@gina").text
    sign_in(browser, "hank")
    text = browser.get("/@gina").text
    assert "for my followers" not in text and "just for hank" in text
    hank.post(f"/api/v1/accounts/{gina.id}/follow")
    assert "for my followers" in browser.get("/@gina").text
    stranger = make_browser()
    stranger.sign_up("ivan")
    text = stranger.get("/@gina/with_replies").text
    assert "for everyone" in text and "for my followers" not in text and "just for hank" not in text


def test_follow_and_unfollow_without_javascript(browser: Browser, make_user: Any) -> None:
    jack = make_user("jack")
    kim = make_user("kim")
    sign_in(browser, "kim")
    page = browser.get("/@jack")
    assert 'action="/@jack/follow"' in page.text and ">Follow<" in page.text
    r = browser.post("/@jack/follow", {"next": "/@jack"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/@jack"
    page = browser.get("/@jack")
    assert '<a href="/@jack/followers"><strong>1</strong> Follower</a>' in page.text
    assert 'action="/@jack/unfollow"' in page.text
    assert _relationship(kim, jack)["following"] is True
    assert "<strong>1</strong> Following" in browser.get("/@kim").text
    # jack follows back: kim now sees it on jack's profile.
    jack.post(f"/api/v1/accounts/{kim.id}/follow")
    assert "Follows you" in browser.get("/@jack").text
    browser.post("/@jack/unfollow", {"next": "/@jack"})
    page = browser.get("/@jack")
    assert "<strong>0</strong> Followers" in page.text and "Follow back" in page.text
    assert _relationship(kim, jack)["following"] is False


def test_follow_in_place_with_htmx(browser: Browser, make_user: Any) -> None:
    make_user("lea")
    browser.sign_up("mo")
    r = browser.post("/@lea/follow", {"next": "/@lea"}, headers=HTMX)
    assert r.status_code == 200 and "<html" not in r.text
    assert r.text.lstrip().startswith('<div class="follow"') and 'action="/@lea/unfollow"' in r.text
    assert 'name="next" value="/@lea"' in r.text
    r = browser.post("/@lea/unfollow", {"next": "/@lea"}, headers=HTMX)
    assert "<html" not in r.text and 'action="/@lea/follow"' in r.text
    r = browser.post("/@mo/follow", {"next": "/@mo"}, headers=HTMX)
    assert r.status_code == 403


def test_locked_account_requests_accept_and_reject(
    browser: Browser, make_user: Any, make_browser: Any
) -> None:
    nina = make_user("nina")
    nina.patch("/api/v1/accounts/update_credentials", data={"locked": "true"})
    oscar = make_user("oscar")
    paul = make_user("paul")
    fan = make_browser()
    sign_in(fan, "oscar")
    fan.post("/@nina/follow", {"next": "/@nina"})
    page = fan.get("/@nina")
    assert "Requested" in page.text and "Cancel follow request" in page.text
    assert "<strong>0</strong> Followers" in page.text
    assert _relationship(oscar, nina)["requested"] is True
    other = make_browser()
    sign_in(other, "paul")
    assert 'action="/@nina/unfollow"' in other.post("/@nina/follow", {"next": "/@nina"}, headers=HTMX).text

    sign_in(browser, "nina")
    page = browser.get("/follow_requests")
    assert page.status_code == 200 and "@oscar" in page.text and "@paul" in page.text
    assert (
        '<a id="nav-requests" href="/follow_requests">Follow requests <span class="badge-count">2</span>'
        in page.text
    )
    r = browser.post(
        f"/follow_requests/{oscar.id}/authorize", {"next": "/follow_requests"}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/follow_requests"
    assert _relationship(oscar, nina)["following"] is True
    assert "@oscar" in browser.get("/@nina/followers").text
    r = browser.post(f"/follow_requests/{paul.id}/reject", headers=HTMX)
    assert r.status_code == 200 and "<html" not in r.text
    assert "You rejected the follow request of paul." in r.text and 'hx-swap-oob="true"' in r.text
    assert 'class="badge-count"' not in r.text  # nobody is waiting any more
    after = _relationship(paul, nina)
    assert after["requested"] is False and after["following"] is False
    assert browser.post(f"/follow_requests/{paul.id}/reject").status_code == 404
    assert "Nobody is waiting for your approval." in browser.get("/follow_requests").text


def test_follow_requests_need_an_account(browser: Browser) -> None:
    r = browser.get("/follow_requests", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/auth/sign_in")


def test_followers_and_following_lists_load_more(browser: Browser, make_user: Any, monkeypatch: Any) -> None:
    star = make_user("star")
    star.patch("/api/v1/accounts/update_credentials", data={"note": "A star <i>shines</i>"})
    fans = [make_user(name) for name in ("fan1", "fan2", "fan3")]
    for fan in fans:
        fan.post(f"/api/v1/accounts/{star.id}/follow")
    star.post(f"/api/v1/accounts/{fans[0].id}/follow")
    small_pages(monkeypatch)
    sign_in(browser, "fan2")
    page = browser.get("/@star/followers")
    assert page.status_code == 200 and '<ul id="accounts" class="account-list">' in page.text
    handles = re.findall(r'<span class="handle">@(\w+)</span>', page.text)
    assert handles == ["fan3", "fan2"]
    # fan2 is shown without a button; fan3 with one.
    assert 'action="/@fan3/follow"' in page.text and 'action="/@fan2/follow"' not in page.text
    more = page.text.split('<div id="accounts-more">')[1].split('href="')[1].split('"')[0]
    assert more.startswith("/@star/followers?max_id=")
    r = browser.get(more, headers=HTMX)
    assert "<html" not in r.text and "@fan1" in r.text and r.text.lstrip().startswith("<li")
    assert '<div id="accounts-more" hx-swap-oob="true">' in r.text and "Load more" not in r.text
    assert "@fan1" in browser.get(more).text  # without JavaScript: the next page
    following = browser.get("/@star/following").text
    assert "@fan1" in following and 'aria-current="page"><strong>1</strong> Following' in following
    assert "A star &lt;i&gt;shines&lt;/i&gt;" in browser.get("/@star").text
    visitor_text = Browser(browser.client).get("/@fan1/followers").text
    assert "Nobody follows" not in visitor_text and "@star" in visitor_text


def test_profile_timeline_loads_more(browser: Browser, make_user: Any, monkeypatch: Any) -> None:
    quinn = make_user("quinn")
    ids = [quinn.status(f"post number {n}")["id"] for n in range(3)]
    small_pages(monkeypatch)
    page = browser.get("/@quinn")
    assert post_ids(page.text) == [ids[2], ids[1]]
    r = browser.get(f"/@quinn?max_id={ids[1]}", headers=HTMX)
    assert "<html" not in r.text and post_ids(r.text) == [ids[0]]
    assert browser.get("/@quinn?max_id=abc").status_code == 400
