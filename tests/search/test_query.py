"""The query language: words, phrases, exclusions, operators, and the errors that name the problem."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gazouillis.errors import Invalid
from gazouillis.search.folding import fold, sql_function, words
from gazouillis.search.query import parse


def test_folding_french_and_english() -> None:
    assert fold("L'École") == "l ecole"
    assert words("CAFÉ crème, œuvre — Straße ÇA") == ["cafe", "creme", "oeuvre", "strasse", "ca"]
    assert words("naïve façade") == words("NAIVE FACADE")
    # Decomposed accents (e + combining acute) fold the same as the composed letter.
    assert words("e\u0301cole") == ["ecole"]


def test_sql_function_uses_built_ins_only() -> None:
    sql = sql_function()
    assert "translate(" in sql and "unaccent" not in sql and "IMMUTABLE" in sql


def test_words_phrases_and_prefix() -> None:
    q = parse('Café "exact PHRASE here" ecol')
    assert q.words == ["cafe", "ecol"]
    assert q.phrases == [["exact", "phrase", "here"]]
    assert q.prefix is True
    assert parse("ecol ").prefix is False
    assert parse('"ecol"').prefix is False


def test_exclusions_and_operators() -> None:
    q = parse(
        'vote -spam -"bad words" from:@Alice -from:bob #Élections -#Spam since:2024-01-31 until:2024-02-29'
    )
    assert q.words == ["vote"]
    assert q.excluded == [["spam"], ["bad", "words"]]
    assert q.authors == ["alice"] and q.excluded_authors == ["bob"]
    assert q.tags == ["élections"] and q.excluded_tags == ["spam"]
    assert q.since == datetime(2024, 1, 31, tzinfo=UTC)
    assert q.until == datetime(2024, 3, 1, tzinfo=UTC)  # inclusive: up to the end of the 29th


def test_from_with_our_domain_and_unclosed_quote() -> None:
    assert parse("from:alice@testserver").authors == ["alice"]
    assert parse('say "unclosed phrase to the end').phrases == [["unclosed", "phrase", "to", "the", "end"]]


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        ("since:2024-13-45", "since:"),
        ("until:2024-02-30", "until:"),
        ("since:yesterday", "since:"),
        ("from:", "from:"),
        ("from:@", "from:"),
        ("until:", "until:"),
        ("since:2024-02-02 until:2024-02-01", "since:"),
        ("-since:2024-01-01", "since:"),
    ],
)
def test_malformed_operators_are_named(raw: str, named: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse(raw)
    assert named in caught.value.message


def test_other_colons_are_plain_words() -> None:
    q = parse("https://example.org/page note:ok")
    assert "example" in q.words and "note" in q.words and not q.authors


def test_highlights() -> None:
    assert parse('ecole "grand bal" #Fête').highlights == ["ecole", "grand", "bal", "fete"]


def test_too_long() -> None:
    with pytest.raises(Invalid):
        parse("a " * 400)
