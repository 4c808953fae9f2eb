"""Check that a string is exactly one username, list, hashtag or URL, or a postable text."""

from __future__ import annotations

import regex

from . import regexes as rx
from .extract import extract_hashtags, extract_mentions
from .weight import DEFAULT_CONFIG, Config, parse_text


def is_valid_tweet_text(text: str, config: Config = DEFAULT_CONFIG) -> bool:
    """Whether ``text`` may be posted: not empty, no invalid character, within the weighted maximum."""
    return parse_text(text, config).valid


def is_valid_username(text: str) -> bool:
    """Whether ``text`` is exactly one mention such as ``@bob`` (1 to 20 of ``a-z 0-9 _``)."""
    return bool(text) and extract_mentions(text) == [text[1:]]


def is_valid_list(text: str) -> bool:
    """Whether ``text`` is exactly one list mention such as ``@bob/friends``, nothing around it."""
    match = rx.MENTION_OR_LIST.fullmatch(text)
    return match is not None and match.group("before") == "" and bool(match.group("slug"))


def is_valid_hashtag(text: str) -> bool:
    """Whether ``text`` is exactly one hashtag such as ``#café`` (``#`` included)."""
    return bool(text) and extract_hashtags(text) == [text[1:]]


def _full(pattern: regex.Pattern[str], value: str | None, *, optional: bool = False) -> bool:
    """``value`` matches ``pattern`` entirely; a missing optional component passes."""
    if value is None:
        return optional
    return pattern.fullmatch(value) is not None


def is_valid_url(url: str, unicode_domains: bool = True, require_protocol: bool = True) -> bool:
    """Whether ``url`` is a well-formed http(s) URL (RFC 3986 syntax, stricter on host names).

    With ``unicode_domains`` the host may be an unencoded internationalised name (``http://☃.net``).
    With ``require_protocol`` the scheme must be http or https; without it the scheme is not checked
    and may be absent (``example.com/path``).
    """
    if not url:
        return False
    parts = rx.VALIDATE_URL_PARTS.match(url)
    if parts is None:
        return False
    if require_protocol and not _full(rx.VALIDATE_URL_SCHEME, parts.group("scheme")):
        return False
    if not (
        _full(rx.VALIDATE_URL_PATH, parts.group("path"))
        and _full(rx.VALIDATE_URL_QUERY, parts.group("query"), optional=True)
        and _full(rx.VALIDATE_URL_QUERY, parts.group("fragment"), optional=True)
    ):
        return False
    authority = rx.VALIDATE_URL_UNICODE_AUTHORITY if unicode_domains else rx.VALIDATE_URL_AUTHORITY
    return _full(authority, parts.group("authority"))
