"""The top-level domains that make ``label.tld`` look like a link, and finding them after dots.

The list lives in ``data/tlds.txt`` (see ``data/build_tlds.py`` for where it comes from and how to
regenerate it) and is read once, at import time.
"""

from __future__ import annotations

from importlib import resources

import regex


def _load() -> frozenset[str]:
    text = resources.files(__package__).joinpath("data", "tlds.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


TLDS: frozenset[str] = _load()
"""Lower-cased top-level domains, internationalised ones both in Unicode and ``xn--`` form."""

_MAX_TLD_LENGTH = max(map(len, TLDS))
# Characters a TLD is made of (checked against the list by the tests), at most as many as the longest.
_TLD_WORD = regex.compile(rf"[\p{{L}}\p{{M}}\p{{N}}\-]{{1,{_MAX_TLD_LENGTH}}}")
# A TLD must not run on into these ("foo.comm", "foo.com-bar", "john.doe.gov@mail.com").
_CONTINUES_TLD = frozenset("0123456789abcdefghijklmnopqrstuvwxyz@+-")
_PUNYCODE = regex.compile(r"xn--[0-9a-z]+")


def _tld_length(lowered: str, position: int) -> int:
    """Length of the TLD starting at ``position`` of a lower-cased text, 0 if there is none.

    The longest listed TLD that is not followed by a letter, digit, ``-``, ``@`` or ``+`` wins;
    failing that, any punycode label (``xn--...``) is accepted, as twitter-text does.
    """
    word = _TLD_WORD.match(lowered, position)
    if word is None:
        return 0
    candidate = word.group()
    for length in range(len(candidate), 0, -1):
        after = position + length
        if after < len(lowered) and lowered[after] in _CONTINUES_TLD:
            continue
        if candidate[:length] in TLDS:
            return length
    punycode = _PUNYCODE.match(lowered, position)
    return 0 if punycode is None else len(punycode.group())


def tlds_after_dots(text: str, start: int, end: int) -> dict[int, int]:
    """Position of every dot of ``text[start:end]`` followed by a TLD -> length of that TLD.

    Only ``text[start:end]`` is looked at: a TLD at ``end`` counts as followed by nothing.
    Matching is case-insensitive (the text is lower-cased character by character).
    """
    segment = text[start:end]
    if "." not in segment:
        return {}
    lowered = segment.lower()
    if len(lowered) != len(segment):  # a few characters (İ) lower-case to two: keep positions aligned
        lowered = "".join(char if len(char.lower()) != 1 else char.lower() for char in segment)
    found: dict[int, int] = {}
    dot = lowered.find(".")
    while dot != -1:
        length = _tld_length(lowered, dot + 1)
        if length:
            found[start + dot] = length
        dot = lowered.find(".", dot + 1)
    return found
