"""Hot statements: the reads of the busiest paths (timeline pages, threads, the checks of a new post),
executed on the driver's own cursor.

For these small indexed queries SQLAlchemy's per-execution work (the statement's cache key, the
expanding ``IN`` lists rewritten on every call, parameter and result processing, ``Row`` objects) cost
more than the database: 183 µs a vetting query through ``Session.execute`` against 67 µs on the sqlite3
cursor, 147 against 59 for a page of posts. A :class:`HotStatement` is still written with SQLAlchemy
Core, compiled by SQLAlchemy once per dialect and per length of its list parameters into a plan that
places each value where the compiled text wants it; rows come back as named tuples with the attribute
names and Python values SQLAlchemy would give (its own type processors are applied).

It runs on the session's connection, inside the session's transaction (SQLite's read snapshot, a
write session's own changes), and a lost connection is invalidated as SQLAlchemy would.
"""

from __future__ import annotations

import threading
from collections import namedtuple
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement

# Plans kept per statement (one per dialect and length of the list parameters): pages come in few sizes.
MAX_PLANS = 256
_HELD = "hot.connection"  # session.info key (each session has its own info dict)


@dataclass(frozen=True)
class _Slot:
    """Where a value of the compiled statement comes from: a parameter (an item of it for a list)."""

    name: str
    index: int | None = None


# How a plan fills in its values, step by step (see _steps).
_CONSTANT, _SCALAR, _LIST, _ITEM = 0, 1, 2, 3


@dataclass(frozen=True)
class _Plan:
    sql: str
    positional: bool
    # The compiled names of the bound values, in the compiled order (for named parameters).
    names: tuple[str, ...]
    # The values in that order, as steps: (_CONSTANT, value, None, None), (_SCALAR, parameter, None,
    # processor), (_LIST, parameter, size, processor) for the ``size`` items of an expanded list, or
    # (_ITEM, parameter, index, processor) for one item of one.
    steps: tuple[tuple[int, Any, int | None, Callable[[Any], Any] | None], ...]
    make: Callable[[Iterable[Any]], Any]
    # (column index, SQLAlchemy's result processor) for the columns that have one (dates on SQLite…).
    processors: tuple[tuple[int, Callable[[Any], Any]], ...]

    def bind(self, params: dict[str, Any]) -> Any:
        values: list[Any] = []
        for kind, source, size, process in self.steps:
            if kind == _LIST:
                items = params[source]
                assert size is not None
                if len(items) < size:
                    # A list shorter than its plan repeats its last item: x IN (a, b, b) is x IN (a, b).
                    items = [*items, *[items[-1]] * (size - len(items))]
                values.extend(items if process is None else map(process, items))
            elif kind == _SCALAR:
                value = params[source]
                values.append(value if process is None else process(value))
            elif kind == _ITEM:
                items = params[source]
                value = items[size] if size < len(items) else items[-1]  # type: ignore[operator]
                values.append(value if process is None else process(value))
            else:
                values.append(source)
        if self.positional:
            return values
        return dict(zip(self.names, values, strict=True))

    def rows(self, raw: list[Any]) -> list[Any]:
        make, processors = self.make, self.processors
        if not processors:
            return list(map(make, raw))
        rows = []
        for r in raw:
            values = list(r)
            for i, process in processors:
                values[i] = process(values[i])
            rows.append(make(values))
        return rows


def _connection(session: Session) -> Connection:
    """The session's connection in its current transaction (begun now if need be, as Session.execute
    would): remembered for that transaction, since Session.connection() walks the session's state on
    each of the ten calls of a page."""
    held = session.info.get(_HELD)
    if held is not None and held[0] is session.get_transaction():
        return held[1]
    conn = session.connection()
    session.info[_HELD] = (session.get_transaction(), conn)
    return conn


def _size(length: int) -> int:
    """The size of the plan a list of ``length`` items runs with: lists are padded to a few sizes, so a
    statement has a handful of texts (SQLite's per-connection statement cache and PostgreSQL's prepared
    statements keep them) rather than one per length."""
    if length <= 2:
        return length
    size = 4
    while size < length and size < 64:
        size *= 2
    return size if size >= length else -(-length // 64) * 64


class HotStatement:
    """A statement run on the driver's cursor; ``lists`` names its expanding (``IN``) parameters.

    Mostly reads; a write (INSERT, UPDATE, DELETE, with or without RETURNING) runs the same way, with
    :meth:`run` (or :meth:`all` for what it returns), in the session's transaction, after the session's
    pending changes are flushed as ``Session.execute`` would."""

    def __init__(
        self,
        statement: ClauseElement,
        *,
        lists: tuple[str, ...] = (),
        forms: dict[str, ClauseElement] | None = None,
        replan: bool = False,
    ) -> None:
        """``forms``: the same query written for one dialect (by name), with the same columns and
        parameters, where that dialect has a better way to say it. ``replan``: never prepared on
        PostgreSQL, so planned for each execution's values and the table's current size (psycopg
        prepares a statement after five uses, and PostgreSQL may keep a generic plan made while a table
        was nearly empty: a whole-table scan once it has grown)."""
        self.replan = replan
        self.statement = statement
        self.writes = bool(statement.is_dml)  # type: ignore[attr-defined]
        self.lists = lists
        self.forms = forms or {}
        # A SELECT's columns, or what a write returns (none without RETURNING).
        columns = list(statement.exported_columns)  # type: ignore[attr-defined]
        self._types = [c.type for c in columns]
        self._row = namedtuple("HotRow", [c.key for c in columns], rename=True)  # type: ignore[misc]
        self._plans: dict[tuple[Any, ...], _Plan] = {}
        self._lock = threading.Lock()

    def all(self, session: Session, params: dict[str, Any]) -> list[Any]:
        """The rows, read (or written and returned) in ``session``'s transaction."""
        return self._run(self._connection(session), params)

    def run(self, session: Session, params: dict[str, Any]) -> int:
        """Run a write in ``session``'s transaction; the number of rows it touched."""
        return self._execute(self._connection(session), params)[1]

    def _connection(self, session: Session) -> Connection:
        if self.writes and (session.new or session.dirty or session.deleted):
            session.flush()  # a pending row this one may need (a foreign key) goes first
        return _connection(session)

    def once(self, engine: Engine, params: dict[str, Any]) -> list[Any]:
        """The rows, read on a pooled connection of ``engine`` outside any session or transaction (one
        statement is its own snapshot): for the token check of every API request, which a session
        would cost ~0.1 ms more (its transaction, on SQLite a BEGIN and a ROLLBACK)."""
        with engine.connect() as conn:
            return self._run(conn, params)

    def _run(self, conn: Connection, params: dict[str, Any]) -> list[Any]:
        raw, _count = self._execute(conn, params)
        return raw

    def _execute(self, conn: Connection, params: dict[str, Any]) -> tuple[list[Any], int]:
        """The rows (none for a write without RETURNING) and the driver's count of rows touched."""
        dialect = conn.dialect
        key = (dialect.name, *(_size(len(params[name])) for name in self.lists))
        plan = self._plans.get(key) or self._plan(dialect, key)
        fairy = conn.connection
        cursor = fairy.dbapi_connection.cursor()  # type: ignore[union-attr]
        values = plan.bind(params)
        try:
            # Listeners of the engine's cursor events (statement logs, query counts in tests) see it too.
            if conn.dispatch.before_cursor_execute:
                conn.dispatch.before_cursor_execute(conn, cursor, plan.sql, values, None, False)
            if self.replan and dialect.name == "postgresql":
                cursor.execute(plan.sql, values, prepare=False)
            else:
                cursor.execute(plan.sql, values)
            raw = cursor.fetchall() if cursor.description is not None else []
            count = cursor.rowcount
            if conn.dispatch.after_cursor_execute:
                conn.dispatch.after_cursor_execute(conn, cursor, plan.sql, values, None, False)
        except dialect.loaded_dbapi.Error as exc:
            if dialect.is_disconnect(exc, fairy.dbapi_connection, cursor):
                conn.invalidate(exc)
            raise
        finally:
            cursor.close()
        return plan.rows(raw), count

    def first(self, session: Session, params: dict[str, Any]) -> Any:
        rows = self.all(session, params)
        return rows[0] if rows else None

    def scalars(self, session: Session, params: dict[str, Any]) -> list[Any]:
        return [row[0] for row in self.all(session, params)]

    def _plan(self, dialect: Dialect, key: tuple[Any, ...]) -> _Plan:
        """Compile for ``dialect`` with a marker in place of every value, to learn where each goes."""
        compiled = self.forms.get(dialect.name, self.statement).compile(dialect=dialect)
        sizes = dict(zip(self.lists, key[1:], strict=True))
        # The caller's parameters are the value-less ones (bindparam("ids")); the others are constants.
        names = {bind.key for bind in compiled.binds.values() if bind.required}
        markers = {
            name: [_Slot(name, i) for i in range(sizes[name])] if name in sizes else _Slot(name)
            for name in names
        }
        state = compiled.construct_expanded_state(markers)
        processors = dict(state.processors)  # the expanded lists' items
        for name, bind in compiled.binds.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                processors.setdefault(name, process)
        if state.positiontup is not None:
            names = list(state.positiontup)
            positional = True
        else:
            names = list(state.parameters)
            positional = False
        sources = []
        for name in names:
            value, process = state.parameters[name], processors.get(name)
            if not isinstance(value, _Slot) and process is not None:
                value, process = process(value), None  # a constant of the statement: processed once
            sources.append((value, process))
        results = [t.dialect_impl(dialect).result_processor(dialect, None) for t in self._types]
        plan = _Plan(
            sql=state.statement,
            positional=positional,
            names=tuple(names),
            steps=_steps(sources, sizes),
            make=self._row._make,
            processors=tuple((i, p) for i, p in enumerate(results) if p is not None),
        )
        with self._lock:
            if len(self._plans) >= MAX_PLANS:
                self._plans.clear()
            self._plans[key] = plan
        return plan


def _steps(
    sources: list[tuple[Any, Callable[[Any], Any] | None]], sizes: dict[str, int]
) -> tuple[tuple[int, Any, int | None, Callable[[Any], Any] | None], ...]:
    """The plan's values as steps: a run of the items 0…n-1 of one list parameter (as the compiled
    statement places an expanded ``IN`` list; ``sizes``: the plan's size of each) is one step, filled at
    once rather than item by item (a page's viewer-state query binds ~320 values)."""
    steps: list[tuple[int, Any, int | None, Callable[[Any], Any] | None]] = []
    i = 0
    while i < len(sources):
        value, process = sources[i]
        if not isinstance(value, _Slot):
            steps.append((_CONSTANT, value, None, None))
        elif value.index is None:
            steps.append((_SCALAR, value.name, None, process))
        else:
            run = 1
            while i + run < len(sources) and sources[i + run] == (
                _Slot(value.name, value.index + run),
                process,
            ):
                run += 1
            if value.index == 0 and run == sizes[value.name]:
                steps.append((_LIST, value.name, run, process))
                i += run
                continue
            steps.append((_ITEM, value.name, value.index, process))  # placed otherwise: item by item
        i += 1
    return tuple(steps)
