"""Marking the words a query matched in already-rendered, safe HTML, accent- and case-insensitively.

Only text between tags is touched, never a tag, an attribute or a character reference, so links and
markup stay whole: ``<a href="/tags/ecole">#École</a>`` becomes
``<a href="/tags/ecole">#<mark>École</mark></a>``.
"""

from __future__ import annotations

import re

from gazouillis.search.folding import fold

_MARKUP = re.compile(r"(<[^>]*>|&#?\w+;)")
_WORD = re.compile(r"[^\W_]+")
_SKIPPED = ("script", "style", "mark")


def highlight(html: str, terms: list[str]) -> str:
    """``html`` with every word whose folded form starts with one of ``terms`` (folded words) wrapped
    in ``<mark>``."""
    terms = [t for t in terms if t]
    if not terms or not html:
        return html
    starts = tuple(terms)

    def mark(match: re.Match[str]) -> str:
        word = match.group(0)
        folded = fold(word).replace(" ", "")
        return f"<mark>{word}</mark>" if folded.startswith(starts) else word

    pieces = _MARKUP.split(html)
    skipping = 0
    for i, piece in enumerate(pieces):
        if i % 2:  # a tag or a character reference
            name = (
                piece[1:].lstrip("/").split(None, 1)[0].rstrip(">").lower() if piece.startswith("<") else ""
            )
            if name in _SKIPPED:
                skipping += -1 if piece.startswith("</") else 1
            continue
        if piece and not skipping:
            pieces[i] = _WORD.sub(mark, piece)
    return "".join(pieces)
