"""Sign up, log in, log out."""

from __future__ import annotations

from starlette.responses import Response

from gazouillis.accounts import service as accounts
from gazouillis.errors import Forbidden, Invalid, RateLimited
from gazouillis.web.context import Page
from gazouillis.web.messages import N_


def _next(page: Page) -> str:
    target = page.form.get("next") or page.request.query_params.get("next") or "/"
    return target if target.startswith("/") and not target.startswith("//") else "/"


def sign_in_form(page: Page) -> Response:
    if page.viewer is not None:
        return page.redirect(_next(page))
    return page.render("auth/sign_in.html", next=_next(page), login="")


def sign_in(page: Page) -> Response:
    login = page.form.get("login", "")
    try:
        account = accounts.log_in(
            page.db, login=login, password=page.form.get("password", ""), address=page.client_address
        )
    except Invalid:
        error = page.gettext("Invalid e-mail address or password.")
        return page.render("auth/sign_in.html", 422, next=_next(page), login=login, error=error)
    except Forbidden as exc:
        return page.render(
            "auth/sign_in.html", 403, next=_next(page), login=login, error=page.gettext(exc.message)
        )
    except RateLimited:
        error = page.gettext("Too many failed log-in attempts. Wait a few minutes and try again.")
        return page.render("auth/sign_in.html", 429, next=_next(page), login=login, error=error)
    page.sign_in(account)
    return page.redirect(_next(page))


def sign_out(page: Page) -> Response:
    page.sign_out()
    return page.redirect("/")


# Whole sentences, so translators can order the words as their language wants.
SIGN_UP_MESSAGES = {
    ("username", "ERR_TAKEN"): N_("This username is already taken."),
    ("username", "ERR_RESERVED"): N_("This username is reserved."),
    ("username", "ERR_BLANK"): N_("Choose a username."),
    ("username", "ERR_INVALID"): N_("Use only letters, digits and underscores (at most 30)."),
    ("email", "ERR_TAKEN"): N_("This e-mail address is already used by an account."),
    ("email", "ERR_INVALID"): N_("This is not a valid e-mail address."),
}


def sign_up_form(page: Page) -> Response:
    if page.viewer is not None:
        return page.redirect("/")
    return page.render("auth/sign_up.html", values={}, errors={})


def sign_up(page: Page) -> Response:
    mode = page.settings.registrations
    values = {k: page.form.get(k, "") for k in ("username", "email", "reason")}
    if mode == "closed":
        return page.render("auth/sign_up.html", 403, values=values, errors={})
    try:
        with page.db.write() as session:
            account = accounts.create_account(
                session,
                username=values["username"],
                email=values["email"],
                password=page.form.get("password", ""),
                approved=mode == "open",
                locale=page.language,
                reason=values["reason"],
            )
    except Invalid as exc:
        errors = {field: _field_error(page, field, d[0]) for field, d in (exc.details or {}).items()}
        return page.render("auth/sign_up.html", 422, values=values, errors=errors)
    if mode == "approval":
        return page.render("auth/pending.html")
    page.sign_in(account)
    return page.redirect("/")


def _field_error(page: Page, field: str, detail: dict[str, str]) -> str:
    sentence = SIGN_UP_MESSAGES.get((field, detail["error"]))
    if sentence is not None:
        return page.gettext(sentence)
    # Password rules come from the domain with their own sentence (listed in web/messages.py).
    description = detail["description"]
    return page.gettext(description)
