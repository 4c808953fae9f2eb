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
from functools import lru_cache
from pathlib import Path
from typing import Any, Self

import regex

from .charsets import INVALID
from .extract import extract_urls_with_indices
from .regexes import EMOJI


@dataclass(frozen=True, slots=True)
class WeightedRange:
    """Code points ``start``..``end`` (both inclusive) weigh ``weight``."""

    start: int
    end: int
    weight: int

    def __post_init__(self) -> None:
        if min(self.start, self.end, self.weight) < 0:
            raise ValueError(f"range values must be >= 0: {self}")

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
        except (TypeError, AttributeError) as error:  # not an object where one is expected
            raise ValueError(f"malformed configuration: {error}") from None

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
    # surrogatepass: a lone surrogate (which JSON can smuggle in) counts as the one unit it is.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@lru_cache(maxsize=16)
def _range_runs(ranges: tuple[WeightedRange, ...]) -> tuple[tuple[regex.Pattern[str], int], ...]:
    """Per range, a pattern for runs of its code points not in an earlier range (the first range wins)."""
    patterns = []
    earlier = ""
    for weighted_range in ranges:
        if weighted_range.start > weighted_range.end:
            continue
        interval = rf"\U{weighted_range.start:08x}-\U{weighted_range.end:08x}"
        char_class = rf"[[{interval}]--[{earlier}]]" if earlier else f"[{interval}]"
        patterns.append((regex.compile(char_class + "+", regex.V1), weighted_range.weight))
        earlier += interval
    return tuple(patterns)


def _text_weight(config: Config, text: str) -> int:
    """Total weight of the code points of ``text``, counted per range rather than per character."""
    weight = config.default_weight * len(text)
    for runs, range_weight in _range_runs(config.ranges):
        if range_weight != config.default_weight and text:
            weight += (range_weight - config.default_weight) * sum(map(len, runs.findall(text)))
    return weight


_INVALID = regex.compile(f"[{INVALID}]")


class _Tally:
    """Running totals of :func:`parse_text`: the weight so far and how much of the text fits."""

    __slots__ = ("config", "scaled_max", "weighted", "fitting_units", "has_invalid")

    def __init__(self, config: Config, max_weighted: int) -> None:
        self.config = config
        self.scaled_max = max_weighted * config.scale
        self.weighted = 0
        self.fitting_units = 0  # UTF-16 code units of the normalised text that fit, from its start
        self.has_invalid = False

    def add_entity(self, segment: str, weight: int) -> None:
        """A URL or an emoji: one weight for the whole segment."""
        self.weighted += weight
        if not self.has_invalid and self.weighted <= self.scaled_max:
            self.fitting_units += _utf16_length(segment)

    def add_text(self, segment: str) -> None:
        """Plain text, weighed code point by code point."""
        weight = _text_weight(self.config, segment)
        invalid = _INVALID.search(segment)
        if not self.has_invalid and self.weighted <= self.scaled_max:
            # Nothing fits from the first invalid character on, nor once the maximum is passed.
            fitting = segment if invalid is None else segment[: invalid.start()]
            fitting_weight = weight if invalid is None else _text_weight(self.config, fitting)
            if self.weighted + fitting_weight > self.scaled_max:
                fitting = self._longest_fitting_prefix(fitting)
            self.fitting_units += _utf16_length(fitting)
        self.has_invalid = self.has_invalid or invalid is not None
        self.weighted += weight

    def _longest_fitting_prefix(self, segment: str) -> str:
        # Weights are not negative, so the weight of a prefix grows with its length: bisect.
        fits, overflows = 0, len(segment)
        while overflows - fits > 1:
            middle = (fits + overflows) // 2
            if self.weighted + _text_weight(self.config, segment[:middle]) <= self.scaled_max:
                fits = middle
            else:
                overflows = middle
        return segment[:fits]


def parse_text(text: str, config: Config = DEFAULT_CONFIG, *, max_length: int | None = None) -> ParseResult:
    """Weigh ``text`` as twitter-text does and say whether it fits.

    ``max_length`` overrides ``config.max_weighted_tweet_length``: the service's configurable maximum
    post length, in characters (equivalent to passing ``config.with_max_length(max_length)``).
    """
    if max_length is not None:
        config = config.with_max_length(max_length)
    max_weighted = config.max_weighted_tweet_length
    if not text:
        return ParseResult(0, False, 0, 0, -1, 0, -1)

    normalized = unicodedata.normalize("NFC", text)
    # Entities weigh as a whole: URLs transformed_url_length characters, emoji default_weight.
    entities = {
        url.start: (url.end, config.transformed_url_length * config.scale)
        for url in extract_urls_with_indices(normalized)
    }
    if config.emoji_parsing_enabled:
        for emoji in EMOJI.finditer(normalized):
            entities.setdefault(emoji.start(), (emoji.end(), config.default_weight))

    tally = _Tally(config, max_weighted)
    offset = 0
    for start in sorted(entities):
        if start < offset:
            continue  # an emoji inside a URL
        end, weight = entities[start]
        if start > offset:
            tally.add_text(normalized[offset:start])
        tally.add_entity(normalized[start:end], weight)
        offset = end
    tally.add_text(normalized[offset:])

    # Ranges refer to the caller's (unnormalised) text; shift by the length change of normalisation.
    text_units = _utf16_length(text)
    normalization_offset = text_units - _utf16_length(normalized)
    weighted_length = tally.weighted // config.scale
    return ParseResult(
        weighted_length=weighted_length,
        valid=not tally.has_invalid and tally.weighted > 0 and weighted_length <= max_weighted,
        permillage=weighted_length * 1000 // max_weighted if max_weighted else 0,
        display_range_start=0,
        display_range_end=text_units - 1,
        valid_range_start=0,
        valid_range_end=tally.fitting_units + normalization_offset - 1,
    )
