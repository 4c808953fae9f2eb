"""Fixtures for page tests: a browser-like client that keeps its session cookie and knows its CSRF token."""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import PASSWORD

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    """A TestClient used like a browser without JavaScript: reads pages, submits their forms."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.csrf = ""

    def _remember(self, response: Any) -> Any:
        found = CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def get(self, path: str, **kw: Any) -> Any:
        return self._remember(self.client.get(path, **kw))

    def post(self, path: str, data: dict[str, str] | None = None, **kw: Any) -> Any:
        if not self.csrf:
            self.get("/")
        return self._remember(self.client.post(path, data={"csrf_token": self.csrf, **(data or {})}, **kw))

    def sign_up(self, username: str) -> Any:
        self.get("/auth/sign_up")
        return self.post(
            "/auth/sign_up",
            {"username": username, "email": f"{username}@example.org", "password": PASSWORD},
            follow_redirects=True,
        )


@pytest.fixture
def browser(client: TestClient) -> Browser:
    return Browser(client)


@pytest.fixture
def make_browser(settings: Any, db: Any) -> Any:
    """Another, independent browser (its own cookies) on the same app."""
    from gazouillis.app import create_app

    clients: list[TestClient] = []

    def make() -> Browser:
        c = TestClient(create_app(settings, database=db), base_url="http://testserver")
        clients.append(c)
        return Browser(c)

    yield make
    for c in clients:
        c.close()
