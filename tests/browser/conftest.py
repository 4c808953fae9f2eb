"""A real browser (Debian's chromium, driven by Playwright) against the real ``gazouillis serve``.

Never ``playwright install``: the tests drive the system's ``/usr/bin/chromium`` (or the one named by
``GAZOUILLIS_CHROMIUM``). Without it the tests skip, except under ``CI=true`` where they fail.

Fixtures:
- ``chromium_path`` (session): the browser's executable.
- ``browser`` (session): the launched headless browser.
- ``locale`` (function): ``"en-US"``; override with ``@pytest.mark.parametrize("locale", ["fr-FR"])``.
- ``new_context(*, locale=None, viewport=None, bypass_csp=True, **options)`` (function): a factory of
  contexts, all closed after the test.
- ``context`` / ``page``: desktop, 1280×800; ``phone_context`` / ``phone_page``: phone, 390×844.
- ``server`` / ``server_env``: the e2e fixtures (the real server over each test database).

Helpers (import them from ``tests.browser.conftest``): ``screenshot(page, name) -> Path``,
``axe_check(page) -> list[dict]`` and ``axe_report(violations) -> str`` for the assertion message.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import CI
from tests.e2e.conftest import server, server_env  # noqa: F401  (fixtures reused as they are)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE_JS = ROOT / "gazouillis" / "static" / "vendor" / "axe-core" / "axe.min.js"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    """Skip, or fail under CI=true where the browser tests are mandatory."""
    if CI:
        pytest.fail(f"{reason} (browser tests are mandatory under CI=true)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("GAZOUILLIS_CHROMIUM") or DEFAULT_CHROMIUM
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        _unavailable(
            f"no chromium at {path}: install Debian's package (apt-get install chromium) "
            "or set GAZOUILLIS_CHROMIUM; never `playwright install`"
        )
    return path


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is missing: pip install -e '.[test]'")
    manager = sync_playwright().start()
    yield manager
    manager.stop()


@pytest.fixture(scope="session")
def browser(playwright: Playwright, chromium_path: str) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=LAUNCH_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def locale() -> str:
    return "en-US"


@pytest.fixture
def new_context(browser: Browser, locale: str) -> Iterator[Callable[..., BrowserContext]]:
    contexts: list[BrowserContext] = []
    default_locale = locale

    def make(
        *,
        locale: str | None = None,
        viewport: dict[str, int] | None = None,
        bypass_csp: bool = True,
        **options: Any,
    ) -> BrowserContext:
        # bypass_csp: pages send `Content-Security-Policy: script-src 'self'`, and
        # page.add_script_tag(path=...) inlines the script, which that policy would block: without it
        # axe_check could not inject axe-core. The price: such a context does not enforce the CSP, so a
        # test about the CSP itself must use new_context(bypass_csp=False) (and cannot run axe_check).
        ctx = browser.new_context(
            locale=locale or default_locale,
            viewport=viewport or DESKTOP,
            bypass_csp=bypass_csp,
            **options,
        )
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def context(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def phone_context(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=3)


@pytest.fixture
def phone_page(phone_context: BrowserContext) -> Page:
    return phone_context.new_page()


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG as test-artifacts/screenshots/<name>.png and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "screenshot"
    path = SCREENSHOTS / f"{safe}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_check(page: Page, *, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """Run axe-core on the page; return the violations whose impact is serious or critical."""
    page.add_script_tag(path=str(AXE_JS))  # needs the context's bypass_csp=True (see new_context)
    violations: list[dict[str, Any]] = page.evaluate("async () => (await axe.run()).violations")
    return [v for v in violations if v.get("impact") in impacts]


def axe_report(violations: list[dict[str, Any]], *, targets: int = 3) -> str:
    """One readable line per violation: impact, rule id, help, the first few target selectors."""
    lines = [f"{len(violations)} accessibility violation(s):"]
    for v in violations:
        nodes = v.get("nodes", [])
        shown = [" ".join(map(str, n.get("target", []))) for n in nodes[:targets]]
        more = f" (+{len(nodes) - targets} more)" if len(nodes) > targets else ""
        lines.append(f"- [{v.get('impact')}] {v['id']}: {v.get('help')} — {', '.join(shown)}{more}")
        lines.append(f"  {v.get('helpUrl', '')}")
    return "\n".join(lines)
