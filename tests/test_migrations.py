"""The migrations build exactly the schema the tables declare, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from gazouillis.storage import Database
from gazouillis.tables import metadata


def test_migrations_match_the_tables(db: Database) -> None:
    with db.read_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
