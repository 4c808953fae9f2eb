"""Accessibility of every main page in chromium, with axe-core: no serious or critical violation, signed out
and signed in, in English and in French, on a desktop and on a phone; the keyboard path from the top of
the page; and a screenshot of each page in test-artifacts/screenshots/ (``home-lively`` is the README's).

The pages are filled through the API first (people, a conversation, a repost, a quote, a content warning,
likes, a follow request), so that axe sees every kind of post and list rather than empty pages.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, axe_check, axe_report, screenshot
from tests.browser.test_full_journeys import ApiUser, api_register, log_in
from tests.browser.test_smoke import authorize_url
from tests.e2e.conftest import Server

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
# The focused element's outline, as drawn: style and width.
FOCUS_OUTLINE = """() => {
  const s = getComputedStyle(document.activeElement);
  return {style: s.outlineStyle, width: parseFloat(s.outlineWidth)};
}"""


@dataclass
class World:
    viewer: ApiUser
    thread_path: str  # a reply, with the post it answers above and an answer below
    tag: str


def build_world(server: Server) -> World:
    """People and posts enough for every page to show what it is made for."""
    sam = api_register(
        server,
        "sam",
        display_name="Sam Okafor",
        note="Cyclist, amateur baker. Bread pictures on Sundays.",
        locked="true",
    )
    maya = api_register(
        server,
        "maya",
        display_name="Maya Lindqvist",
        note="Urban gardener in Lyon. Tomatoes, bees and compost. #jardin",
    )
    jules = api_register(
        server, "jules", display_name="Jules Moreau", note="Night trains, old maps and long walks."
    )
    noor = api_register(server, "noor", display_name="Noor Haddad")
    for reader, author in [(sam, maya), (sam, jules), (jules, maya), (maya, jules), (noor, maya)]:
        reader.follow(author)
    noor.follow(sam)  # sam is locked: a request waiting on /follow_requests

    tomatoes = maya.status(
        "The first tomatoes of the season are finally turning red. Three months of patience on a tiny "
        "balcony, and it was worth every watering can. #jardin"
    )
    train = jules.status(
        "The night train from Paris to Berlin is back and I have booked a couchette. "
        "Any tips for sleeping through the border stops? #trains"
    )
    sam.status("Sourdough attempt number four: it finally rose! Recipe in the replies if anyone wants it.")
    maya.status(
        "The gardener was the narrator all along. I need a week to recover.",
        spoiler_text="Season finale spoilers",
    )
    reply = jules.status("@maya They look wonderful! Which variety is it?", in_reply_to_id=tomatoes["id"])
    maya.status(
        "@jules Cœur de bœuf, from seeds a neighbour gave me last spring.", in_reply_to_id=reply["id"]
    )
    # A repost shows on sam's home when sam does not follow the author (and so does not have the post yet).
    bikes = noor.status("Looking for a bike repair workshop near the Croix-Rousse. Any recommendation?")
    repost = jules.act(bikes["id"], "reblog")
    quote = maya.status("Taking notes for my own trip in June.", quoted_status_id=train["id"])
    last = maya.status(
        "Bees are back on the lavender this morning. Listening to them is the best way to start a day. "
        "#jardin"
    )
    for who, status, action in [
        (sam, tomatoes, "favourite"),
        (noor, tomatoes, "favourite"),
        (noor, train, "favourite"),
        (jules, last, "favourite"),
        (sam, last, "favourite"),
        (sam, train, "bookmark"),
        (noor, tomatoes, "reblog"),
    ]:
        who.act(status["id"], action)

    # A direct message and a mention for sam's messages and notifications, a list, a filter, a mute.
    noor.status("@sam Is the bakery course still on this Saturday?", visibility="direct")
    maya.status("@sam The bees would love your sourdough crumbs.")
    experts = sam.call("POST", "/api/v1/lists", title="Gardeners")
    sam.call("POST", f"/api/v1/lists/{experts['id']}/accounts", account_ids=[maya.id])
    sam.call("POST", "/api/v2/filters", title="Spoilers", context=["home", "public"], filter_action="warn")
    promo = api_register(server, "promo", display_name="Promo Deals")
    sam.call("POST", f"/api/v1/accounts/{promo.id}/mute", duration=3600)
    sam.call("POST", "/api/v1/tags/trains/follow")
    sam.call("POST", "/api/v1/featured_tags", name="sourdough")

    # The fan-out runs in the server's job runner: wait for the last posts to reach sam's home.
    wait_until_home_has(sam, {repost["id"], quote["id"], last["id"]})
    return World(viewer=sam, thread_path=f"/@jules/{reply['id']}", tag="jardin")


def wait_until_home_has(user: ApiUser, status_ids: set[str], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while missing := status_ids - set(user.home_ids()):
        assert time.monotonic() < deadline, f"posts {missing} did not reach @{user.username}'s home"
        time.sleep(0.2)


def signed_in_pages(world: World) -> list[tuple[str, str]]:
    return [
        ("home", "/"),
        ("public", "/public"),
        ("profile", "/@maya"),
        ("followers", "/@maya/followers"),
        ("thread", world.thread_path),
        ("tag", f"/tags/{world.tag}"),
        ("bookmarks", "/bookmarks"),
        ("favourites", "/favourites"),
        ("follow-requests", "/follow_requests"),
        ("settings", "/settings"),
        ("settings-profile", "/settings/profile"),
        ("settings-password", "/settings/password"),
        ("settings-applications", "/settings/applications"),
        ("notifications", "/notifications"),
        ("messages", "/messages"),
        ("explore", "/explore"),
        ("search", "/search?q=jardin"),
        ("search-people", "/search?q=gardener&type=accounts"),
        ("lists", "/lists"),
        ("settings-filters", "/settings/filters"),
        ("settings-mutes", "/settings/mutes"),
        ("settings-hashtags", "/settings/hashtags"),
    ]


class Audit:
    """Runs axe on page after page and gathers the failures, to report them all at once."""

    def __init__(self) -> None:
        self.failures: list[str] = []

    def check(self, page: Page, name: str) -> None:
        found = axe_check(page)
        if found:
            self.failures.append(f"{name} ({page.url}): {axe_report(found)}")


def tour(
    server: Server, signed_out: BrowserContext, signed_in: BrowserContext, world: World, *, suffix: str
) -> list[str]:
    """Every main page, signed out then signed in, checked with axe and photographed (in French, only
    home is photographed); returns the failures."""
    audit = Audit()
    language = "fr" if suffix == "-fr" else "en"

    def shot(page: Page, name: str) -> None:
        if not suffix or name == "home":
            screenshot(page, ("home-lively" if name == "home" else f"page-{name}") + suffix)

    page = signed_out.new_page()
    for name, path in [("landing", "/"), ("sign-in", "/auth/sign_in"), ("sign-up", "/auth/sign_up")]:
        page.goto(server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        audit.check(page, name + suffix)
        shot(page, name)
    # The sign-up form again, with its errors shown after an invalid submit.
    page.locator("#username").fill("no spaces!")
    page.locator("#email").fill("not-an-address")
    page.locator("#password").fill("123")
    page.locator('form[action="/auth/sign_up"] button[type="submit"]').click()
    expect(page.locator("#username[aria-invalid=true]")).to_be_visible()
    expect(page.locator("p.error").first).to_be_visible()
    audit.check(page, "sign-up-errors" + suffix)
    shot(page, "sign-up-errors")
    page.goto(authorize_url(server))
    audit.check(page, "oauth-consent-signed-out" + suffix)
    for name, path in [("explore-signed-out", "/explore"), ("search-signed-out", "/search?q=tomatoes")]:
        page.goto(server.url + path)
        audit.check(page, name + suffix)
        shot(page, name)
    page.close()

    page = signed_in.new_page()
    for name, path in signed_in_pages(world):
        page.goto(server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("main article, main .account-row, main form").first).to_be_visible()
        audit.check(page, name + suffix)
        shot(page, name)
    page.goto(authorize_url(server))
    expect(page.locator("main form")).to_contain_text("@sam")
    audit.check(page, "oauth-consent" + suffix)
    shot(page, "oauth-consent")
    page.close()
    return audit.failures


def check_keyboard(page: Page) -> None:
    """From the top of home: the skip link first, visible when focused, then the navigation; following
    the skip link, the next Tab lands in the compose box, with a visible focus ring."""
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "the skip link stays off screen when focused"
    outline = page.evaluate(FOCUS_OUTLINE)
    assert outline["style"] != "none" and outline["width"] > 0, outline
    # The site's name, then Home, Notifications, Messages, Explore, Local.
    for expected in ("/", "/", "/notifications", "/messages", "/explore", "/public"):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "[document.activeElement.closest('nav')?.getAttribute('aria-label'),"
            " document.activeElement.getAttribute('href')]"
        )
        assert focused == ["Main", expected], focused
    for _ in range(6):
        page.keyboard.press("Shift+Tab")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("What's happening?")).to_be_focused()
    outline = page.evaluate(FOCUS_OUTLINE)
    assert outline["style"] != "none" and outline["width"] > 0, outline
    screenshot(page, "home-keyboard-focus")


def test_every_page_is_accessible(server: Server, new_context: Any) -> None:
    world = build_world(server)
    english = new_context()
    home = english.new_page()
    log_in(home, server, "sam")
    # What the README shows: a lively home, with a repost, a content warning, replies and a quote.
    timeline = home.locator("#timeline")
    expect(timeline.locator("article")).to_have_count(10)
    expect(timeline).to_contain_text("Jules Moreau reposted")
    expect(timeline.locator("details.cw summary")).to_contain_text("Season finale spoilers")
    expect(timeline.locator("blockquote.quote")).to_contain_text("night train")
    expect(timeline.locator(".quote-inline")).to_be_hidden()  # the "RE: <link>" line, for other clients
    expect(timeline.locator("p.context a").first).to_be_visible()  # "In reply to a post"
    check_keyboard(home)
    home.close()

    failures = tour(server, new_context(), english, world, suffix="")
    # French: the same pages, with the same session (the language follows the browser's).
    french = new_context(locale="fr-FR", storage_state=english.storage_state())
    failures += tour(server, new_context(locale="fr-FR"), french, world, suffix="-fr")

    # On a phone: home and a profile get the full check and a picture; no page scrolls sideways.
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    phone.context.add_cookies(english.cookies())
    for name, path in signed_in_pages(world):
        phone.goto(server.url + path)
        if not phone.evaluate(NO_HORIZONTAL_SCROLL):
            failures.append(f"{name}-phone: the page scrolls sideways on a phone")
        if name in ("home", "profile"):
            audit = Audit()
            audit.check(phone, f"{name}-phone")
            failures += audit.failures
            screenshot(phone, f"{name}-phone")
    assert not failures, "\n\n".join(failures)
