"""The search indexes' names and the SQL that matches against them, for each database.

SQLite: FTS5 tables ``search_posts`` (rowid = post id) and ``search_accounts`` (rowid = account id),
tokenizer ``unicode61 remove_diacritics 2``, filled by triggers on ``posts`` and ``accounts`` (migration
``9c1e4b7d2f30``), so every write path (API, pages, seeding, SQL by hand) keeps them in step.
PostgreSQL: GIN expression indexes ``ix_search_posts`` / ``ix_search_accounts`` over
``to_tsvector('simple', gz_fold(…))``: maintained by PostgreSQL itself, nothing to keep in step.

None of these objects is declared in the tables' metadata (Alembic cannot describe them), so schema
comparisons leave them out with :func:`include_name`.
"""

from __future__ import annotations

from typing import Any

from gazouillis.search.folding import sqlite_expression

TOKENIZER = "unicode61 remove_diacritics 2"
SQLITE_TABLES = ("search_posts", "search_accounts", "search_tags")
PG_INDEXES = ("ix_search_posts", "ix_search_accounts", "ix_search_tags")

# The indexed text: the same expression in the migration and in the queries (PostgreSQL uses the
# expression index only when a query repeats it exactly).
POST_COLUMNS = ("spoiler_text", "text")
ACCOUNT_COLUMNS = ("username", "display_name", "note")


def pg_vector(columns: tuple[str, ...], table: str | None = None) -> str:
    """``to_tsvector('simple', gz_fold(a || ' ' || b))``, with the columns qualified by ``table``."""
    joined = " || ' ' || ".join(f"{table}.{c}" if table else c for c in columns)
    return f"to_tsvector('simple'::regconfig, gz_fold({joined}))"


PG_POST_VECTOR = pg_vector(POST_COLUMNS)
PG_ACCOUNT_VECTOR = pg_vector(ACCOUNT_COLUMNS)


def include_name(name: str | None, type_: str, _parents: Any = None) -> bool:
    """Alembic ``include_name`` hook: leave the search tables (and FTS5's shadow tables) and indexes out."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(SQLITE_TABLES)
    if type_ == "index":
        return name not in PG_INDEXES
    return True


def sqlite_post_body(row: str) -> str:
    """What the SQLite triggers index for a post row (``new`` or ``old``)."""
    return sqlite_expression(f"{row}.spoiler_text || ' ' || {row}.text")


def sqlite_account_columns(row: str) -> tuple[str, str, str]:
    return (
        sqlite_expression(f"{row}.username"),
        sqlite_expression(f"{row}.display_name"),
        sqlite_expression(f"{row}.note"),
    )
