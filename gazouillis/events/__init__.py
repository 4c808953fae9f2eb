"""The events bus: what happened (a new post, a deletion, a notification…), published once after commit.

Domain code calls :func:`emit` inside its write transaction; the event goes out only if that transaction
commits. Events carry ids, never rendered data: each subscriber (a streaming connection, a live page)
renders them for its own viewer, with that viewer's visibility, blocks, mutes and filters.

The bus is attached to the :class:`~gazouillis.storage.Database` at start-up like the feed store; with
no bus attached (command line, migrations) nobody is listening and :func:`emit` does nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from gazouillis.storage import after_commit

log = logging.getLogger("gazouillis.events")
_KEY = "events"

# The names Mastodon's streaming API uses, and what ``data`` holds for each:
#   update          post_id, account_id (author)
#   status.update   post_id, account_id (an edit)
#   delete          post_id, account_id, visibility
#   notification    account_id (who is notified), notification_id
#   conversation    account_id (the participant), conversation_id (an AccountConversation id)
#   filters_changed account_id (whose filters changed)
NAMES = ("update", "status.update", "delete", "notification", "conversation", "filters_changed")


@dataclass(frozen=True)
class Event:
    name: str
    data: dict[str, Any] = field(default_factory=dict)


Listener = Callable[[Event], None]


class LocalBus:
    """Delivers events to the listeners of this process. Listeners run on the publishing thread and must
    not block (a streaming connection hands the event to its event loop and returns)."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every event from now on; returns the function that stops it."""
        with self._lock:
            self._listeners = [*self._listeners, listener]

        def unsubscribe() -> None:
            with self._lock:
                self._listeners = [x for x in self._listeners if x is not listener]

        return unsubscribe

    def start(self) -> None:
        """Nothing to start: this bus has no thread (the relay buses of ``events.relay`` do)."""

    def publish(self, event: Event) -> None:
        self.deliver(event)

    def deliver(self, event: Event) -> None:
        for listener in self._listeners:
            try:
                listener(event)
            except Exception:  # one broken listener must not deprive the others
                log.exception("events listener failed on %s", event.name)

    def close(self) -> None:
        with self._lock:
            self._listeners = []


def attach_bus(db: Any, bus: Any) -> Any:
    """Make ``bus`` the events bus of every session of ``db``."""
    return db.attach(_KEY, bus)


def bus_of(db_or_session: Any) -> Any | None:
    """The bus attached to a database or to the database of a session, if any."""
    return db_or_session.info.get(_KEY)


def emit(session: Session, name: str, **data: Any) -> None:
    """Publish ``name`` with ``data`` once the session's transaction commits."""
    bus = bus_of(session)
    if bus is None:
        return
    event = Event(name, data)
    after_commit(session, lambda: bus.publish(event))
