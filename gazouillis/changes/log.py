"""Writing to the change log from Python, where no trigger sees the write, and pruning it."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, String, delete, insert, literal, select
from sqlalchemy.orm import Session

from gazouillis.changes.tables import EVERYTHING, READER, Change

# Seconds the log keeps its rows: longer than a cached page lives (pages.TTL), so a process that has
# not read the log for a while has no live page that depends on a pruned row.
RETENTION = 900


def readers_changed(session: Session, reader_ids: Iterable[int]) -> None:
    """The feeds of ``reader_ids`` changed (the feed stores announce their own writes). In the writer's
    transaction, after the feed writes: a page read in between is dropped by this row."""
    rows = [{"kind": READER, "ref": r} for r in dict.fromkeys(reader_ids)]
    if rows:
        session.execute(insert(Change), rows)


def readers_changed_from(session: Session, readers: Select[Any]) -> None:
    """:func:`readers_changed` for the readers a query selects (its one column), in one statement: a
    fan-out batch written by INSERT … SELECT never brings its readers into Python."""
    found = readers.subquery()
    rows = select(literal(READER, String(1)), found.c[0])
    session.execute(insert(Change).from_select(["kind", "ref"], rows))


def everything_changed(session: Session) -> None:
    """A change no single reference covers: every cached page goes."""
    session.execute(insert(Change), [{"kind": EVERYTHING, "ref": None}])


def prune(session: Session, *, now: float | None = None) -> int:
    """Delete the rows older than RETENTION; how many went."""
    cutoff = int(now if now is not None else time.time()) - RETENTION
    return session.execute(delete(Change).where(Change.at < cutoff)).rowcount  # type: ignore[attr-defined]
