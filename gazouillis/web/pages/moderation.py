"""Blocks and mutes on the pages: the profile's Mute / Block buttons (a block asks for confirmation
first), and the settings lists of muted and blocked accounts with their undo buttons."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session
from starlette.responses import Response

from gazouillis.accounts import service as accounts
from gazouillis.accounts.tables import Account
from gazouillis.errors import NotFound
from gazouillis.graph import moderation
from gazouillis.graph import service as graph
from gazouillis.web.context import Page
from gazouillis.web.pages.timelines import cursor

# The durations a mute can be given on the pages, in seconds (0: until it is lifted).
MUTE_DURATIONS = (0, 3600, 86400, 7 * 86400)


def _account(session: Session, page: Page) -> Account:
    found = accounts.find_by_username(session, page.request.path_params["username"])
    if found is None:
        raise NotFound()
    return found


def block_form(page: Page) -> Response:
    """The confirmation asked before a block (a plain page: works without JavaScript)."""
    assert page.viewer is not None
    with page.db.read() as session:
        account = _account(session, page)
    if account.id == page.viewer.id:
        raise NotFound()
    return page.render("settings/confirm_block.html", account=account)


def _change(page: Page, change: Callable[..., graph.Relationship], **options: object) -> Response:
    assert page.viewer is not None
    with page.db.write() as session:
        account = _account(session, page)
        change(session, account_id=page.viewer.id, target_id=account.id, **options)
    return page.back(f"/@{account.username}")


def block(page: Page) -> Response:
    return _change(page, moderation.block)


def unblock(page: Page) -> Response:
    return _change(page, moderation.unblock)


def mute(page: Page) -> Response:
    raw = page.form.get("duration", "0")
    duration = int(raw) if raw.isdigit() and int(raw) in MUTE_DURATIONS else 0
    # An unchecked checkbox is absent from the form: "notifications" is sent as "1" when ticked.
    return _change(
        page, moderation.mute, duration=duration, notifications=page.form.get("notifications") == "1"
    )


def unmute(page: Page) -> Response:
    return _change(page, moderation.unmute)


def mutes(page: Page) -> Response:
    assert page.viewer is not None
    with page.db.read() as session:
        found, cursors = moderation.muted_accounts(session, account_id=page.viewer.id, page=cursor(page))
    return page.render("settings/mutes.html", mutes=found, more_url=_more(page, cursors))


def blocks(page: Page) -> Response:
    assert page.viewer is not None
    with page.db.read() as session:
        found, cursors = moderation.blocked_accounts(session, account_id=page.viewer.id, page=cursor(page))
    return page.render("settings/blocks.html", people=found, more_url=_more(page, cursors))


def _more(page: Page, cursors: list[int]) -> str | None:
    size = cursor(page).limit
    return f"{page.request.url.path}?max_id={cursors[-1]}" if len(cursors) >= size else None
