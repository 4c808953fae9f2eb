"""The page of a post: its conversation in order, replying from it (with and without JavaScript), privacy,
and the addresses that are wrong (404) or merely outdated (redirect)."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Browser
from tests.web.helpers import HTMX, post_ids, sign_in


def _conversation(make_user: Any) -> dict[str, str]:
    """root (bob) ← focus (alice) ← first, second (bob, carol); first ← deep (alice). Ids by name."""
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    root = bob.status("the root post")["id"]
    focus = alice.status("@bob the focused reply", in_reply_to_id=root)["id"]
    first = bob.status("@alice first answer", in_reply_to_id=focus)["id"]
    second = carol.status("@alice second answer", in_reply_to_id=focus)["id"]
    deep = alice.status("@bob deeper down", in_reply_to_id=first)["id"]
    return {"root": root, "focus": focus, "first": first, "second": second, "deep": deep}


def test_thread_shows_ancestors_focus_and_replies_in_order(browser: Browser, make_user: Any) -> None:
    ids = _conversation(make_user)
    page = browser.get(f"/@alice/{ids['focus']}")
    assert page.status_code == 200 and page.text.count("<h1") == 1
    assert post_ids(page.text) == [ids[k] for k in ("root", "focus", "first", "deep", "second")]
    assert f'<article class="post focus" id="post-{ids["focus"]}"' in page.text
    assert page.text.count("post focus") == 1
    # A visitor reads it all but is only invited to log in.
    assert (
        'id="compose"' not in page.text and f'href="/auth/sign_in?next=/@alice/{ids["focus"]}"' in page.text
    )
    assert page.text.index('id="reply"') < page.text.index('id="replies"')


def test_reply_from_the_page_without_javascript(browser: Browser, make_user: Any) -> None:
    ids = _conversation(make_user)
    sign_in(browser, "carol")
    page = browser.get(f"/@alice/{ids['focus']}")
    form = page.text.split('<section id="reply"')[1].split("</section>")[0]
    assert f'name="in_reply_to_id" value="{ids["focus"]}"' in form
    assert ">@alice @bob </textarea>" in form  # the author and who they mentioned; not oneself
    assert 'name="next" value="/@alice/' in form
    r = browser.post(
        "/statuses",
        {
            "status": "@alice @bob my own answer",
            "in_reply_to_id": ids["focus"],
            "next": f"/@alice/{ids['focus']}",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/@alice/{ids['focus']}"
    page = browser.get(r.headers["location"])
    shown = post_ids(page.text)
    assert len(shown) == 6 and "my own answer" in page.text
    assert shown[:5] == [ids[k] for k in ("root", "focus", "first", "deep", "second")]


def test_reply_from_the_page_with_htmx(browser: Browser, make_user: Any) -> None:
    ids = _conversation(make_user)
    sign_in(browser, "bob")
    r = browser.post(
        "/statuses",
        {"status": "@alice in place", "in_reply_to_id": ids["focus"], "visibility": "public"},
        headers=HTMX,
    )
    assert r.status_code == 200 and "<html" not in r.text
    assert r.text.lstrip().startswith('<article class="post"') and "in place" in r.text
    # A fresh reply box (out of band), still replying to the same post.
    fresh = r.text.split('<form id="compose" hx-swap-oob="true"')[1]
    assert f'name="in_reply_to_id" value="{ids["focus"]}"' in fresh and 'hx-target="#replies"' in fresh
    assert ">@alice </textarea>" in fresh
    assert "in place" in browser.get(f"/@alice/{ids['focus']}").text
    # An invalid reply comes back in place of the box, keeping what it answers.
    r = browser.post("/statuses", {"status": "x" * 600, "in_reply_to_id": ids["focus"]}, headers=HTMX)
    assert r.status_code == 422 and r.headers["hx-retarget"] == "#compose"
    assert f'name="in_reply_to_id" value="{ids["focus"]}"' in r.text and 'id="status-error"' in r.text


def test_reply_to_a_private_post_is_private_by_default(browser: Browser, make_user: Any) -> None:
    dora = make_user("dora")
    eve = make_user("eve")
    eve.post(f"/api/v1/accounts/{dora.id}/follow")
    secret = dora.status("followers only", visibility="private")["id"]
    sign_in(browser, "eve")
    form = browser.get(f"/@dora/{secret}").text.split('<section id="reply"')[1]
    assert '<option value="private" selected>' in form


def test_private_posts_are_not_found_for_strangers(
    browser: Browser, make_user: Any, make_browser: Any
) -> None:
    fay = make_user("fay")
    gus = make_user("gus")
    gus.post(f"/api/v1/accounts/{fay.id}/follow")
    secret = fay.status("only my followers", visibility="private")["id"]
    public_reply = fay.status("public follow-up", in_reply_to_id=secret)["id"]
    hidden_reply = fay.status("hidden follow-up", in_reply_to_id=public_reply, visibility="private")["id"]
    assert browser.get(f"/@fay/{secret}").status_code == 404
    page = browser.get(f"/@fay/{public_reply}")
    assert page.status_code == 200 and post_ids(page.text) == [public_reply]
    assert "only my followers" not in page.text and "hidden follow-up" not in page.text
    stranger = make_browser()
    stranger.sign_up("hal")
    r = stranger.get(f"/@fay/{secret}")
    assert r.status_code == 404 and "only my followers" not in r.text
    sign_in(browser, "gus")
    page = browser.get(f"/@fay/{public_reply}")
    assert post_ids(page.text) == [secret, public_reply, hidden_reply]


def test_wrong_addresses(browser: Browser, make_user: Any) -> None:
    ivy = make_user("ivy")
    make_user("jon")
    post = ivy.status("where am I")["id"]
    r = browser.get(f"/@jon/{post}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/@ivy/{post}"
    assert browser.get(f"/@IVY/{post}").status_code == 200
    for path in (f"/@nobody/{post}", "/@ivy/1", "/@ivy/oops", "/@ivy/99999999999999999999999"):
        r = browser.get(path)
        assert r.status_code == 404 and "<html" in r.text, path
    repost = make_user("kai").post(f"/api/v1/statuses/{post}/reblog").json()["id"]
    r = browser.get(f"/@kai/{repost}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/@ivy/{post}"
