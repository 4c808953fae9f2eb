"""changes: the change log that cached home pages are checked against, and the triggers that fill it

Revision ID: e8a4c2f1b9d6
Revises: 7b3d9e2c4a15
Create Date: 2026-12-07 06:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from gazouillis.changes import triggers

revision: str = "e8a4c2f1b9d6"
down_revision: str | None = "7b3d9e2c4a15"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    conn = op.get_bind()
    dialect = conn.dialect.name
    triggers.run(conn, triggers.table_sql(dialect) + triggers.create_sql(dialect))


def downgrade() -> None:
    conn = op.get_bind()
    triggers.run(conn, triggers.drop_sql(conn.dialect.name))
    op.drop_table("changes")
