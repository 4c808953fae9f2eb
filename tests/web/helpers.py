"""Small helpers shared by the page tests."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import PASSWORD
from tests.web.conftest import Browser

HTMX = {"HX-Request": "true"}
POST_ID = re.compile(r'<article class="post[^"]*" id="post-(\d+)"')


def sign_in(browser: Browser, username: str) -> Any:
    """Log ``browser`` in as an account made by ``make_user`` (same password for everyone)."""
    browser.get("/auth/sign_in")
    r = browser.post("/auth/sign_in", {"login": username, "password": PASSWORD}, follow_redirects=True)
    assert r.status_code == 200, r.text
    return r


def post_ids(html: str) -> list[str]:
    """Ids of the posts shown, in page order."""
    return POST_ID.findall(html)


def small_pages(monkeypatch: Any, size: int = 2) -> None:
    """Make every paged list of the web pages ``size`` items long, to reach "load more" cheaply."""
    from gazouillis.web.pages import timelines

    monkeypatch.setattr(timelines, "PAGE_SIZE", size)
