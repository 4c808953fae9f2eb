"""Keyset pagination with Mastodon's cursors: ``max_id``, ``since_id``, ``min_id`` and ``limit``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam

T = TypeVar("T")


@dataclass(frozen=True)
class Page:
    """Which slice of a newest-first list to return.

    ``max_id``: strictly older than; ``since_id``: strictly newer, newest page; ``min_id``: strictly newer,
    the page right after it (for catching up without a gap). Results are newest first in every case.
    """

    limit: int = 20
    max_id: int | None = None
    since_id: int | None = None
    min_id: int | None = None


def apply(query: Select[Any], column: Any, page: Page) -> Select[Any]:
    """Restrict and order ``query`` on ``column`` (a time-ordered id) for ``page``."""
    if page.max_id is not None:
        query = query.where(column < page.max_id)
    if page.since_id is not None:
        query = query.where(column > page.since_id)
    if page.min_id is not None:
        return query.where(column > page.min_id).order_by(column.asc()).limit(page.limit)
    return query.order_by(column.desc()).limit(page.limit)


def newest_first(rows: Sequence[T], page: Page) -> list[T]:
    """Rows fetched by :func:`apply`, newest first (``min_id`` pages are fetched oldest first)."""
    return list(reversed(rows)) if page.min_id is not None else list(rows)


# Hot paths build their statements once (see :func:`functools.cache` uses) with the page's cursors as
# bound parameters: building a statement costs more than running it. A page's shape picks the variant.
Shape = tuple[bool, bool, bool]


def shape(page: Page) -> Shape:
    """Which cursors ``page`` uses (max_id, since_id, min_id): statements are built once per shape."""
    return (page.max_id is not None, page.since_id is not None, page.min_id is not None)


def apply_bound(query: Select[Any], column: Any, page_shape: Shape) -> Select[Any]:
    """:func:`apply` with bound parameters ``max_id``, ``since_id``, ``min_id`` and ``limit``."""
    has_max, has_since, has_min = page_shape
    if has_max:
        query = query.where(column < bindparam("max_id"))
    if has_since:
        query = query.where(column > bindparam("since_id"))
    if has_min:
        return query.where(column > bindparam("min_id")).order_by(column.asc()).limit(bindparam("limit"))
    return query.order_by(column.desc()).limit(bindparam("limit"))


def bound(page: Page) -> dict[str, int]:
    """The parameters of a statement made by :func:`apply_bound` for ``page``."""
    params = {"limit": page.limit}
    for name in ("max_id", "since_id", "min_id"):
        value = getattr(page, name)
        if value is not None:
            params[name] = value
    return params
