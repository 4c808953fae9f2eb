"""gz_fold looks the frequent characters up first (same results, ~28x faster on PostgreSQL)

Revision ID: 5e2a8f61c0d4
Revises: 9c1e4b7d2f30
Create Date: 2026-11-22 20:40:00

The function's results do not change (tests/search/test_folding_sql.py compares it with the Python
folding character by character), so the indexes built on it stay valid and are not rebuilt.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from gazouillis.search.folding import sql_function

revision: str = "5e2a8f61c0d4"
down_revision: str | None = "9c1e4b7d2f30"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return  # SQLite folds in FTS5's tokenizer: no function to replace
    op.execute(sa.text(sql_function()))


def downgrade() -> None:
    pass  # the previous text gave the same results, only slower
