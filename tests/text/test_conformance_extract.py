"""twitter-text's extract.yml and tlds.yml, every case, read at test time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gazouillis import text as tt

from .conformance import cases, require_yaml

Case = dict[str, Any]


def _dicts(entities: list[tt.Entity]) -> list[dict[str, Any]]:
    return [entity.as_dict() for entity in entities]


# Section of extract.yml -> what the implementation returns for a case's text.
EXTRACTORS: dict[str, Callable[[str], Any]] = {
    "mentions": tt.extract_mentions,
    "mentions_with_indices": lambda text: _dicts(tt.extract_mentions_with_indices(text)),
    "mentions_or_lists_with_indices": lambda text: _dicts(
        tt.extract_mentioned_screen_names_or_lists_with_indices(text)
    ),
    "replies": tt.extract_reply_screen_name,
    "urls": tt.extract_urls,
    "urls_with_indices": lambda text: _dicts(tt.extract_urls_with_indices(text)),
    "urls_with_directional_markers": lambda text: _dicts(tt.extract_urls_with_indices(text)),
    "tco_urls_with_params": tt.extract_urls,
    "hashtags": tt.extract_hashtags,
    "hashtags_from_astral": tt.extract_hashtags,
    "hashtags_with_indices": lambda text: _dicts(tt.extract_hashtags_with_indices(text)),
    "cashtags": tt.extract_cashtags,
    "cashtags_with_indices": lambda text: _dicts(tt.extract_cashtags_with_indices(text)),
}


def _params() -> list[Any]:
    params = []
    for section in EXTRACTORS:
        for param in cases("extract.yml", section):
            params.append(
                pytest.param(section, *param.values, id=f"{section}: {param.id}", marks=param.marks)
            )
    return params


@pytest.mark.parametrize(("section", "case"), _params())
def test_extract(section: str, case: Case) -> None:
    assert EXTRACTORS[section](case["text"]) == case["expected"], case["description"]


@pytest.mark.parametrize("case", cases("extract.yml", "urls"))
def test_extracted_urls_are_valid_without_protocol(case: Case) -> None:
    # As the reference runner does: whatever is extracted as a URL also validates as one.
    for url in case["expected"]:
        assert tt.is_valid_url(url, unicode_domains=True, require_protocol=False), url


@pytest.mark.parametrize(
    ("section", "case"),
    [
        pytest.param(section, *param.values, id=f"{section}: {param.id}", marks=param.marks)
        for section in ("country", "generic")
        for param in cases("tlds.yml", section)
    ],
)
def test_tlds(section: str, case: Case) -> None:
    assert tt.extract_urls(case["text"]) == case["expected"], case["description"]


def test_every_extract_section_is_exercised() -> None:
    # A section added upstream must not go unnoticed.
    assert set(require_yaml("extract.yml")) == set(EXTRACTORS)
    assert set(require_yaml("tlds.yml")) == {"country", "generic"}
