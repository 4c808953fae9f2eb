"""Keyset pagination with Mastodon's cursors: ``max_id``, ``since_id``, ``min_id`` and ``limit``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select

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
