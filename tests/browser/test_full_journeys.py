"""Whole journeys in chromium against the real ``gazouillis serve``: two people meeting, a locked account
accepting a follower, "load more" on the home timeline, deleting a post after the confirmation dialog.

The server runs the fan-out job runner inside the web process, so what reaches a home timeline through a
job is awaited by reloading the page until it shows up (``reload_until``).

The helpers ``ApiUser``, ``api_register`` and ``log_in`` are shared with ``test_accessibility``: preparing
data through the API is much faster than clicking it together.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx2 as httpx
from playwright.sync_api import expect

from tests.browser.test_journeys import post, sign_up
from tests.conftest import PASSWORD
from tests.e2e.conftest import Server

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

THREAD_URL = re.compile(r"/@[A-Za-z0-9_]+/\d+$")


# -- Helpers shared with test_accessibility ------------------------------------------------------------


@dataclass
class ApiUser:
    """An account made through the Mastodon API, with its user token."""

    server: Server
    id: str
    username: str
    email: str
    token: str

    def call(self, method: str, path: str, **data: Any) -> Any:
        r = httpx.request(
            method,
            self.server.url + path,
            data=data or None,
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=15,
        )
        assert r.status_code == 200, f"{method} {path}: {r.status_code} {r.text}"
        return r.json()

    def status(self, text: str, **extra: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.call("POST", "/api/v1/statuses", status=text, **extra)
        return result

    def act(self, status_id: str, action: str) -> dict[str, Any]:
        result: dict[str, Any] = self.call("POST", f"/api/v1/statuses/{status_id}/{action}")
        return result

    def follow(self, other: ApiUser) -> None:
        self.call("POST", f"/api/v1/accounts/{other.id}/follow")

    def home_ids(self) -> list[str]:
        return [s["id"] for s in self.call("GET", "/api/v1/timelines/home?limit=40")]


def _app_headers(server: Server) -> dict[str, str]:
    """An app-only token (client credentials) allowed to register accounts; one per server."""
    cached: dict[str, str] | None = getattr(server, "_browser_app_headers", None)
    if cached is not None:
        return cached
    r = httpx.post(
        server.url + "/api/v1/apps",
        data={
            "client_name": "Gazouillis for phones",
            "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
            "scopes": "read write follow",
            "website": "https://example.org/app",
        },
        timeout=15,
    )
    assert r.status_code == 200, r.text
    app = r.json()
    r = httpx.post(
        server.url + "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "scope": "read write follow",
        },
        timeout=15,
    )
    assert r.status_code == 200, r.text
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    server._browser_app_headers = headers  # type: ignore[attr-defined]
    return headers


def api_register(server: Server, username: str, **profile: str) -> ApiUser:
    """Sign up through the API (password ``PASSWORD``), then set the profile's fields if any are given
    (``display_name``, ``note``, ``locked="true"``…)."""
    email = f"{username}@example.org"
    r = httpx.post(
        server.url + "/api/v1/accounts",
        headers=_app_headers(server),
        data={"username": username, "email": email, "password": PASSWORD, "agreement": "true"},
        timeout=15,
    )
    assert r.status_code == 200, r.text
    token = r.json()["access_token"]
    me = httpx.get(
        server.url + "/api/v1/accounts/verify_credentials",
        headers={"Authorization": f"Bearer {token}"},
        timeout=15,
    ).json()
    user = ApiUser(server=server, id=me["id"], username=username, email=email, token=token)
    if profile:
        user.call("PATCH", "/api/v1/accounts/update_credentials", **profile)
    return user


def log_in(page: Page, server: Server, login: str) -> None:
    """Log in through the form, found by ids so that it works in any language."""
    page.goto(server.url + "/auth/sign_in")
    page.locator("#login").fill(login)
    page.locator("#password").fill(PASSWORD)
    page.locator('form[action="/auth/sign_in"] button[type="submit"]').click()
    page.wait_for_url(server.url + "/")


def reload_until(page: Page, locator: Locator, text: str, timeout: float = 10.0) -> None:
    """Reload the page until ``locator`` contains ``text``: for what a background job brings."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            expect(locator).to_contain_text(text, timeout=1000)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            page.reload()


def wait_for_home(user: ApiUser, count: int, timeout: float = 10.0) -> None:
    """Wait until the fan-out has put at least ``count`` posts in ``user``'s home timeline."""
    deadline = time.monotonic() + timeout
    while len(user.home_ids()) < count:
        assert time.monotonic() < deadline, f"@{user.username}'s home has {len(user.home_ids())} posts"
        time.sleep(0.2)


# -- Journeys -------------------------------------------------------------------------------------------


def test_two_people_follow_reply_like_and_repost(server: Server, page: Page, new_context: Any) -> None:
    text = "Première journée ici, je découvre tout #bonjour"
    sign_up(page, server, "newcomer")
    post(page, text)

    other = new_context().new_page()
    sign_up(other, server, "reader")
    other.goto(server.url + "/@newcomer")
    other.get_by_role("button", name="Follow @newcomer").click()
    # The button changes in place: no navigation, and the focus stays on it.
    unfollow = other.get_by_role("button", name="Unfollow @newcomer")
    expect(unfollow).to_be_visible()
    expect(unfollow).to_be_focused()
    assert other.url == server.url + "/@newcomer"

    # Following merges the newcomer's recent posts into the reader's home (through a job).
    other.goto(server.url + "/")
    reload_until(other, other.locator("#timeline"), text)
    article = other.locator("#timeline article", has_text=text)
    article.locator("a.time").click()
    other.wait_for_url(THREAD_URL)
    thread_url = other.url

    # A reply, in place: it shows under the replies and the box comes back with the mention.
    box = other.get_by_label("Your reply")
    expect(box).to_have_value("@newcomer ")
    box.fill("@newcomer Bienvenue ! Ravi de te lire.")
    other.get_by_role("button", name="Post", exact=True).click()
    expect(other.locator("#replies article")).to_contain_text("Bienvenue ! Ravi de te lire.")
    expect(other.get_by_label("Your reply")).to_have_value("@newcomer ")
    expect(other.locator("#replies .empty")).to_be_hidden()

    # Like and repost the post, in place.
    focus = other.locator("article.post", has_text=text)
    like = focus.get_by_role("button", name=re.compile("^Like"))
    expect(like).to_have_attribute("aria-pressed", "false")
    like.click()
    like = focus.get_by_role("button", name=re.compile("^Like"))
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like.locator(".count")).to_have_text("1")
    focus.get_by_role("button", name=re.compile("^Repost")).click()
    repost = focus.get_by_role("button", name=re.compile("^Repost"))
    expect(repost).to_have_attribute("aria-pressed", "true")
    expect(repost.locator(".count")).to_have_text("1")
    assert other.url == thread_url
    # The post keeps its place as the thread's focus after being re-rendered in place.
    expect(other.locator("article.post.focus")).to_contain_text(text)
    # The reply, liked in place, still does not say "In reply to a post" under the post it answers.
    reply = other.locator("#replies article")
    reply.get_by_role("button", name=re.compile("^Like")).click()
    expect(reply.get_by_role("button", name=re.compile("^Like"))).to_have_attribute("aria-pressed", "true")
    expect(reply.locator(".context")).to_have_count(0)

    # The newcomer sees the counts and the reply on the post's page.
    page.goto(thread_url)
    mine = page.locator("article.post.focus")
    expect(mine).to_contain_text(text)
    expect(mine.get_by_role("button", name=re.compile("^Like")).locator(".count")).to_have_text("1")
    expect(mine.get_by_role("button", name=re.compile("^Repost")).locator(".count")).to_have_text("1")
    expect(mine.get_by_role("link", name=re.compile("^Reply")).locator(".count")).to_have_text("1")
    expect(page.locator("#replies")).to_contain_text("Bienvenue ! Ravi de te lire.")
    # …and the reader among their followers.
    page.goto(server.url + "/@newcomer/followers")
    expect(page.locator("#accounts")).to_contain_text("@reader")


def test_locked_account_accepts_a_follower(server: Server, page: Page, new_context: Any) -> None:
    secret = "Seulement pour mes abonnés : le code du portail est 1234"
    sign_up(page, server, "hermit")
    page.goto(server.url + "/settings")
    page.get_by_label(re.compile("^Locked account")).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("saved")
    expect(page.get_by_label(re.compile("^Locked account"))).to_be_checked()

    page.goto(server.url + "/")
    page.get_by_label("What's happening?").fill(secret)
    page.get_by_label("Visibility").select_option(label="Followers only")
    page.locator("#compose-submit").click()
    first = page.locator("#timeline article").first
    expect(first).to_contain_text(secret)
    expect(first.locator(".badge")).to_have_text("Followers only")

    suitor = new_context().new_page()
    sign_up(suitor, server, "suitor")
    suitor.goto(server.url + "/@hermit")
    expect(suitor.locator(".profile")).to_contain_text("Locked account")
    expect(suitor.locator("#timeline")).not_to_contain_text(secret)
    suitor.get_by_role("button", name="Follow @hermit").click()
    expect(suitor.locator(".follow")).to_contain_text("Requested")
    expect(suitor.get_by_role("button", name="Cancel follow request @hermit")).to_be_visible()
    assert suitor.url == server.url + "/@hermit"

    # The locked account sees the request waiting in its navigation, and accepts it in place.
    page.goto(server.url + "/")
    expect(page.locator("#nav-requests .badge-count")).to_have_text("1")
    page.locator("#nav-requests").click()
    page.wait_for_url(server.url + "/follow_requests")
    page.get_by_role("button", name="Accept @suitor").click()
    expect(page.locator("#accounts").get_by_role("status")).to_contain_text(
        "You accepted the follow request of suitor"
    )
    expect(page.locator("#nav-requests .badge-count")).to_have_count(0)
    assert page.url == server.url + "/follow_requests"

    # The follower now sees the followers-only post, on the profile and (through a job) at home.
    suitor.reload()
    expect(suitor.get_by_role("button", name="Unfollow @hermit")).to_be_visible()
    expect(suitor.locator("#timeline")).to_contain_text(secret)
    suitor.goto(server.url + "/")
    reload_until(suitor, suitor.locator("#timeline"), secret)


def test_load_more_appends_the_older_posts_in_place(server: Server, page: Page) -> None:
    prolific = api_register(server, "prolific")
    for n in range(1, 26):
        prolific.status(f"Message numéro {n} de la série")
    wait_for_home(prolific, 25)
    log_in(page, server, "prolific")
    articles = page.locator("#timeline article")
    expect(articles).to_have_count(20)
    expect(articles.first).to_contain_text("Message numéro 25 ")
    expect(articles.last).to_contain_text("Message numéro 6 ")
    url = page.url
    page.evaluate("window.__sameDocument = true")  # gone if the page were loaded again

    page.get_by_role("link", name="Load more").click()
    expect(articles).to_have_count(25)
    expect(articles.last).to_contain_text("Message numéro 1 ")
    expect(page.get_by_role("link", name="Load more")).to_have_count(0)  # nothing older
    assert page.url == url
    assert page.evaluate("window.__sameDocument === true")
    # Each post is there once, in order, newest first.
    texts = [re.search(r"numéro (\d+) ", t).group(1) for t in articles.all_inner_texts()]  # type: ignore[union-attr]
    assert texts == [str(n) for n in range(25, 0, -1)]


def test_delete_a_post_after_confirming(server: Server, page: Page) -> None:
    sign_up(page, server, "tidy")
    post(page, "Un message à garder")
    post(page, "Un message à effacer")
    doomed = page.locator("#timeline article", has_text="Un message à effacer")
    delete = doomed.get_by_role("button", name="Delete")

    # Dismissing the dialog keeps the post.
    messages: list[str] = []

    def dismiss(dialog: Any) -> None:
        messages.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    delete.click()
    for _ in range(50):  # the handler runs as Playwright dispatches the event
        if messages:
            break
        page.wait_for_timeout(100)
    assert messages == ["Delete this post?"]
    expect(doomed).to_be_visible()

    # Accepting it deletes the post, in place.
    url = page.url
    page.once("dialog", lambda dialog: dialog.accept())
    delete.click()
    expect(doomed).to_have_count(0)
    expect(page.locator("#timeline article")).to_have_count(1)
    assert page.url == url
    page.reload()
    expect(page.locator("#timeline")).to_contain_text("Un message à garder")
    expect(page.locator("#timeline")).not_to_contain_text("Un message à effacer")
