"""Alembic environment: runs migrations on the connection or URL gazouillis hands it."""

from alembic import context

from gazouillis.search.indexes import include_name
from gazouillis.storage import single_connection_engine
from gazouillis.tables import metadata

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_on(connection)
        return
    engine = single_connection_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run_on(conn)
    engine.dispose()


def _run_on(connection: object) -> None:
    is_sqlite = connection.dialect.name == "sqlite"  # type: ignore[attr-defined]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=is_sqlite,
        include_name=include_name,  # the search indexes are written by hand (see gazouillis.search)
    )
    with context.begin_transaction():
        context.run_migrations()


run()
