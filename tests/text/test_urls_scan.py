"""The linear URL scanner agrees with twitter-text's URL expression, match for match.

``regexes.URL_SPECIFICATION`` is the expression as twitter-text writes it (too slow to run on every
post: it backtracks quadratically). Here it is the oracle, on texts generated from fragments chosen to
hit the tricky parts: dotted chains, hyphens and underscores at label edges, TLDs that run on into
words, protocols, non-ASCII labels, paths and what may precede a URL.
"""

from __future__ import annotations

import random
import time

import regex

from gazouillis.text import regexes as rx
from gazouillis.text.tlds import TLDS
from gazouillis.text.urls import ascii_domains, scan_urls

SPECIFICATION = regex.compile(rx.URL_SPECIFICATION, regex.IGNORECASE | regex.MULTILINE, tlds=TLDS)
ASCII_SPECIFICATION = regex.compile(
    rx.ASCII_DOMAIN_SPECIFICATION, regex.IGNORECASE | regex.MULTILINE, tlds=TLDS
)

FRAGMENTS = [
    "a",
    "b",
    "x",
    "ab",
    "co",
    "com",
    "COM",
    "jp",
    "tv",
    "comm",
    "xn--",
    "xn--ls8h",
    "ls8h",
    ".",
    ".",
    ".",
    "..",
    "-",
    "_",
    "/",
    ":",
    "://",
    "http://",
    "http://",
    "https://",
    "HTTP://",
    "t.co/",
    " ",
    " ",
    "\n",
    "@",
    "#",
    "$",
    "+",
    "(",
    ")",
    "?",
    "=",
    "&",
    "'",
    "!",
    ",",
    "日",
    "本",
    "é",
    "Ä",
    "。",
    "みんな",
    "中国",
    "\u202a",
    "\u2066",
    "\ufeff",
    "1",
    "42",
]


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 30))) for _ in range(count)]


def _expected(text: str) -> list[tuple[object, ...]]:
    return [
        (
            m.group("before"),
            m.start("url"),
            m.end("url"),
            m.group("protocol"),
            m.span("domain"),
            m.group("path") is not None,
        )
        for m in SPECIFICATION.finditer(text)
    ]


def _actual(text: str) -> list[tuple[object, ...]]:
    return [
        (m.before, m.start, m.end, m.protocol, (m.domain_start, m.domain_end), m.has_path)
        for m in scan_urls(text)
    ]


def test_scanner_matches_specification() -> None:
    for text in _texts(6000, seed=20240501):
        assert _actual(text) == _expected(text), repr(text)


def test_ascii_domains_match_specification() -> None:
    for text in _texts(4000, seed=7):
        expected = [m.span() for m in ASCII_SPECIFICATION.finditer(text)]
        assert ascii_domains(text, 0, len(text)) == expected, repr(text)


def test_specification_examples() -> None:
    # A few hand-picked cases, including where the engine's order of attempts shows.
    for text in [
        "日本.com",
        "☃.net",
        "example.comだよね.comtest",
        "a_b.com",
        "-x.com",
        "x-.com y.com",
        "http://a.b.cd",
        "foo.co.jp/path",
        "t.co/abc http://t.co/xyz",
        "a.a.a.a.a.a",
    ]:
        assert _actual(text) == _expected(text), text


def test_scanner_is_linear_on_adversarial_input() -> None:
    # The textbook expression needs about a second on these at this size; the scanner milliseconds.
    for unit in ("a.", "あ.", "a-", "a_", "a.-", "co.", "日本語."):
        text = unit * (4000 // len(unit))
        began = time.perf_counter()
        list(scan_urls(text))
        assert time.perf_counter() - began < 0.2, unit
