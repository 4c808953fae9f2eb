"""Lists pages: the viewer's lists, a list's timeline, and its settings and members.

Every form works without JavaScript (plain posts that come back to the page); deleting a list asks for
a confirmation on a page of its own.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gazouillis.errors import Invalid, NotFound
from gazouillis.lists import service as lists
from gazouillis.lists.tables import REPLIES_POLICIES
from gazouillis.lists.timeline import list_timeline
from gazouillis.web.context import Page
from gazouillis.web.pages.timelines import cursor, parse_id, timeline_response


def _list_id(page: Page) -> int:
    found = parse_id(page.request.path_params["id"])
    if found is None:
        raise NotFound()
    return found


def _error(page: Page, exc: Invalid) -> str:
    return page.gettext(exc.message.removeprefix("Validation failed: "))


def index(page: Page, errors: dict[str, str] | None = None, status: int = 200) -> Response:
    assert page.viewer is not None
    with page.db.read() as session:
        found = lists.lists_of(session, owner_id=page.viewer.id)
    found.sort(key=lambda r: r.title.casefold())
    values = {"title": page.form.get("title", "")} if errors else {"title": ""}
    return page.render("lists.html", status, lists=found, errors=errors or {}, values=values)


def create(page: Page) -> Response:
    assert page.viewer is not None
    try:
        with page.db.write() as session:
            made = lists.create_list(
                session,
                owner_id=page.viewer.id,
                title=page.form.get("title"),
                exclusive=page.form.get("exclusive") == "1",
            )
    except Invalid as exc:
        return index(page, {"title": _error(page, exc)}, 422)
    return page.redirect(f"/lists/{made.id}")


def show(page: Page) -> Response:
    assert page.viewer is not None
    list_id = _list_id(page)
    with page.db.read() as session:
        row = lists.get_list(session, owner_id=page.viewer.id, list_id=list_id)
        views = list_timeline(session, owner_id=page.viewer.id, list_id=list_id, page=cursor(page))
    return timeline_response(
        page,
        "list.html",
        views,
        list=row,
        empty_message=page.gettext("Nobody in this list has posted yet. Add members to read them here."),
    )


def _edit_context(page: Page, list_id: int) -> dict[str, Any]:
    assert page.viewer is not None
    query = page.request.query_params.get("q", "")
    with page.db.read() as session:
        row = lists.get_list(session, owner_id=page.viewer.id, list_id=list_id)
        people, _ = lists.members(session, owner_id=page.viewer.id, list_id=list_id, page=None)
        candidates = lists.addable(session, owner_id=page.viewer.id, list_id=list_id, query=query)
    people.sort(key=lambda a: a.username.casefold())
    return {
        "list": row,
        "members": people,
        "candidates": candidates,
        "q": query,
        "policies": REPLIES_POLICIES,
    }


def edit_form(page: Page) -> Response:
    context = _edit_context(page, _list_id(page))
    values = {
        "title": context["list"].title,
        "replies_policy": context["list"].replies_policy,
        "exclusive": context["list"].exclusive,
    }
    saved = page.request.query_params.get("saved") == "1"
    return page.render("list_edit.html", values=values, errors={}, saved=saved, **context)


def save(page: Page) -> Response:
    assert page.viewer is not None
    list_id = _list_id(page)
    values = {
        "title": page.form.get("title", ""),
        "replies_policy": page.form.get("replies_policy", ""),
        "exclusive": page.form.get("exclusive") == "1",
    }
    # Each field checked on its own, so that each message stands beside its field; nothing is written
    # unless both are right.
    errors: dict[str, str] = {}
    for name, check in (("title", lists.clean_title), ("replies_policy", lists.clean_policy)):
        try:
            check(values[name])
        except Invalid as exc:
            errors[name] = _error(page, exc)
    if errors:
        context = _edit_context(page, list_id)
        return page.render("list_edit.html", 422, values=values, errors=errors, saved=False, **context)
    with page.db.write() as session:
        lists.update_list(
            session,
            owner_id=page.viewer.id,
            list_id=list_id,
            title=values["title"],
            replies_policy=values["replies_policy"],
            exclusive=values["exclusive"],
        )
    return page.redirect(f"/lists/{list_id}/edit?saved=1")


def delete(page: Page) -> Response:
    assert page.viewer is not None
    list_id = _list_id(page)
    if page.form.get("confirmed") != "1":
        with page.db.read() as session:
            row = lists.get_list(session, owner_id=page.viewer.id, list_id=list_id)
        return page.render("list_delete.html", list=row)
    with page.db.write() as session:
        lists.delete_list(session, owner_id=page.viewer.id, list_id=list_id)
    return page.redirect("/lists")


def _member_id(page: Page, raw: str) -> int:
    found = parse_id(raw)
    if found is None:
        raise NotFound()
    return found


def add_member(page: Page) -> Response:
    assert page.viewer is not None
    list_id = _list_id(page)
    account_id = _member_id(page, page.form.get("account_id", ""))
    with page.db.write() as session:
        lists.add_accounts(session, owner_id=page.viewer.id, list_id=list_id, account_ids=[account_id])
    return page.back(f"/lists/{list_id}/edit")


def remove_member(page: Page) -> Response:
    assert page.viewer is not None
    list_id = _list_id(page)
    account_id = _member_id(page, page.request.path_params["account_id"])
    with page.db.write() as session:
        lists.remove_accounts(session, owner_id=page.viewer.id, list_id=list_id, account_ids=[account_id])
    return page.back(f"/lists/{list_id}/edit")
