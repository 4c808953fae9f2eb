"""Formats shared by every Mastodon entity."""

from __future__ import annotations

from datetime import UTC, datetime


def timestamp(value: datetime | None) -> str | None:
    """RFC 3339 with milliseconds and ``Z``, exactly as Mastodon writes it."""
    if value is None:
        return None
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def day(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime("%Y-%m-%d") if value else None
