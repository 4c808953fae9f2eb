"""The migrations build exactly the schema the tables declare, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from gazouillis.search.indexes import include_name
from gazouillis.storage import Database
from gazouillis.tables import metadata


def test_migrations_match_the_tables(db: Database) -> None:
    with db.read_engine.connect() as conn:
        diff = compare_metadata(
            # The search indexes (FTS5 tables, expression indexes) are not in the metadata.
            MigrationContext.configure(conn, opts={"include_name": include_name}),
            metadata,
        )
    assert diff == []
