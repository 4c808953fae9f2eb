"""Schema migrations with Alembic, run programmatically so no alembic.ini is needed."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Bring the database at ``url`` to the newest schema (creates it from nothing too)."""
    command.upgrade(alembic_config(url), "head")


def revision(url: str, message: str) -> None:
    """Write a new migration from the difference between the tables and the database (developers)."""
    command.revision(alembic_config(url), message=message, autogenerate=True)
