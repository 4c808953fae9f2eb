"""OAuth scopes as Mastodon defines them, and the rule for whether granted scopes cover a required one."""

from __future__ import annotations

READ = [
    "read:accounts",
    "read:blocks",
    "read:bookmarks",
    "read:favourites",
    "read:filters",
    "read:follows",
    "read:lists",
    "read:mutes",
    "read:notifications",
    "read:search",
    "read:statuses",
]
WRITE = [
    "write:accounts",
    "write:blocks",
    "write:bookmarks",
    "write:conversations",
    "write:favourites",
    "write:filters",
    "write:follows",
    "write:lists",
    "write:media",
    "write:mutes",
    "write:notifications",
    "write:reports",
    "write:statuses",
]
FOLLOW = ["read:blocks", "read:follows", "read:mutes", "write:blocks", "write:follows", "write:mutes"]
TOP_LEVEL = ["read", "write", "follow", "push", "profile"]
ALL = frozenset(TOP_LEVEL + READ + WRITE)


def parse(scopes: str | None, *, default: str = "read") -> list[str]:
    """Split a space- (or plus-) separated scope string; duplicates dropped, order kept."""
    raw = (scopes or "").replace("+", " ").split() or default.split()
    return list(dict.fromkeys(raw))


def unknown(scopes: list[str]) -> list[str]:
    return [s for s in scopes if s not in ALL]


def covers(granted: list[str] | str, required: str) -> bool:
    """Whether ``granted`` allows an action that needs ``required`` (e.g. ``read:statuses``)."""
    have = set(granted.split() if isinstance(granted, str) else granted)
    if required in have:
        return True
    top = required.split(":", 1)[0]
    if top in ("read", "write") and top in have:
        return True
    return "follow" in have and required in FOLLOW


def subset(requested: list[str], allowed: list[str]) -> bool:
    """Whether every requested scope is among, or implied by, the allowed ones."""
    return all(s in allowed or covers(allowed, s) for s in requested)
