"""Landing, home, local timeline and the compose box."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gazouillis.errors import BadRequest, DomainError, NotFound
from gazouillis.pagination import Page as Cursor
from gazouillis.posts import service as posts
from gazouillis.posts.views import PostView, load_view
from gazouillis.timelines import service as timelines
from gazouillis.web.context import Page

PAGE_SIZE = 20


def parse_id(raw: str) -> int | None:
    """An id from a form or an address; None unless it fits the 64-bit columns (larger would crash them)."""
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 19):  # "²" is a digit too, int() refuses it
        return None
    return int(raw) if int(raw) < 2**63 else None


def cursor(page: Page) -> Cursor:
    raw = page.request.query_params.get("max_id", "")
    if raw and parse_id(raw) is None:
        raise BadRequest("max_id must be a number")
    return Cursor(limit=PAGE_SIZE, max_id=parse_id(raw))


def timeline_response(page: Page, template: str, views: list[PostView], **context: Any) -> Response:
    """A full page, or only the posts and the next "load more" link for htmx."""
    more_url = None
    if len(views) == PAGE_SIZE:
        more_url = f"{page.request.url.path}?max_id={views[-1].post.id}"
    if page.is_htmx and page.request.query_params.get("max_id"):
        return page.render("_timeline.html", views=views, more_url=more_url)
    return page.render(template, views=views, more_url=more_url, **context)


def reply_prefill(view: PostView, viewer_username: str | None) -> str:
    """ "@author @mentioned " for a reply: it addresses everyone in the conversation except oneself."""
    names = [view.account.username, *(a.username for a in view.mentions)]
    own = (viewer_username or "").lower()
    kept = dict.fromkeys(n for n in names if n.lower() != own)
    return "".join(f"@{n} " for n in kept)


# A reply is at least as private as the post it answers (as on Mastodon).
STRICTNESS = ("public", "unlisted", "private", "direct")


def compose_context(page: Page, reply_to: PostView | None = None, **values: str) -> dict[str, Any]:
    visibility = page.user.default_visibility if page.user else "public"
    quote = None
    with page.db.read() as session:
        if page.request.query_params.get("quote", "").isdigit():
            quote = load_view(session, int(page.request.query_params["quote"]), page.viewer_id)
        # A reply sent back with an error keeps what it replies to.
        reply_id = parse_id(page.form.get("in_reply_to_id", ""))
        if reply_to is None and reply_id is not None:
            reply_to = load_view(session, reply_id, page.viewer_id)
    if reply_to is not None and visibility in STRICTNESS and reply_to.post.visibility in STRICTNESS:
        visibility = max(visibility, reply_to.post.visibility, key=STRICTNESS.index)
    defaults = {"status": "", "spoiler_text": "", "visibility": visibility}
    status = values.get("status", "")
    return {
        "values": defaults | values,
        "errors": {},
        "quote": quote,
        "reply_to": reply_to,
        "remaining": page.settings.max_post_length
        - (posts.weighted_length(status, page.settings.max_post_length).weighted_length if status else 0),
    }


def index(page: Page) -> Response:
    if page.viewer is None:
        with page.db.read() as session:
            views = timelines.public(session, viewer_id=None, page=Cursor(limit=PAGE_SIZE))
        return page.render("landing.html", views=views, more_url=None)
    with page.db.read() as session:
        views = timelines.home(session, viewer_id=page.viewer.id, page=cursor(page))
    empty = page.gettext("Your home timeline is empty for now: post something, or follow people.")
    return timeline_response(page, "home.html", views, empty_message=empty, **compose_context(page))


def public(page: Page) -> Response:
    with page.db.read() as session:
        views = timelines.public(session, viewer_id=page.viewer_id, page=cursor(page))
    heading = page.gettext("Local timeline")
    return timeline_response(
        page, "timeline_page.html", views, heading=heading, empty_message="", stream="public:local"
    )


def _draft(page: Page) -> posts.Draft:
    def optional_id(name: str) -> int | None:
        value = page.form.get(name, "")
        return int(value) if value.isdigit() else None

    return posts.Draft(
        text=page.form.get("status", ""),
        visibility=page.form.get("visibility") or None,
        spoiler_text=page.form.get("spoiler_text", ""),
        in_reply_to_id=optional_id("in_reply_to_id"),
        quote_of_id=optional_id("quote_of_id"),
    )


def remaining(page: Page) -> int:
    body = page.form.get("spoiler_text", "") + page.form.get("status", "")
    counted = posts.weighted_length(body, page.settings.max_post_length)
    return page.settings.max_post_length - counted.weighted_length


def count(page: Page) -> Response:
    """The live counter: the server's own rules, so the count shown is the count enforced."""
    blank = not page.form.get("status", "").strip()
    return page.render("_counter.html", remaining=remaining(page), oob=True, blank=blank)


def create(page: Page) -> Response:
    assert page.viewer is not None
    draft = _draft(page)
    rules = posts.Rules(max_length=page.settings.max_post_length, base_url=page.settings.base_url)
    try:
        with page.db.write() as session:
            post = posts.create_post(session, author_id=page.viewer.id, draft=draft, rules=rules)
    except NotFound:
        raise
    except DomainError as exc:
        values = {k: page.form.get(k, "") for k in ("status", "spoiler_text", "visibility")}
        context = compose_context(page, **values) | {"remaining": remaining(page)}
        context["errors"] = {"status": _compose_error(page, exc)}
        if page.is_htmx:
            headers = {"HX-Retarget": "#compose", "HX-Reswap": "outerHTML"}
            return page.render("_compose.html", 422, headers=headers, **context)
        with page.db.read() as session:
            views = timelines.home(session, viewer_id=page.viewer.id, page=Cursor(limit=PAGE_SIZE))
        return page.render("home.html", 422, views=views, more_url=None, **context)
    if page.is_htmx:
        # In place: the new post goes on top of the timeline (or under the replies of the thread), and a
        # fresh compose box replaces the one just sent.
        with page.db.read() as session:
            view = load_view(session, post.id, page.viewer.id)
            parent = (
                load_view(session, draft.in_reply_to_id, page.viewer.id) if draft.in_reply_to_id else None
            )
        prefill = reply_prefill(parent, page.viewer.username) if parent else ""
        context = compose_context(page, reply_to=parent, status=prefill)
        fresh = page.render("_compose.html", **context).body.decode()
        fresh = fresh.replace('<form id="compose"', '<form id="compose" hx-swap-oob="true"', 1)
        post_html = page.render("_post.html", view=view, thread_focus=draft.in_reply_to_id).body.decode()
        # The "timeline is empty" notice, if shown, goes away now that there is a post.
        return page.render_html(post_html + fresh + '<p id="timeline-empty" hx-swap-oob="delete"></p>')
    if draft.in_reply_to_id:
        return page.back()
    return page.redirect("/")


def _compose_error(page: Page, exc: DomainError) -> str:
    """The reason in the reader's language; the two everyday cases are worded for people, not clients."""
    if not page.form.get("status", "").strip():
        return page.gettext("Write something before posting.")
    over = -remaining(page)
    if over > 0:
        translations = page.environments[page.language].globals["translations"]
        too_long = translations.ngettext(
            "This post is %(count)s character too long.", "This post is %(count)s characters too long.", over
        )
        return str(too_long % {"count": over})
    return page.gettext(exc.message.removeprefix("Validation failed: "))
