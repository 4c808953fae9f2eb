"""id node leases

Revision ID: 3f87bb80be9f
Revises: c4b6bcab8d07
Create Date: 2026-11-22 13:46:24.016877
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import gazouillis.storage

revision: str = "3f87bb80be9f"
down_revision: str | None = "c4b6bcab8d07"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "id_nodes",
        sa.Column("node", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("holder", sa.String(length=100), nullable=False),
        sa.Column("expires_at", gazouillis.storage.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("node", name=op.f("pk_id_nodes")),
    )


def downgrade() -> None:
    op.drop_table("id_nodes")
