"""Read markers: where the reader stopped in home and notifications."""

from __future__ import annotations

from typing import Any

from gazouillis.api.entities.common import timestamp
from gazouillis.api.entities.notifications import marker_entity
from gazouillis.api.http import Ctx
from gazouillis.errors import Invalid
from gazouillis.notifications import markers
from gazouillis.storage import utcnow


def get(ctx: Ctx) -> dict[str, Any]:
    """``timeline[]`` (or a scalar ``timeline``): the markers that exist among those asked for.

    A ``notifications`` marker asked for and never saved comes back as ``"0"``, version 0: Elk reads it
    without checking it is there (spec §3.12), and "nothing read yet" is what it means.
    """
    wanted = [str(t) for t in ctx.params.list("timeline")]
    with ctx.db.read() as session:
        found = markers.get_markers(session, viewer_id=ctx.user_id, timelines=wanted)
    body = {name: marker_entity(m) for name, m in found.items()}
    if "notifications" in wanted and "notifications" not in body:
        body["notifications"] = {"last_read_id": "0", "version": 0, "updated_at": timestamp(utcnow())}
    return body


def save(ctx: Ctx) -> dict[str, Any]:
    """Form ``home[last_read_id]=…`` or JSON ``{"home": {"last_read_id": "…"}}``."""
    positions: dict[str, int] = {}
    for name in markers.TIMELINES:
        value = ctx.params.dict(name).get("last_read_id")
        if value is None:
            continue
        text = str(value).strip()
        if not text.isdigit() or len(text) > 19:
            raise Invalid("Validation failed: Last read id is not a valid id")
        positions[name] = int(text)
    if not positions:
        raise Invalid("Validation failed: Timeline must be home or notifications")
    with ctx.db.write() as session:
        saved = markers.save_markers(session, viewer_id=ctx.user_id, positions=positions)
        return {name: marker_entity(m) for name, m in saved.items()}
