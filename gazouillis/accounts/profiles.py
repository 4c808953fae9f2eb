"""Editing a profile and the posting defaults: validated field by field, all or nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

from gazouillis.accounts.tables import Account, User
from gazouillis.errors import Invalid
from gazouillis.text import render_html

MAX_DISPLAY_NAME = 30
MAX_NOTE = 500
MAX_FIELDS = 4
MAX_FIELD_LENGTH = 255
VISIBILITIES = ("public", "unlisted", "private", "direct")
WEBSITE_RE = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class ProfileChanges:
    """What an edit of a profile may change; None leaves a field as it is."""

    display_name: str | None = None
    note: str | None = None
    website: str | None = None
    locked: bool | None = None
    bot: bool | None = None
    discoverable: bool | None = None
    fields: list[dict[str, str]] | None = None
    default_visibility: str | None = None
    default_sensitive: bool | None = None
    default_language: str | None = None


def profile_problems(changes: ProfileChanges) -> dict[str, list[dict[str, str]]]:
    """What is wrong with ``changes``, by field (``fields.<n>.name`` for a profile field's row).

    Each description is a whole sentence, so the API can join them into Mastodon's error message.
    """
    details: dict[str, list[dict[str, str]]] = {}

    def add(field: str, code: str, description: str) -> None:
        details[field] = [{"error": code, "description": description}]

    if changes.display_name is not None and len(changes.display_name) > MAX_DISPLAY_NAME:
        add(
            "display_name",
            "ERR_TOO_LONG",
            f"Display name is too long (maximum is {MAX_DISPLAY_NAME} characters)",
        )
    if changes.note is not None and len(changes.note) > MAX_NOTE:
        add("note", "ERR_TOO_LONG", f"Note is too long (maximum is {MAX_NOTE} characters)")
    if changes.website and not WEBSITE_RE.match(changes.website):
        add("website", "ERR_INVALID", "Website must be an http or https address")
    if changes.fields is not None:
        if len(changes.fields) > MAX_FIELDS:
            add("fields", "ERR_TOO_MANY", f"Fields: at most {MAX_FIELDS}")
        for i, f in enumerate(changes.fields[:MAX_FIELDS]):
            for part in ("name", "value"):
                if len(f.get(part, "")) > MAX_FIELD_LENGTH:
                    add(
                        f"fields.{i}.{part}",
                        "ERR_TOO_LONG",
                        f"Fields: name and value are at most {MAX_FIELD_LENGTH} characters",
                    )
    if changes.default_visibility is not None and changes.default_visibility not in VISIBILITIES:
        add(
            "default_visibility",
            "ERR_INCLUSION",
            "Default visibility must be public, unlisted, private or direct",
        )
    return details


def update_profile(session: Session, account: Account, changes: ProfileChanges) -> Account:
    """Apply ``changes`` after validating all of them; raise Invalid (with per-field details) and change
    nothing on bad input."""
    details = profile_problems(changes)
    if details:
        # The same sentence may come from several rows of fields: say it once.
        sentences = dict.fromkeys(d[0]["description"] for d in details.values())
        raise Invalid("Validation failed: " + ", ".join(sentences), details=details)
    simple: dict[str, Any] = {
        "display_name": changes.display_name,
        "note": changes.note,
        "website": changes.website,
        "locked": changes.locked,
        "bot": changes.bot,
        "discoverable": changes.discoverable,
    }
    for name, value in simple.items():
        if value is not None:
            setattr(account, name, value.strip() if isinstance(value, str) else value)
    if changes.fields is not None:
        account.fields = [
            {"name": f.get("name", "").strip(), "value": f.get("value", "").strip()}
            for f in changes.fields
            if f.get("name", "").strip() or f.get("value", "").strip()
        ]
    user = session.get(User, account.id)
    if user is not None:
        if changes.default_visibility is not None:
            user.default_visibility = changes.default_visibility
        if changes.default_sensitive is not None:
            user.default_sensitive = changes.default_sensitive
        if changes.default_language is not None:
            user.default_language = changes.default_language[:16]
    session.flush()
    return account


@lru_cache(maxsize=8192)
def note_html(note: str, base_url: str) -> str:
    """A bio as safe HTML (escaped, URLs and hashtags linked). Cached: every status embeds its author,
    so the same few bios are rendered over and over on a timeline."""
    return render_html(note, base_url=base_url, mentions_resolver=_no_mentions) if note else ""


@lru_cache(maxsize=8192)
def field_value_html(value: str, base_url: str) -> str:
    """A profile field's value as inline safe HTML (no paragraph around it)."""
    return note_html(value, base_url).removeprefix("<p>").removesuffix("</p>")


def _no_mentions(_username: str) -> None:
    # Profiles keep mentions as text: resolving them would need the database on every render.
    return None
