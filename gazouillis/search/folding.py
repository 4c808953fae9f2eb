"""Accent- and case-insensitive text: one folding rule, applied the same way in Python and in SQL.

``fold("L'École — CAFÉ œuvre")`` gives ``"l ecole   cafe oeuvre"``: lower case, no diacritics, the
usual ligatures spelled out, punctuation and symbols turned into spaces. PostgreSQL indexes
``to_tsvector('simple', gz_fold(text))``; :func:`sql_function` writes ``gz_fold`` from the very table
Python uses, with built-in ``translate``/``replace`` only, so no extension (``unaccent``) and no
superuser right is needed. Characters outside the folded ranges (CJK, Arabic…) are left as they are, on
both sides, so they still match each other.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Latin (with IPA and spacing modifiers), combining marks, Greek, Cyrillic, Latin Extended Additional
# (Vietnamese), general punctuation (’ “ ” — …) and the Latin ligatures block.
RANGES = ((0x0001, 0x0530), (0x1E00, 0x1F00), (0x2000, 0x2070), (0xFB00, 0xFB07))
# Letters that fold to more than one letter (translate() maps one character to one).
LIGATURES = {
    "œ": "oe",
    "Œ": "oe",
    "æ": "ae",
    "Æ": "ae",
    "ß": "ss",
    "ẞ": "ss",
    "ĳ": "ij",
    "Ĳ": "ij",
    "ﬀ": "ff",
    "ﬁ": "fi",
    "ﬂ": "fl",
    "ﬃ": "ffi",
    "ﬄ": "ffl",
    "ﬅ": "st",
    "ﬆ": "st",
}
# Letters with a stroke, which Unicode does not decompose (FTS5's unicode61 folds them too).
STROKES = {"ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ħ": "h", "Ħ": "h", "ŧ": "t", "Ŧ": "t"}
_WORD = re.compile(r"[^\W_]+")


@cache
def _tables() -> tuple[dict[str, str], str]:
    """One-to-one replacements, and the characters that are dropped (combining marks)."""
    single: dict[str, str] = {}
    dropped: list[str] = []
    for start, end in RANGES:
        for point in range(start, end):
            char = chr(point)
            if char in LIGATURES:
                continue
            if char in STROKES:
                single[char] = STROKES[char]
                continue
            category = unicodedata.category(char)
            if category[0] in "PSZ" or category == "Cc":
                if char != " ":
                    single[char] = " "
            elif category == "Mn":
                dropped.append(char)
            else:
                base = "".join(
                    c for c in unicodedata.normalize("NFKD", char.lower()) if not unicodedata.combining(c)
                )
                if len(base) == 1 and base != char:
                    single[char] = base
    return single, "".join(dropped)


@cache
def _translation() -> dict[int, str | None]:
    single, dropped = _tables()
    table: dict[int, str | None] = {ord(k): v for k, v in single.items()}
    table.update({ord(c): None for c in dropped})
    table.update({ord(k): v for k, v in LIGATURES.items()})
    return table


def fold(text: str) -> str:
    """``text`` lower-cased, without diacritics, ligatures spelled out, punctuation as spaces."""
    return text.translate(_translation())


def words(text: str) -> list[str]:
    """The folded words of ``text`` (runs of letters and digits), as both databases split them."""
    return _WORD.findall(fold(text))


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def sql_function() -> str:
    """``CREATE FUNCTION gz_fold(text)`` for PostgreSQL: :func:`fold` with built-in functions only."""
    single, dropped = _tables()
    expression = "value"
    for source, target in LIGATURES.items():
        expression = f"replace({expression}, {_literal(source)}, {_literal(target)})"
    # translate() looks each character up in the source list from its start, so the most frequent
    # letters of French and English text come first, then the rest of printable ASCII, those that fold
    # to themselves too: most characters are found within a few dozen entries instead of running
    # through all ~1,400 (173 µs a post before, with every ASCII letter searched to the end).
    # Characters of the source beyond the target's length are removed: the combining marks come last.
    frequent = " esaitnrulodcmpévqfbghjàxyèêzwçùkôî0123456789.,'"
    ascii_first = {c: single.get(c, c) for c in frequent + "".join(map(chr, range(0x20, 0x7F)))}
    rest = {c: t for c, t in single.items() if c not in ascii_first}
    source = "".join(ascii_first) + "".join(rest) + dropped
    target = "".join(ascii_first.values()) + "".join(rest.values())
    expression = f"translate({expression}, {_literal(source)}, {_literal(target)})"
    return (
        "CREATE OR REPLACE FUNCTION gz_fold(value text) RETURNS text "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
        f"AS $$ SELECT {expression} $$"
    )


def sqlite_expression(column: str) -> str:
    """Ligatures and stroked letters spelled out in SQL for SQLite, where FTS5's unicode61 tokenizer
    folds case and accents but not these."""
    expression = column
    for source, target in (LIGATURES | STROKES).items():
        expression = f"replace({expression}, {_literal(source)}, {_literal(target)})"
    return expression
