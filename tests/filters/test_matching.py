"""Keyword matching: whole words and substrings, case and accents, Unicode word boundaries."""

from __future__ import annotations

import pytest

from gazouillis.filters.matching import fold, keyword_pattern


@pytest.mark.parametrize(
    ("keyword", "whole_word", "text", "matches"),
    [
        ("cafe", True, "Un CAFÉ noir", True),
        ("café", True, "un cafe noir", True),
        ("cafe", True, "les cafés", False),
        ("cafe", False, "les cafés", True),
        ("cat", True, "concatenate", False),
        ("cat", False, "concatenate", True),
        ("Élan", True, "un élan vital", True),
        ("straße", True, "STRASSE gesperrt", True),
        ("#jazz", True, "ce soir #Jazz!", True),
        ("#jazz", True, "ce soir #jazzy", False),
        ("東京", True, "東京に行く", False),  # no spaces: the characters around are word characters
        ("東京", False, "東京に行く", True),
        ("ok?", True, "is it ok? yes", True),
        ("a.b", False, "axb", False),  # keywords are literal, not patterns
    ],
)
def test_keyword_patterns(keyword: str, whole_word: bool, text: str, matches: bool) -> None:
    assert bool(keyword_pattern(keyword, whole_word).search(fold(text))) is matches


def test_fold_drops_case_and_accents() -> None:
    assert fold("ÉCOLE Noël") == "ecole noel"
