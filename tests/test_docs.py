"""The documentation keeps up with the code: every setting and every API route is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from gazouillis.api.routes import TABLE
from gazouillis.config import Settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    text = (ROOT / "docs" / "settings.md").read_text()
    assert f"`{name}`" in text and f"`GAZOUILLIS_{name.upper()}`" in text


@pytest.mark.parametrize(("method", "path"), sorted({(m, p) for m, p, *_ in TABLE}))
def test_every_route_is_in_the_readme(method: str, path: str) -> None:
    readme = (ROOT / "README.md").read_text()
    assert f"`{method} {path.replace('{id}', ':id')}`" in readme
