"""twitter-text's validate.yml, every case, read at test time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, replace
from typing import Any

import pytest

from gazouillis import text as tt

from .conformance import cases, require_path, require_yaml

Case = dict[str, Any]

# twitter-text's published v1 configuration ("classic" 140 code points, every URL counts 23), which
# its runners use for the "tweets" section. Only v3 ships with the suite; v1 is this small.
V1_CONFIG = tt.Config(
    version=1,
    max_weighted_tweet_length=140,
    scale=1,
    default_weight=1,
    emoji_parsing_enabled=False,
    transformed_url_length=23,
    ranges=(),
)


def _v3() -> tt.Config:
    return tt.Config.from_json(require_path("config-v3.json"))


def _v2() -> tt.Config:
    # twitter-text's v2 configuration is v3 without emoji parsing (same weights, ranges and limit);
    # the WeightedTweetsCounterTest section is run with it by the reference runners.
    return replace(_v3(), version=2, emoji_parsing_enabled=False)


def _parse_result(text: str, config: tt.Config) -> dict[str, Any]:
    result = tt.parse_text(text, config)
    names = {
        "weighted_length": "weightedLength",
        "valid": "valid",
        "permillage": "permillage",
        "display_range_start": "displayRangeStart",
        "display_range_end": "displayRangeEnd",
        "valid_range_start": "validRangeStart",
        "valid_range_end": "validRangeEnd",
    }
    return {names[key]: value for key, value in asdict(result).items()}


VALIDATORS: dict[str, Callable[[str], Any]] = {
    "tweets": lambda text: tt.is_valid_tweet_text(text, V1_CONFIG),
    "usernames": tt.is_valid_username,
    "lists": tt.is_valid_list,
    "hashtags": tt.is_valid_hashtag,
    "urls": tt.is_valid_url,
    "urls_without_protocol": lambda text: tt.is_valid_url(text, unicode_domains=True, require_protocol=False),
    "WeightedTweetsCounterTest": lambda text: _parse_result(text, _v2()),
    "WeightedTweetsWithDiscountedEmojiCounterTest": lambda text: _parse_result(text, _v3()),
    # The reference runners use the default configuration here, which is v3.
    "UnicodeDirectionalMarkerCounterTest": lambda text: _parse_result(text, tt.DEFAULT_CONFIG),
}


def _params() -> list[Any]:
    return [
        pytest.param(section, *param.values, id=f"{section}: {param.id}", marks=param.marks)
        for section in VALIDATORS
        for param in cases("validate.yml", section)
    ]


@pytest.mark.parametrize(("section", "case"), _params())
def test_validate(section: str, case: Case) -> None:
    assert VALIDATORS[section](case["text"]) == case["expected"], case["description"]


def test_every_validate_section_is_exercised() -> None:
    assert set(require_yaml("validate.yml")) == set(VALIDATORS)


def test_default_config_is_v3() -> None:
    assert _v3() == tt.DEFAULT_CONFIG
