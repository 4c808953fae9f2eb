from __future__ import annotations

import pytest

from .conformance import MissingSuite


@pytest.fixture(autouse=True)
def _fail_on_missing_conformance_suite(request: pytest.FixtureRequest) -> None:
    """Fail (this only runs when the case was not skipped, i.e. under CI) if the suite is absent."""
    callspec = getattr(request.node, "callspec", None)
    if callspec is None:
        return
    for value in callspec.params.values():
        if isinstance(value, MissingSuite):
            pytest.fail(value.reason + " (required when CI=true)", pytrace=False)
