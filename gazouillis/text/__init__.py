"""Text rules of a post: entity extraction, validation, weighted length and HTML rendering.

This is gazouillis' own implementation of the twitter-text rules (checked against twitter-text's
conformance suite), plus a Mastodon-style renderer.

Units of positions — two conventions coexist, as in twitter-text:

* entity positions (:class:`Entity` ``start``/``end``, from the ``extract_*_with_indices``
  functions) are **code points**, i.e. plain Python string indices, end exclusive;
* the ranges of :class:`ParseResult` (``parse_text``) are **UTF-16 code units**, ends inclusive, as
  twitter-text's counters report them to (JavaScript, Java) clients.
"""

from __future__ import annotations

from .entities import Entity, EntityKind
from .extract import (
    extract_cashtags,
    extract_cashtags_with_indices,
    extract_hashtags,
    extract_hashtags_with_indices,
    extract_mentioned_screen_names_or_lists_with_indices,
    extract_mentions,
    extract_mentions_with_indices,
    extract_reply_screen_name,
    extract_urls,
    extract_urls_with_indices,
    normalize_hashtag,
)
from .render import MentionsResolver, render_html
from .validate import is_valid_hashtag, is_valid_list, is_valid_tweet_text, is_valid_url, is_valid_username
from .weight import DEFAULT_CONFIG, Config, ParseResult, WeightedRange, parse_text

__all__ = [
    "DEFAULT_CONFIG",
    "Config",
    "Entity",
    "EntityKind",
    "MentionsResolver",
    "ParseResult",
    "WeightedRange",
    "extract_cashtags",
    "extract_cashtags_with_indices",
    "extract_hashtags",
    "extract_hashtags_with_indices",
    "extract_mentioned_screen_names_or_lists_with_indices",
    "extract_mentions",
    "extract_mentions_with_indices",
    "extract_reply_screen_name",
    "extract_urls",
    "extract_urls_with_indices",
    "is_valid_hashtag",
    "is_valid_list",
    "is_valid_tweet_text",
    "is_valid_url",
    "is_valid_username",
    "normalize_hashtag",
    "parse_text",
    "render_html",
]
