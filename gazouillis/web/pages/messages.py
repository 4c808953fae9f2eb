"""Direct messages: the viewer's conversations, one conversation with a reply box, a new message."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gazouillis.conversations import compose
from gazouillis.conversations import service as conversations
from gazouillis.errors import DomainError, NotFound
from gazouillis.pagination import Page as Cursor
from gazouillis.posts import service as posts
from gazouillis.web.context import Page
from gazouillis.web.pages.timelines import PAGE_SIZE, parse_id


def _rules(page: Page) -> posts.Rules:
    return posts.Rules(max_length=page.settings.max_post_length, base_url=page.settings.base_url)


def _index(page: Page, status: int = 200, **form: Any) -> Response:
    assert page.viewer is not None
    raw = page.request.query_params.get("max_id", "")
    with page.db.read() as session:
        rows = conversations.conversations(
            session, viewer_id=page.viewer.id, page=Cursor(limit=PAGE_SIZE, max_id=parse_id(raw))
        )
        people = conversations.participants(session, rows)
        views = conversations.last_posts(session, page.viewer.id, rows)
    items = [
        {
            "row": r,
            "people": [people[i] for i in r.participant_ids or [] if i in people],
            "last": views.get(r.last_post_id or 0),
        }
        for r in rows
    ]
    more = f"/messages?max_id={rows[-1].last_post_id}" if len(rows) == PAGE_SIZE else None
    values = {"to": page.request.query_params.get("to", ""), "text": ""} | form.pop("values", {})
    return page.render(
        "messages.html", status, items=items, more_url=more, values=values, errors=form.get("errors", {})
    )


def index(page: Page) -> Response:
    return _index(page)


def start(page: Page) -> Response:
    assert page.viewer is not None
    to, body = page.form.get("to", ""), page.form.get("text", "")
    try:
        with page.db.write() as session:
            post = compose.start(session, author_id=page.viewer.id, to=to, body=body, rules=_rules(page))
            row = conversations.row_of(
                session, viewer_id=page.viewer.id, conversation_id=post.conversation_id or post.id
            )
            target = f"/messages/{row.id}" if row else "/messages"
    except compose.UnknownRecipient as exc:
        message = (
            page.gettext("Nobody here is called @%(name)s.", name=exc.name)
            if exc.name
            else page.gettext(exc.message)
        )
        return _index(page, 422, values={"to": to, "text": body}, errors={"to": message})
    except NotFound:
        raise
    except DomainError as exc:
        message = page.gettext(exc.message.removeprefix("Validation failed: "))
        return _index(page, 422, values={"to": to, "text": body}, errors={"text": message})
    return page.redirect(target)


def _conversation_id(page: Page) -> int:
    found = parse_id(str(page.request.path_params.get("id", "")))
    if found is None:
        raise NotFound()
    return found


def _show(page: Page, status: int = 200, **extra: Any) -> Response:
    assert page.viewer is not None
    with page.db.write() as session:  # opening it marks it read
        row = conversations.mark_read(
            session, viewer_id=page.viewer.id, conversation_id=_conversation_id(page)
        )
        views = conversations.messages(session, viewer_id=page.viewer.id, row=row)
        people = list(conversations.participants(session, [row]).values())
    return page.render(
        "conversation.html",
        status,
        row=row,
        views=views,
        people=people,
        values=extra.get("values", {"text": ""}),
        errors=extra.get("errors", {}),
    )


def show(page: Page) -> Response:
    return _show(page)


def reply(page: Page) -> Response:
    assert page.viewer is not None
    body = page.form.get("text", "")
    try:
        with page.db.write() as session:
            row = conversations.get_conversation(
                session, viewer_id=page.viewer.id, conversation_id=_conversation_id(page)
            )
            compose.reply(session, author_id=page.viewer.id, row=row, body=body, rules=_rules(page))
    except NotFound:
        raise
    except DomainError as exc:
        message = page.gettext(exc.message.removeprefix("Validation failed: "))
        return _show(page, 422, values={"text": body}, errors={"text": message})
    return page.redirect(f"/messages/{row.id}")
