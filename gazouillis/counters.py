"""Denormalised counters (posts, followers, likes…), changed in place inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, update
from sqlalchemy.orm import Session


def bump(session: Session, table: Any, row_id: int, **deltas: int) -> None:
    """Add each delta to its counter column of row ``row_id``; a counter never goes below zero."""
    values = {}
    for name, delta in deltas.items():
        column = getattr(table, name)
        values[name] = column + delta if delta >= 0 else case((column + delta < 0, 0), else_=column + delta)
    session.execute(update(table).where(table.id == row_id).values(**values))
