"""Settings: preferences (language, locked account, default visibility) and the profile editor.

Every save goes through ``graph.update_profile``, the same code path as the API's update_credentials,
so unlocking an account here accepts its pending follow requests too.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gazouillis.accounts import profiles
from gazouillis.accounts import service as accounts
from gazouillis.errors import Invalid
from gazouillis.graph import service as graph
from gazouillis.web.context import Page
from gazouillis.web.i18n import LANGUAGES
from gazouillis.web.messages import N_

# Whole sentences, so translators can order the words as their language wants. ``fields-N-name`` stands
# for the label of any row of profile fields.
MESSAGES: dict[tuple[str, str], tuple[str, int | None]] = {
    ("display_name", "ERR_TOO_LONG"): (
        N_("Your display name is too long: use at most %(count)s characters."),
        profiles.MAX_DISPLAY_NAME,
    ),
    ("note", "ERR_TOO_LONG"): (
        N_("Your bio is too long: use at most %(count)s characters."),
        profiles.MAX_NOTE,
    ),
    ("website", "ERR_INVALID"): (N_("Enter a web address that starts with http:// or https://."), None),
    ("fields-N-name", "ERR_TOO_LONG"): (
        N_("This label is too long: use at most %(count)s characters."),
        profiles.MAX_FIELD_LENGTH,
    ),
    ("fields-N-value", "ERR_TOO_LONG"): (
        N_("This content is too long: use at most %(count)s characters."),
        profiles.MAX_FIELD_LENGTH,
    ),
    ("default_visibility", "ERR_INCLUSION"): (N_("Choose one of the visibilities offered."), None),
    ("current_password", "ERR_INVALID"): (N_("This is not your current password."), None),
    ("password_confirmation", "ERR_CONFIRMATION"): (N_("The two new passwords are different."), None),
}


def field_errors(page: Page, exc: Invalid) -> dict[str, str]:
    """The domain's per-field details as sentences in the page's language, keyed by the form's field ids."""
    errors = {}
    for key, detail in (exc.details or {}).items():
        field = key.replace(".", "-")  # fields.0.name → fields-0-name, the input's id
        generic = field
        if field.startswith("fields-") and field.count("-") == 2:
            generic = "fields-N-" + field.rsplit("-", 1)[1]
        known = MESSAGES.get((generic, detail[0]["error"]))
        if known is None:  # e.g. the password rules, which come with their own sentence
            description = detail[0]["description"]
            errors[field] = page.gettext(description)
        elif known[1] is None:
            errors[field] = page.gettext(known[0])
        else:
            errors[field] = page.gettext(known[0], count=known[1])
    if not errors:
        errors["form"] = page.gettext(exc.message)
    return errors


def _saved(page: Page) -> bool:
    return page.request.query_params.get("saved") == "1"


# -- Preferences ---------------------------------------------------------------------------------------


def preferences_form(page: Page) -> Response:
    assert page.viewer is not None and page.user is not None
    values = {
        "language": page.language,  # the stored choice, else what the browser asks for
        "locked": page.viewer.locked,
        "default_visibility": page.user.default_visibility,
    }
    return page.render("settings/preferences.html", values=values, errors={}, saved=_saved(page))


def save_preferences(page: Page) -> Response:
    assert page.viewer is not None
    values: dict[str, Any] = {
        "language": page.form.get("language", ""),
        "locked": page.form.get("locked") == "1",
        "default_visibility": page.form.get("default_visibility", ""),
    }
    if values["language"] not in LANGUAGES:
        errors = {"language": page.gettext("Choose one of the languages offered.")}
        return page.render("settings/preferences.html", 422, values=values, errors=errors, saved=False)
    changes = profiles.ProfileChanges(
        locked=values["locked"], default_visibility=values["default_visibility"]
    )
    try:
        with page.db.write() as session:
            graph.update_profile(session, accounts.get_account(session, page.viewer.id), changes)
            accounts.set_locale(session, page.viewer.id, values["language"])
    except Invalid as exc:
        errors = field_errors(page, exc)
        return page.render("settings/preferences.html", 422, values=values, errors=errors, saved=False)
    # Kept in the session too, so the pages stay in this language after logging out.
    page.request.session["lang"] = values["language"]
    return page.redirect("/settings?saved=1")


# -- Profile -------------------------------------------------------------------------------------------


def _rows(fields: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Always MAX_FIELDS rows, the empty ones to fill in."""
    rows = [{"name": str(f.get("name", "")), "value": str(f.get("value", ""))} for f in fields]
    return (rows + [{"name": "", "value": ""} for _ in range(profiles.MAX_FIELDS)])[: profiles.MAX_FIELDS]


def profile_form(page: Page) -> Response:
    assert page.viewer is not None
    account = page.viewer
    values = {
        "display_name": account.display_name,
        "note": account.note,
        "website": account.website,
        "bot": account.bot,
        "fields": _rows(account.fields or []),
    }
    return page.render("settings/profile.html", values=values, errors={}, saved=_saved(page), limits=profiles)


def save_profile(page: Page) -> Response:
    assert page.viewer is not None
    form = page.form
    rows = [
        {"name": form.get(f"fields-{i}-name", ""), "value": form.get(f"fields-{i}-value", "")}
        for i in range(profiles.MAX_FIELDS)
    ]
    values: dict[str, Any] = {
        "display_name": form.get("display_name", "").strip(),
        "note": form.get("note", "").strip(),
        "website": form.get("website", "").strip(),
        "bot": form.get("bot") == "1",
        "fields": rows,
    }
    changes = profiles.ProfileChanges(
        display_name=values["display_name"],
        note=values["note"],
        website=values["website"],
        bot=values["bot"],
        fields=[{k: v.strip() for k, v in row.items()} for row in rows],
    )
    try:
        with page.db.write() as session:
            graph.update_profile(session, accounts.get_account(session, page.viewer.id), changes)
    except Invalid as exc:
        errors = field_errors(page, exc)
        return page.render(
            "settings/profile.html", 422, values=values, errors=errors, saved=False, limits=profiles
        )
    return page.redirect("/settings/profile?saved=1")
