"""The triggers that fill the change log, and the log table's own DDL, for SQLite and PostgreSQL.

Triggers rather than calls in the services: every write path (ORM, Core statements, counters, cascades,
bulk deletes) is covered, including ones written later. The bulk loader of ``seed bench`` drops them
while it loads and creates them again before it commits (gazouillis.seeding.bulk): no page has seen
those rows.
"""

from __future__ import annotations

from sqlalchemy import Connection

from gazouillis.changes.tables import ACCOUNT, AUTHOR, LOGIN, POST, READER, TOKEN

OWNER_OF_FILTER = "(SELECT account_id FROM filters WHERE id = {row}.filter_id)"
OWNER_OF_LIST = "(SELECT account_id FROM lists WHERE id = {row}.list_id)"
ALL = ("INSERT", "UPDATE", "DELETE")

# (table, events, kind, reference): the reference is an expression over the written row, ``{row}``
# (the new row for an INSERT, the old one otherwise: ids do not change).
WATCHED: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    ("posts", ("UPDATE", "DELETE"), POST, "{row}.id"),
    ("posts", ("INSERT", "DELETE"), AUTHOR, "{row}.account_id"),
    ("accounts", ("UPDATE", "DELETE"), ACCOUNT, "{row}.id"),
    ("favourites", ALL, READER, "{row}.account_id"),
    ("bookmarks", ALL, READER, "{row}.account_id"),
    ("pins", ALL, READER, "{row}.account_id"),
    ("follows", ALL, READER, "{row}.account_id"),
    ("blocks", ALL, READER, "{row}.account_id"),
    ("blocks", ALL, READER, "{row}.target_account_id"),
    ("mutes", ALL, READER, "{row}.account_id"),
    ("filters", ALL, READER, "{row}.account_id"),
    ("filter_keywords", ALL, READER, OWNER_OF_FILTER),
    ("filter_statuses", ALL, READER, OWNER_OF_FILTER),
    ("tag_follows", ALL, READER, "{row}.account_id"),
    ("lists", ALL, READER, "{row}.account_id"),
    ("list_members", ALL, READER, OWNER_OF_LIST),
    # What remembered token checks depend on (gazouillis.oauth.memo): a new row is checked when used.
    ("oauth_tokens", ("UPDATE", "DELETE"), TOKEN, "{row}.id"),
    ("users", ("UPDATE", "DELETE"), LOGIN, "{row}.account_id"),
)


def _by_table_event(tables: frozenset[str] | None = None) -> dict[tuple[str, str], list[tuple[str, str]]]:
    grouped: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for table, events, kind, ref in WATCHED:
        if tables is not None and table not in tables:
            continue
        for ev in events:
            grouped.setdefault((table, ev), []).append((kind, ref))
    return grouped


def _name(table: str, event: str) -> str:
    return f"gz_changes_{table}_{event.lower()}"


def create_sql(dialect: str, tables: frozenset[str] | None = None) -> list[str]:
    """The statements creating every trigger (after the ``changes`` table), or those on ``tables``."""
    statements = []
    for (table, ev), refs in _by_table_event(tables).items():
        name = _name(table, ev)
        if dialect == "sqlite":
            row = "NEW" if ev == "INSERT" else "OLD"
            inserts = " ".join(
                f"INSERT INTO changes (kind, ref) VALUES ('{kind}', {ref.format(row=row)});"
                for kind, ref in refs
            )
            statements.append(f"CREATE TRIGGER {name} AFTER {ev} ON {table} FOR EACH ROW BEGIN {inserts} END")
        else:
            # One statement-level trigger per event, over its transition table: a statement that writes
            # many rows (a cascade, a bulk delete) logs each reference once, in one INSERT.
            rows = "new_rows" if ev == "INSERT" else "old_rows"
            selects = " UNION ".join(
                f"SELECT '{kind}', {ref.format(row='t')} FROM {rows} t" for kind, ref in refs
            )
            statements.append(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"INSERT INTO changes (kind, ref) {selects}; RETURN NULL; END $$"
            )
            referencing = "NEW TABLE AS new_rows" if ev == "INSERT" else "OLD TABLE AS old_rows"
            statements.append(
                f"CREATE TRIGGER {name} AFTER {ev} ON {table} REFERENCING {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )
    return statements


def drop_sql(dialect: str, tables: frozenset[str] | None = None) -> list[str]:
    statements = []
    for table, ev in _by_table_event(tables):
        name = _name(table, ev)
        statements.append(f"DROP TRIGGER IF EXISTS {name}" + ("" if dialect == "sqlite" else f" ON {table}"))
        if dialect != "sqlite":
            statements.append(f"DROP FUNCTION IF EXISTS {name}()")
    return statements


def table_sql(dialect: str) -> list[str]:
    """The ``changes`` table; on PostgreSQL ``txid`` is the writing transaction's id (see :mod:`.tail`),
    as a bigint, compared with plain integer parameters (and declared by the table, unlike xid8)."""
    if dialect == "sqlite":
        return [
            # AUTOINCREMENT: a seq is never handed out again, even once every row is pruned.
            "CREATE TABLE changes (seq INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, kind VARCHAR(1) NOT NULL, "
            "ref BIGINT, at BIGINT NOT NULL DEFAULT (CAST(strftime('%s','now') AS INTEGER)), txid BIGINT)",
            "CREATE INDEX ix_changes_at ON changes (at)",
            "CREATE INDEX ix_changes_txid ON changes (txid)",
        ]
    return [
        "CREATE TABLE changes (seq BIGSERIAL PRIMARY KEY, kind VARCHAR(1) NOT NULL, ref BIGINT, "
        "at BIGINT NOT NULL DEFAULT (extract(epoch FROM clock_timestamp())::bigint), "
        "txid BIGINT DEFAULT (CAST(CAST(pg_current_xact_id() AS text) AS bigint)))",
        "CREATE INDEX ix_changes_at ON changes (at)",
        "CREATE INDEX ix_changes_txid ON changes (txid)",
    ]


def run(conn: Connection, statements: list[str]) -> None:
    for statement in statements:
        conn.exec_driver_sql(statement)
