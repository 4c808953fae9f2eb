"""changes: the token and login writes that remembered token checks depend on

Revision ID: f3b7d1a9c2e4
Revises: e8a4c2f1b9d6
Create Date: 2026-12-07 12:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from gazouillis.changes import triggers

revision: str = "f3b7d1a9c2e4"
down_revision: str | None = "e8a4c2f1b9d6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = frozenset({"oauth_tokens", "users"})


def upgrade() -> None:
    # The revision before creates the triggers of the current list, these included on a new database:
    # drop them (if there) before creating them.
    conn = op.get_bind()
    triggers.run(
        conn, triggers.drop_sql(conn.dialect.name, TABLES) + triggers.create_sql(conn.dialect.name, TABLES)
    )


def downgrade() -> None:
    conn = op.get_bind()
    triggers.run(conn, triggers.drop_sql(conn.dialect.name, TABLES))
