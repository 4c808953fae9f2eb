"""Smoke test of the browser setup: the OAuth consent page, used as a person would, in chromium."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

import httpx2 as httpx
import pytest

from tests.browser.conftest import axe_check, axe_report, screenshot
from tests.conftest import PASSWORD
from tests.e2e.conftest import Server

if TYPE_CHECKING:
    from playwright.sync_api import Page

OOB = "urn:ietf:wg:oauth:2.0:oob"


def authorize_url(server: Server) -> str:
    r = httpx.post(
        server.url + "/api/v1/apps",
        data={"client_name": "Browser smoke", "redirect_uris": OOB, "scopes": "read"},
        timeout=10,
    )
    assert r.status_code == 200, r.text
    query = {
        "response_type": "code",
        "client_id": r.json()["client_id"],
        "redirect_uri": OOB,
        "scope": "read",
    }
    return server.url + "/oauth/authorize?" + urlencode(query)


def test_oauth_consent_gives_a_code(server: Server, page: Page, request: pytest.FixtureRequest) -> None:
    email = server.create_user("alice")
    page.goto(authorize_url(server))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Authorize")
    found = axe_check(page)
    assert not found, axe_report(found)
    screenshot(page, f"oauth-consent-{request.node.name}")

    page.get_by_label("E-mail address or username").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Authorize").click()

    code = page.locator("output#code")
    code.wait_for()
    assert len(code.inner_text().strip()) >= 16
    found = axe_check(page)
    assert not found, axe_report(found)
    path = screenshot(page, f"oauth-code-{request.node.name}")
    assert path.stat().st_size > 0


def test_consent_page_on_a_phone(server: Server, phone_page: Page, request: pytest.FixtureRequest) -> None:
    phone_page.goto(authorize_url(server))
    assert phone_page.viewport_size == {"width": 390, "height": 844}
    # Nothing wider than the screen: no horizontal scrolling on a phone.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    found = axe_check(phone_page)
    assert not found, axe_report(found)
    screenshot(phone_page, f"oauth-consent-phone-{request.node.name}")
