"""The migrations build exactly the schema the tables declare, on both databases."""

from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from gazouillis.migrate import include_name
from gazouillis.storage import Database
from gazouillis.tables import metadata


def test_migrations_match_the_tables(db: Database) -> None:
    with db.read_engine.connect() as conn, warnings.catch_warnings():
        # The change log's transaction id (PostgreSQL's xid8) has no SQLAlchemy type: left out below.
        warnings.filterwarnings("ignore", "Did not recognize type 'xid8'")
        diff = compare_metadata(
            # Not in the metadata: the search indexes (FTS5, expressions), the change log's txid.
            MigrationContext.configure(conn, opts={"include_name": include_name}),
            metadata,
        )
    assert diff == []
