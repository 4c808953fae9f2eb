"""The streaming connections of one process, and the task that feeds them from the events bus.

The bus calls :meth:`Hub.notice` on whatever thread published (or received) an event; the hub hands it
to its event loop and returns at once. One dispatch task takes events in order, plans the frames of all
connections in a worker thread (:func:`gazouillis.streaming.render.plan`: one read per event for the whole
process), and puts them in each connection's bounded queue. A connection whose client stops reading
fills its queue and is closed: it never makes the process's memory grow, nor slows the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool

from gazouillis.config import Settings
from gazouillis.events import Event, bus_of
from gazouillis.storage import Database
from gazouillis.streaming.render import Target, needs_database, plan
from gazouillis.streaming.streams import Key

log = logging.getLogger("gazouillis.streaming")
PENDING_EVENTS = 10_000


@dataclass(frozen=True)
class Frame:
    """One event for one subscription: ``stream`` is what the WebSocket frame echoes."""

    stream: tuple[str, ...]
    event: str
    payload: str | None


@dataclass(eq=False)
class Connection:
    """One client: who they are, what they subscribed to, and the frames waiting for them."""

    viewer_id: int | None
    notifications: bool
    queue_size: int
    subscriptions: dict[Key, tuple[str, ...]] = field(default_factory=dict)
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    queue: asyncio.Queue[Frame | str] = field(init=False)
    overflowed: bool = False

    def __post_init__(self) -> None:
        self.queue = asyncio.Queue(maxsize=self.queue_size)

    def push(self, item: Frame | str) -> None:
        """Queue a frame (or a raw text message); a full queue means a client that stopped reading."""
        if self.closed.is_set():
            return
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            self.overflowed = True
            self.closed.set()

    def close(self) -> None:
        self.closed.set()

    async def next(self, timeout: float | None = None) -> Frame | str | None:
        """The next item to send; ``""`` when ``timeout`` passes first; None once the connection closed."""
        if self.closed.is_set():
            return None
        getter = asyncio.ensure_future(self.queue.get())
        closer = asyncio.ensure_future(self.closed.wait())
        try:
            done, _ = await asyncio.wait(
                {getter, closer}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            closer.cancel()
            if not getter.done():
                getter.cancel()
        if getter in done:
            return getter.result()
        return None if closer in done or self.closed.is_set() else ""


class Hub:
    """The process's connections and the dispatch task."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self.connections: set[Connection] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._events: asyncio.Queue[Event] | None = None
        self._task: asyncio.Task[None] | None = None
        self._unsubscribe: Any = None

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._events = asyncio.Queue(maxsize=PENDING_EVENTS)
        self._task = asyncio.create_task(self._dispatch())
        bus = bus_of(self.db)
        if bus is not None:
            self._unsubscribe = bus.subscribe(self.notice)

    async def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        for conn in list(self.connections):
            conn.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def connect(self, viewer_id: int | None, *, notifications: bool) -> Connection:
        conn = Connection(viewer_id, notifications, self.settings.streaming_queue_size)
        self.connections.add(conn)
        return conn

    def disconnect(self, conn: Connection) -> None:
        conn.close()
        self.connections.discard(conn)

    def notice(self, event: Event) -> None:
        """The bus listener: any thread; never blocks."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop is shutting down
            loop.call_soon_threadsafe(self._enqueue, event)

    def _enqueue(self, event: Event) -> None:
        if not self.connections or self._events is None:
            return
        try:
            self._events.put_nowait(event)
        except asyncio.QueueFull:
            log.warning("streaming falls behind: %s event dropped", event.name)

    async def _dispatch(self) -> None:
        assert self._events is not None
        while True:
            event = await self._events.get()
            try:
                await self.dispatch(event)
            except Exception:  # one bad event must not stop the streams
                log.exception("streaming could not dispatch %s", event.name)

    async def dispatch(self, event: Event) -> None:
        """Plan ``event``'s frames for every live connection and queue them."""
        subscriptions: dict[int, tuple[Connection, tuple[str, ...]]] = {}
        targets: list[Target] = []
        counter = itertools.count()
        for conn in list(self.connections):
            if conn.closed.is_set():
                continue
            for (name, param), stream in list(conn.subscriptions.items()):
                ref = next(counter)
                subscriptions[ref] = (conn, stream)
                targets.append(Target(ref, name, param, conn.viewer_id, conn.notifications))
        if not targets:
            return
        if needs_database(event, targets):
            out = await run_in_threadpool(self._plan, event, targets)
        else:
            out = plan(None, self.settings, event, targets)  # type: ignore[arg-type]
        for ref, name, payload in out:
            conn, stream = subscriptions[ref]
            conn.push(Frame(stream, name, payload))

    def _plan(self, event: Event, targets: list[Target]) -> list[Any]:
        with self.db.read() as session:
            return plan(session, self.settings, event, targets)
