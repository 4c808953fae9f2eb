"""Read twitter-text's conformance suite at test time (it is never copied into the project).

The suite lives beside the repository, in ``<repo>/../shared/conformance/twitter-text/``. When it is
absent the conformance tests are skipped with the reason, except under ``CI=true`` where each of them
fails instead: CI must not pass by silently running none of them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFORMANCE_DIR = REPO_ROOT / ".." / "shared" / "conformance" / "twitter-text"


@dataclass(frozen=True)
class MissingSuite:
    """Stands in for the cases of a conformance file that cannot be read."""

    reason: str


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def conformance_path(name: str) -> Path | MissingSuite:
    path = CONFORMANCE_DIR / name
    if not path.is_file():
        return MissingSuite(f"twitter-text conformance file not found: {path.resolve()}")
    return path


@cache
def load_yaml(name: str) -> dict[str, Any] | MissingSuite:
    path = conformance_path(name)
    if isinstance(path, MissingSuite):
        return path
    with path.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)["tests"]


def _missing_param(missing: MissingSuite) -> Any:
    # Under CI the guard fixture (conftest.py) turns the sentinel into a failure.
    marks = () if _in_ci() else (pytest.mark.skip(reason=missing.reason),)
    return pytest.param(missing, id="conformance-suite-missing", marks=marks)


def cases(name: str, section: str) -> list[Any]:
    """One ``pytest.param`` per case of ``section`` in the YAML file ``name``, named by its description."""
    tests = load_yaml(name)
    if isinstance(tests, MissingSuite):
        return [_missing_param(tests)]
    if section not in tests:
        # The suite is there but the section is not (renamed upstream?): always a failure.
        return [pytest.param(MissingSuite(f"{name} has no section {section!r}"), id="section-missing")]
    return [pytest.param(case, id=case["description"]) for case in tests[section]]


def _unavailable(missing: MissingSuite) -> None:
    if _in_ci():
        pytest.fail(missing.reason + " (required when CI=true)", pytrace=False)
    pytest.skip(missing.reason)


def require_yaml(name: str) -> dict[str, Any]:
    """The ``tests`` mapping of a conformance file, for tests that are not one-per-case."""
    tests = load_yaml(name)
    if isinstance(tests, MissingSuite):
        _unavailable(tests)
        raise AssertionError("unreachable")
    return tests


def require_path(name: str) -> Path:
    """The path of a conformance file, for tests that are not one-per-case."""
    path = conformance_path(name)
    if isinstance(path, MissingSuite):
        _unavailable(path)
        raise AssertionError("unreachable")
    return path
