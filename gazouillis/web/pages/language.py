"""Choosing the language of the pages (visitors keep it in their session, members in their settings)."""

from __future__ import annotations

from starlette.responses import Response

from gazouillis.accounts import service as accounts
from gazouillis.web.context import Page
from gazouillis.web.i18n import LANGUAGES


def set_language(page: Page) -> Response:
    language = page.form.get("language", "")
    if language in LANGUAGES:
        page.request.session["lang"] = language
        if page.viewer is not None:
            with page.db.write() as session:
                accounts.set_locale(session, page.viewer.id, language)
    return page.back()
