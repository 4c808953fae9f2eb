"""Read markers: how far a reader got in their home timeline and in their notifications.

Several clients of one reader save markers; each save bumps ``version``, and a save that raced another
one (both read version n, both write n + 1) fails with :class:`~gazouillis.errors.Conflict`, as
Mastodon answers 409 for a stale write: the client reads again and retries.
"""

from __future__ import annotations

from contextlib import suppress

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gazouillis.errors import Conflict, Invalid
from gazouillis.notifications.tables import Marker
from gazouillis.storage import utcnow

TIMELINES = ("home", "notifications")
CONFLICT = "Conflict during update, please try again"


def get_markers(session: Session, *, viewer_id: int, timelines: list[str]) -> dict[str, Marker]:
    """The viewer's markers among ``timelines`` (unknown names ignored), only those that exist."""
    wanted = [t for t in TIMELINES if t in timelines]
    if not wanted:
        return {}
    rows = session.scalars(select(Marker).where(Marker.account_id == viewer_id, Marker.timeline.in_(wanted)))
    return {m.timeline: m for m in rows}


def last_read(session: Session, viewer_id: int, timeline: str) -> int:
    found = session.scalar(
        select(Marker.last_read_id).where(Marker.account_id == viewer_id, Marker.timeline == timeline)
    )
    return found or 0


def save_markers(session: Session, *, viewer_id: int, positions: dict[str, int]) -> dict[str, Marker]:
    """Save the viewer's position in each timeline named (``home``, ``notifications``)."""
    unknown = [t for t in positions if t not in TIMELINES]
    if unknown or not positions:
        raise Invalid("Validation failed: Timeline must be home or notifications")
    saved = {}
    for timeline, last_read_id in positions.items():
        if not 0 <= last_read_id < 2**63:
            raise Invalid("Validation failed: Last read id is not a valid id")
        current = session.scalar(
            select(Marker).where(Marker.account_id == viewer_id, Marker.timeline == timeline)
        )
        if current is None:
            try:
                with session.begin_nested():
                    marker = Marker(
                        account_id=viewer_id, timeline=timeline, last_read_id=last_read_id, version=1
                    )
                    session.add(marker)
            except IntegrityError as exc:  # another client created it at the same moment
                raise Conflict(CONFLICT) from exc
            saved[timeline] = marker
            continue
        version = current.version
        done = session.execute(
            update(Marker)
            .where(Marker.account_id == viewer_id, Marker.timeline == timeline, Marker.version == version)
            .values(last_read_id=last_read_id, version=version + 1, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(CONFLICT)
        session.refresh(current)
        saved[timeline] = current
    return saved


def move_notifications_marker(session: Session, *, viewer_id: int, newest_id: int) -> None:
    """A reader looked at their notifications up to ``newest_id``: the marker moves forward, never back."""
    if newest_id > last_read(session, viewer_id, "notifications"):
        # Another client moving it at the same moment wins: theirs stands.
        with suppress(Conflict):
            save_markers(session, viewer_id=viewer_id, positions={"notifications": newest_id})
