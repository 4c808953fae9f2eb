"""Weighted length of a post (twitter-text's ``parseTweet``, configuration format v2/v3).

Each code point weighs ``default_weight`` unless it falls in one of the configured ranges (Latin,
Cyrillic, Greek, most punctuation... weigh half as much in the default configuration, so a post holds
280 of those or 140 CJK characters). Every URL weighs ``transformed_url_length`` characters whatever
its length, and, with ``emoji_parsing_enabled``, a whole emoji sequence (ZWJ family, flag, skin
tone...) weighs ``default_weight`` once. The text is NFC-normalised first.
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Self

from .charsets import INVALID_CHARACTERS
from .extract import extract_urls_with_indices
from .regexes import EMOJI


@dataclass(frozen=True, slots=True)
class WeightedRange:
    """Code points ``start``..``end`` (both inclusive) weigh ``weight``."""

    start: int
    end: int
    weight: int

    def __contains__(self, code_point: int) -> bool:
        return self.start <= code_point <= self.end


_V3_RANGES = (
    WeightedRange(0, 4351, 100),  # up to Hangul Jamo: Latin, Greek, Cyrillic, Arabic, Indic...
    WeightedRange(8192, 8205, 100),  # general punctuation: spaces, ZWNJ, ZWJ
    WeightedRange(8208, 8223, 100),  # dashes and quotation marks
    WeightedRange(8242, 8247, 100),  # primes
)


@dataclass(frozen=True, slots=True)
class Config:
    """How to weigh a text: twitter-text's configuration (see ``Config.from_json``).

    ``max_weighted_tweet_length`` is the maximum post length in "characters"; operators change it
    with :meth:`with_max_length`. Weights are expressed in 1/``scale`` of a character.
    """

    version: int = 3
    max_weighted_tweet_length: int = 280
    scale: int = 100
    default_weight: int = 200
    emoji_parsing_enabled: bool = True
    transformed_url_length: int = 23
    ranges: tuple[WeightedRange, ...] = field(default=_V3_RANGES)

    def __post_init__(self) -> None:
        for name in ("version", "max_weighted_tweet_length", "default_weight", "transformed_url_length"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")
        if self.scale < 1:
            raise ValueError("scale must be >= 1")

    @classmethod
    def from_json(cls, source: str | os.PathLike[str] | Mapping[str, Any]) -> Self:
        """Build a configuration from twitter-text's JSON format.

        ``source`` is an already-decoded mapping, a path to a JSON file, or a JSON document as a
        string (recognised by its leading ``{``). Keys are twitter-text's (``maxWeightedTweetLength``,
        ``defaultWeight``...); ``emojiParsingEnabled`` defaults to false and ``transformedURLLength``
        to 23 as in the reference implementation.
        """
        if isinstance(source, Mapping):
            data: Mapping[str, Any] = source
        elif isinstance(source, str) and source.lstrip().startswith("{"):
            data = json.loads(source)
        else:
            data = json.loads(Path(source).read_text(encoding="utf-8"))
        try:
            return cls(
                version=_int(data, "version"),
                max_weighted_tweet_length=_int(data, "maxWeightedTweetLength"),
                scale=_int(data, "scale"),
                default_weight=_int(data, "defaultWeight"),
                emoji_parsing_enabled=bool(data.get("emojiParsingEnabled", False)),
                transformed_url_length=_int(data, "transformedURLLength", 23),
                ranges=tuple(
                    WeightedRange(_int(r, "start"), _int(r, "end"), _int(r, "weight"))
                    for r in data.get("ranges", ())
                ),
            )
        except KeyError as missing:
            raise ValueError(f"configuration lacks required key {missing}") from None

    def with_max_length(self, max_length: int) -> Self:
        """The same weighting with another maximum post length (in characters)."""
        return replace(self, max_weighted_tweet_length=max_length)

    def weight_of(self, code_point: int) -> int:
        """Weight of a single code point, in 1/``scale`` characters."""
        for weighted_range in self.ranges:
            if code_point in weighted_range:
                return weighted_range.weight
        return self.default_weight


def _int(data: Mapping[str, Any], key: str, default: int | None = None) -> int:
    value = data[key] if default is None else data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"configuration key {key!r} must be an integer, got {value!r}")
    return value


DEFAULT_CONFIG = Config()
"""twitter-text's v3 configuration: 280 characters, CJK and emoji weigh 2, URLs 23, emoji parsing on."""


@dataclass(frozen=True, slots=True)
class ParseResult:
    """Outcome of :func:`parse_text`.

    ``weighted_length`` is in characters (``scale`` applied, rounded down) and ``permillage`` is
    ``weighted_length`` per thousand of the maximum. ``valid`` is true when the text is not empty,
    holds no invalid character (U+FFFE, U+FEFF, U+FFFF) and fits the maximum; a text made only of
    whitespace is valid here, the caller decides whether a blank post is acceptable.

    The ranges are **inclusive** and counted in **UTF-16 code units** of the text as given (not
    normalised), as twitter-text's clients expect: ``display_range_*`` covers the whole text and
    ``valid_range_*`` the prefix that fits. An end of ``-1`` means an empty range.
    """

    weighted_length: int
    valid: bool
    permillage: int
    display_range_start: int
    display_range_end: int
    valid_range_start: int
    valid_range_end: int


def _utf16_length(text: str) -> int:
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def parse_text(text: str, config: Config = DEFAULT_CONFIG, *, max_length: int | None = None) -> ParseResult:
    """Weigh ``text`` as twitter-text does and say whether it fits.

    ``max_length`` overrides ``config.max_weighted_tweet_length`` (the service's configurable maximum
    post length) without building a new :class:`Config`.
    """
    max_weighted = config.max_weighted_tweet_length if max_length is None else max_length
    if not text:
        return ParseResult(0, False, 0, 0, -1, 0, -1)

    normalized = unicodedata.normalize("NFC", text)
    scaled_max = max_weighted * config.scale
    url_ends = {url.start: url.end for url in extract_urls_with_indices(normalized)}
    emoji_ends = (
        {m.start(): m.end() for m in EMOJI.finditer(normalized)} if config.emoji_parsing_enabled else {}
    )
    url_weight = config.transformed_url_length * config.scale

    weighted = 0
    valid_units = 0  # UTF-16 code units of the normalised text that still fit
    has_invalid = False
    offset = 0
    while offset < len(normalized):
        end = url_ends.get(offset)
        if end is not None:
            weighted += url_weight
            if weighted <= scaled_max:
                valid_units += _utf16_length(normalized[offset:end])
            offset = end
            continue
        end = emoji_ends.get(offset)
        char = normalized[offset]
        if end is not None:
            weighted += config.default_weight
            units = _utf16_length(normalized[offset:end])
        else:
            end = offset + 1
            weighted += config.weight_of(ord(char))
            units = 2 if ord(char) > 0xFFFF else 1
        # Once an invalid character is seen, nothing after it counts as fitting either.
        has_invalid = has_invalid or char in INVALID_CHARACTERS
        if not has_invalid and weighted <= scaled_max:
            valid_units += units
        offset = end

    # Ranges refer to the caller's (unnormalised) text; shift by the length change of normalisation.
    text_units = _utf16_length(text)
    normalization_offset = text_units - _utf16_length(normalized)
    weighted_length = weighted // config.scale
    return ParseResult(
        weighted_length=weighted_length,
        valid=not has_invalid and weighted > 0 and weighted_length <= max_weighted,
        permillage=weighted_length * 1000 // max_weighted if max_weighted else 0,
        display_range_start=0,
        display_range_end=text_units - 1,
        valid_range_start=0,
        valid_range_end=valid_units + normalization_offset - 1,
    )
