"""Full-text conditions in each database's own syntax: FTS5 MATCH strings and PostgreSQL tsqueries.

Terms arrive folded and split into runs of letters and digits (:func:`gazouillis.search.folding.words`),
so they never hold quotes or operators; they are still quoted, as each syntax wants.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from gazouillis.search.indexes import ACCOUNT_COLUMNS, POST_COLUMNS, pg_vector

# A term: the folded words of one phrase (one word is a phrase of one), and whether it is a prefix.
Term = tuple[list[str], bool]


def fts5(terms: list[Term], joiner: str) -> str:
    """``"a" AND "b c" AND "d"*``: every term (``joiner`` AND) or any (OR)."""
    parts = ['"' + " ".join(w) + '"' + ("*" if prefix else "") for w, prefix in terms]
    return f" {joiner} ".join(parts)


def tsquery(terms: list[Term], joiner: str) -> str:
    """``'a' & ('b' <-> 'c') & 'd':*``: the same for PostgreSQL's ``to_tsquery``."""
    parts = []
    for phrase, prefix in terms:
        lexemes = [f"'{w}'" for w in phrase]
        if prefix:
            lexemes[-1] += ":*"
        parts.append(lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")")
    return f" {joiner} ".join(parts)


def matches(
    session: Session,
    table: str,
    terms: list[Term],
    *,
    any_: bool = False,
    negate: bool = False,
    name: str = "m",
) -> Any:
    """A condition on ``table`` (posts or accounts) holding for rows whose text has every term (any
    with ``any_``; none with ``negate`` too). ``name``: the bound parameter's name, distinct for each
    condition of a statement."""
    is_sqlite = session.get_bind().dialect.name == "sqlite"
    param = f"search_{name}"
    if is_sqlite:
        value = fts5(terms, "OR" if any_ else "AND")
        clause = f"{table}.id IN (SELECT rowid FROM search_{table} WHERE search_{table} MATCH :{param})"
    else:
        value = tsquery(terms, "|" if any_ else "&")
        columns = POST_COLUMNS if table == "posts" else ACCOUNT_COLUMNS
        # Exactly the indexed expression (see the migration), or PostgreSQL will not use the index.
        vector = pg_vector(columns, table)
        clause = f"{vector} @@ to_tsquery('simple'::regconfig, :{param})"
    if negate:
        clause = f"NOT ({clause})"
    return text(clause).bindparams(bindparam(param, value))
