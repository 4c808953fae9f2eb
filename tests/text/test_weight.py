"""Weighted length: configuration, operator maximum, ranges in UTF-16 units, speed."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from gazouillis.text import (
    DEFAULT_CONFIG,
    Config,
    ParseResult,
    WeightedRange,
    is_valid_tweet_text,
    parse_text,
)

V3 = {
    "version": 3,
    "maxWeightedTweetLength": 280,
    "scale": 100,
    "defaultWeight": 200,
    "emojiParsingEnabled": True,
    "transformedURLLength": 23,
    "ranges": [
        {"start": 0, "end": 4351, "weight": 100},
        {"start": 8192, "end": 8205, "weight": 100},
        {"start": 8208, "end": 8223, "weight": 100},
        {"start": 8242, "end": 8247, "weight": 100},
    ],
}


def test_config_from_mapping_json_text_and_file(tmp_path: Path) -> None:
    path = tmp_path / "v3.json"
    path.write_text(json.dumps(V3), encoding="utf-8")
    assert Config.from_json(V3) == DEFAULT_CONFIG
    assert Config.from_json(json.dumps(V3)) == DEFAULT_CONFIG
    assert Config.from_json(path) == DEFAULT_CONFIG
    assert Config.from_json(str(path)) == DEFAULT_CONFIG


def test_config_optional_keys_default_like_twitter_text() -> None:
    config = Config.from_json(
        {"version": 2, "maxWeightedTweetLength": 280, "scale": 100, "defaultWeight": 200}
    )
    assert config.emoji_parsing_enabled is False
    assert config.transformed_url_length == 23
    assert config.ranges == ()


@pytest.mark.parametrize(
    "broken",
    [
        {key: value for key, value in V3.items() if key != "scale"},
        {**V3, "scale": 0},
        {**V3, "defaultWeight": "200"},
        {**V3, "ranges": [{"start": 0, "end": 10}]},
    ],
)
def test_config_rejects_invalid_documents(broken: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Config.from_json(broken)


def test_operator_maximum() -> None:
    text = "x" * 400
    assert not parse_text(text).valid
    assert parse_text(text, max_length=500).valid
    assert parse_text(text, DEFAULT_CONFIG.with_max_length(500)) == parse_text(text, max_length=500)
    assert parse_text(text, max_length=500).permillage == 800


def test_empty_text_is_invalid_and_blank_text_is_left_to_the_caller() -> None:
    assert parse_text("") == ParseResult(0, False, 0, 0, -1, 0, -1)
    assert not is_valid_tweet_text("")
    assert parse_text("   ").valid


def test_urls_weigh_23_whatever_their_length() -> None:
    assert parse_text("https://example.com/" + "a" * 300).weighted_length == 23


def test_cjk_and_emoji_weigh_two() -> None:
    assert parse_text("日本").weighted_length == 4
    assert parse_text("👨‍👩‍👧").weighted_length == 2  # one emoji, however many code points
    assert parse_text("©").weighted_length == 1  # text presentation by default
    assert parse_text("🇫🇷🇩🇪").weighted_length == 4


def test_ranges_are_inclusive_utf16_offsets() -> None:
    # 😷 is one code point but two UTF-16 code units; 279 x + 1 emoji = 281 > 280.
    result = parse_text("😷" + "x" * 279)
    assert (result.weighted_length, result.valid) == (281, False)
    assert (result.display_range_end, result.valid_range_end) == (280, 279)


def test_invalid_character_ends_the_valid_range() -> None:
    result = parse_text("ab\ufffecd")
    assert not result.valid
    assert result.valid_range_end == 1


def test_first_matching_range_wins() -> None:
    config = Config(
        ranges=(WeightedRange(0, 127, 100), WeightedRange(0, 4351, 300)), emoji_parsing_enabled=False
    )
    assert parse_text("aé", config).weighted_length == 4


@pytest.mark.parametrize(
    "text",
    [
        "Just setting up my gazouillis account, see https://example.com/about and #hello @bob " * 3,
        "今日はいい天気ですね。example.com を見てください。" * 6,
        "😷👾😡🔥💩 family: 👨‍👩‍👧‍👦 " * 14,
    ],
)
def test_parse_text_is_fast(text: str) -> None:
    text = text[:280]
    parse_text(text)  # warm the caches
    runs = 50
    began = time.perf_counter()
    for _ in range(runs):
        parse_text(text)
    per_call = (time.perf_counter() - began) / runs
    # Typically 0.05-0.3 ms; the bound is loose so that a busy CI machine does not fail it.
    assert per_call < 0.005


def test_invalid_character_after_the_limit_still_invalidates() -> None:
    # é weighs half a character, spaces, URLs and U+FFFF nothing: 280.5 characters round down to 280,
    # which fits; U+FFFF comes after the limit was passed, in a later segment, and must still count.
    ranges = (
        WeightedRange(0xE9, 0xE9, 50),
        WeightedRange(0x20, 0x20, 0),
        WeightedRange(0xFFFF, 0xFFFF, 0),
        WeightedRange(0, 4351, 100),
    )
    config = Config(ranges=ranges, transformed_url_length=0, emoji_parsing_enabled=False)
    text = "x" * 280 + "é http://a.co "
    assert parse_text(text, config).valid
    assert not parse_text(text + "\uffff", config).valid


def test_lone_surrogates_do_not_crash() -> None:
    result = parse_text("a\ud800b https://example.com/\udfff")
    assert result.display_range_end == 3 + 21 - 1 + 1
