"""The conformance harness skips without the suite, and fails instead under CI=true."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from . import conformance


@pytest.fixture
def no_suite(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setattr(conformance, "CONFORMANCE_DIR", tmp_path / "absent")
    conformance.load_yaml.cache_clear()
    yield
    conformance.load_yaml.cache_clear()


def test_suite_location_is_beside_the_repository() -> None:
    assert (
        conformance.CONFORMANCE_DIR.resolve()
        == (conformance.REPO_ROOT.parent / "shared" / "conformance" / "twitter-text").resolve()
    )


@pytest.mark.usefixtures("no_suite")
def test_missing_suite_is_skipped_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    (param,) = conformance.cases("extract.yml", "mentions")
    assert isinstance(param.values[0], conformance.MissingSuite)
    assert [mark.name for mark in param.marks] == ["skip"]
    assert "not found" in param.marks[0].kwargs["reason"]
    with pytest.raises(pytest.skip.Exception):
        conformance.require_yaml("extract.yml")


@pytest.mark.usefixtures("no_suite")
def test_missing_suite_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    (param,) = conformance.cases("extract.yml", "mentions")
    assert isinstance(param.values[0], conformance.MissingSuite)
    assert not param.marks  # so the guard fixture in conftest.py fails the test
    with pytest.raises(pytest.fail.Exception):
        conformance.require_path("config-v3.json")
