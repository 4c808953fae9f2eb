"""Keyword filters on the pages: the list, a form to create or edit one (title, contexts, action,
expiry, keywords with their whole-word toggles), and deletion. Errors show beside their fields."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gazouillis.errors import Invalid, NotFound
from gazouillis.filters import service as filters
from gazouillis.filters.service import UNSET, FilterFull, KeywordChange
from gazouillis.filters.tables import CONTEXTS
from gazouillis.web.context import Page
from gazouillis.web.messages import N_

# Expiry choices in seconds ("" never; on an edit, "keep" leaves the current expiry as it is).
EXPIRIES = (1800, 3600, 6 * 3600, 12 * 3600, 86400, 7 * 86400)
NEW_KEYWORD_ROWS = 3

MESSAGES = {
    "title": N_("Give the filter a title."),
    "context": N_("Choose at least one place where the filter applies."),
    "filter_action": N_("Choose what happens to a matching post."),
    "keyword": N_("A keyword cannot be blank or longer than 200 characters."),
    "expires_in": N_("Choose one of the durations offered."),
}


def _filter_id(page: Page) -> int:
    raw = page.request.path_params["id"]
    if not (raw.isdigit() and len(raw) < 20):
        raise NotFound()
    return int(raw)


def index(page: Page) -> Response:
    assert page.viewer is not None
    with page.db.read() as session:
        found = filters.filters_of(session, account_id=page.viewer.id)
    return page.render("settings/filters.html", filters=found, saved=page.request.query_params.get("saved"))


def _form(page: Page, found: FilterFull | None, errors: dict[str, str], status: int = 200) -> Response:
    return page.render(
        "settings/filter_form.html",
        status,
        found=found,
        errors=errors,
        contexts=CONTEXTS,
        expiries=EXPIRIES,
        new_rows=range(NEW_KEYWORD_ROWS),
    )


def new_form(page: Page) -> Response:
    return _form(page, None, {})


def edit_form(page: Page) -> Response:
    assert page.viewer is not None
    with page.db.read() as session:
        row = filters.get_filter(session, account_id=page.viewer.id, filter_id=_filter_id(page))
        found = filters.full(session, row)
    return _form(page, found, {})


def _changes(page: Page, found: FilterFull | None) -> dict[str, Any]:
    """What the form asks, in the service's terms."""
    form = page.form
    keywords = []
    for keyword in found.keywords if found else []:
        if form.get(f"delete-{keyword.id}") == "1":
            keywords.append(KeywordChange(id=keyword.id, destroy=True))
        else:
            keywords.append(
                KeywordChange(
                    id=keyword.id,
                    keyword=form.get(f"keyword-{keyword.id}", keyword.keyword),
                    whole_word=form.get(f"whole_word-{keyword.id}") == "1",
                )
            )
    for n in range(NEW_KEYWORD_ROWS):
        text = form.get(f"new_keyword-{n}", "").strip()
        if text:
            keywords.append(KeywordChange(keyword=text, whole_word=form.get(f"new_whole_word-{n}") == "1"))
    raw_expiry = form.get("expires_in", "")
    if raw_expiry == "keep" and found is not None:
        expires_in: Any = UNSET
    elif raw_expiry.isdigit() and int(raw_expiry) in EXPIRIES:
        expires_in = int(raw_expiry)
    elif raw_expiry in ("", "keep"):
        expires_in = None
    else:
        raise Invalid(
            "Validation failed", details={"expires_in": [{"error": "ERR_INVALID", "description": ""}]}
        )
    return {
        "title": form.get("title", ""),
        "context": [c for c in CONTEXTS if form.get(f"context_{c}") == "1"],
        "action": form.get("filter_action", "warn"),
        "expires_in": expires_in,
        "keywords": keywords,
    }


def _errors(page: Page, exc: Invalid) -> dict[str, str]:
    errors = {name: page.gettext(MESSAGES[name]) for name in exc.details or {} if name in MESSAGES}
    return errors or {"form": page.gettext(exc.message)}


def create(page: Page) -> Response:
    assert page.viewer is not None
    try:
        with page.db.write() as session:
            filters.create_filter(session, account_id=page.viewer.id, **_changes(page, None))
    except Invalid as exc:
        return _form(page, None, _errors(page, exc), 422)
    return page.redirect("/settings/filters?saved=1")


def update(page: Page) -> Response:
    assert page.viewer is not None
    filter_id = _filter_id(page)
    with page.db.read() as session:
        found = filters.full(
            session, filters.get_filter(session, account_id=page.viewer.id, filter_id=filter_id)
        )
    try:
        with page.db.write() as session:
            filters.update_filter(
                session, account_id=page.viewer.id, filter_id=filter_id, **_changes(page, found)
            )
    except Invalid as exc:
        return _form(page, found, _errors(page, exc), 422)
    return page.redirect("/settings/filters?saved=1")


def delete(page: Page) -> Response:
    assert page.viewer is not None
    with page.db.write() as session:
        filters.delete_filter(session, account_id=page.viewer.id, filter_id=_filter_id(page))
    return page.redirect("/settings/filters")
