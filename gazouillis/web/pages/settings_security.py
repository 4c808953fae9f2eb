"""Settings that guard the account: changing the password, and the applications allowed to use it."""

from __future__ import annotations

from starlette.responses import Response

from gazouillis.accounts import service as accounts
from gazouillis.errors import Invalid, NotFound
from gazouillis.oauth import service as oauth
from gazouillis.web.context import Page
from gazouillis.web.pages.settings import field_errors


def password_form(page: Page) -> Response:
    saved = page.request.query_params.get("saved") == "1"
    return page.render("settings/password.html", errors={}, saved=saved)


def change_password(page: Page) -> Response:
    assert page.viewer is not None
    try:
        with page.db.write() as session:
            accounts.change_password(
                session,
                page.viewer.id,
                current=page.form.get("current_password", ""),
                new=page.form.get("password", ""),
                confirmation=page.form.get("password_confirmation", ""),
            )
    except Invalid as exc:
        return page.render("settings/password.html", 422, errors=field_errors(page, exc), saved=False)
    # The session now carries the new password's fingerprint: this browser stays signed in, while every
    # other session still holds the old one and is signed out on its next request.
    page.sign_in(page.viewer)
    return page.redirect("/settings/password?saved=1")


def _application_id(page: Page) -> int:
    raw = page.request.path_params["id"]
    if not (raw.isdigit() and len(raw) < 20):
        raise NotFound()
    return int(raw)


def applications(page: Page) -> Response:
    assert page.viewer is not None
    # Set by revoke_application: the name of the app just revoked, shown once.
    revoked_name = page.request.session.pop("revoked_app", None)
    with page.db.read() as session:
        apps = oauth.authorized_applications(session, page.viewer.id)
    return page.render("settings/applications.html", apps=apps, revoked_name=revoked_name)


def revoke_application(page: Page) -> Response:
    assert page.viewer is not None
    application_id = _application_id(page)
    with page.db.write() as session:
        app = oauth.get_application(session, application_id)
        if app is None:
            raise NotFound()
        oauth.revoke_by_id(session, account_id=page.viewer.id, application_id=application_id)
        page.request.session["revoked_app"] = app.name[:200]
    return page.redirect("/settings/applications")
