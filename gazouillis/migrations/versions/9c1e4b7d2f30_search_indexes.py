"""search indexes

SQLite: FTS5 tables kept in step with posts and accounts by triggers. PostgreSQL: a folding function
(accents, case, ligatures; built-in functions only, no extension) and GIN expression indexes.
See gazouillis.search.indexes and docs/search.md.

Revision ID: 9c1e4b7d2f30
Revises: d2d65009a727
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from gazouillis.search import indexes
from gazouillis.search.folding import sql_function

revision: str = "9c1e4b7d2f30"
down_revision: str | None = "d2d65009a727"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _sqlite_statements() -> list[str]:
    body_new = indexes.sqlite_post_body("new")
    body_old = indexes.sqlite_post_body("posts")
    user_new, name_new, note_new = indexes.sqlite_account_columns("new")
    user_old, name_old, note_old = indexes.sqlite_account_columns("accounts")
    tok = indexes.TOKENIZER
    return [
        f"CREATE VIRTUAL TABLE search_posts USING fts5(body, tokenize = '{tok}')",
        f"CREATE VIRTUAL TABLE search_accounts USING fts5(username, display_name, note, tokenize = '{tok}')",
        # Reposts are not indexed: their original is.
        "CREATE TRIGGER search_posts_insert AFTER INSERT ON posts WHEN new.reblog_of_id IS NULL BEGIN "
        f"INSERT INTO search_posts(rowid, body) VALUES (new.id, {body_new}); END",
        "CREATE TRIGGER search_posts_update AFTER UPDATE OF text, spoiler_text, reblog_of_id ON posts BEGIN "
        "DELETE FROM search_posts WHERE rowid = old.id; "
        f"INSERT INTO search_posts(rowid, body) SELECT new.id, {body_new} "
        "WHERE new.reblog_of_id IS NULL; END",
        "CREATE TRIGGER search_posts_delete AFTER DELETE ON posts BEGIN "
        "DELETE FROM search_posts WHERE rowid = old.id; END",
        "CREATE TRIGGER search_accounts_insert AFTER INSERT ON accounts BEGIN "
        "INSERT INTO search_accounts(rowid, username, display_name, note) "
        f"VALUES (new.id, {user_new}, {name_new}, {note_new}); END",
        "CREATE TRIGGER search_accounts_update "
        "AFTER UPDATE OF username, display_name, note ON accounts BEGIN "
        "DELETE FROM search_accounts WHERE rowid = old.id; "
        "INSERT INTO search_accounts(rowid, username, display_name, note) "
        f"VALUES (new.id, {user_new}, {name_new}, {note_new}); END",
        "CREATE TRIGGER search_accounts_delete AFTER DELETE ON accounts BEGIN "
        "DELETE FROM search_accounts WHERE rowid = old.id; END",
        f"CREATE VIRTUAL TABLE search_tags USING fts5(name, tokenize = '{tok}')",
        "CREATE TRIGGER search_tags_insert AFTER INSERT ON tags BEGIN "
        f"INSERT INTO search_tags(rowid, name) VALUES (new.id, {indexes.sqlite_expression('new.name')}); END",
        "CREATE TRIGGER search_tags_update AFTER UPDATE OF name ON tags BEGIN "
        "DELETE FROM search_tags WHERE rowid = old.id; "
        f"INSERT INTO search_tags(rowid, name) VALUES (new.id, {indexes.sqlite_expression('new.name')}); END",
        "CREATE TRIGGER search_tags_delete AFTER DELETE ON tags BEGIN "
        "DELETE FROM search_tags WHERE rowid = old.id; END",
        # What was written before this migration.
        f"INSERT INTO search_tags(rowid, name) SELECT id, {indexes.sqlite_expression('tags.name')} FROM tags",
        f"INSERT INTO search_posts(rowid, body) SELECT id, {body_old} FROM posts WHERE reblog_of_id IS NULL",
        "INSERT INTO search_accounts(rowid, username, display_name, note) "
        f"SELECT id, {user_old}, {name_old}, {note_old} FROM accounts",
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _sqlite_statements():
            op.execute(sa.text(statement))
        return
    op.execute(sa.text(sql_function()))
    op.execute(
        sa.text(
            f"CREATE INDEX ix_search_posts ON posts USING gin ({indexes.PG_POST_VECTOR}) "
            "WHERE reblog_of_id IS NULL"
        )
    )
    op.execute(
        sa.text(f"CREATE INDEX ix_search_accounts ON accounts USING gin ({indexes.PG_ACCOUNT_VECTOR})")
    )
    # Hashtags by folded prefix (``gz_fold(name) LIKE 'educ%'`` finds "éducation").
    op.execute(sa.text("CREATE INDEX ix_search_tags ON tags (gz_fold(name) text_pattern_ops)"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("posts", "accounts", "tags"):
            for event in ("insert", "update", "delete"):
                op.execute(sa.text(f"DROP TRIGGER IF EXISTS search_{name}_{event}"))
            op.execute(sa.text(f"DROP TABLE IF EXISTS search_{name}"))
        return
    op.execute(sa.text("DROP INDEX IF EXISTS ix_search_posts"))
    op.execute(sa.text("DROP INDEX IF EXISTS ix_search_accounts"))
    op.execute(sa.text("DROP INDEX IF EXISTS ix_search_tags"))
    op.execute(sa.text("DROP FUNCTION IF EXISTS gz_fold(text)"))
