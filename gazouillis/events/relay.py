"""Events across processes: Redis pub/sub when there is a Redis, else PostgreSQL LISTEN/NOTIFY.

A relay bus delivers an event to this process's listeners at once (on the publishing thread, as
:class:`~gazouillis.events.LocalBus` does), and hands it to a sender thread that forwards it to the other
processes; a receiver thread delivers theirs. Each message names the process it came from, so a process
never delivers its own events twice. Nothing here blocks a request: publishing only puts the event in a
bounded outbox (dropped, with a warning, when the broker is gone for long enough to fill it), and both
threads reconnect by themselves after the broker restarts. Events are live hints, not records: one lost
while reconnecting is one live update a client misses (its next timeline read has the post).

SQLite without Redis: one box, and the embedded worker runs jobs inside the web process, so the local
bus is enough. A separate ``gazouillis worker`` on SQLite without Redis cannot reach the web processes:
what its jobs emit (notifications created by jobs…) is not streamed live; set ``redis_url`` for that.
"""

from __future__ import annotations

import logging
import queue
import threading
import uuid
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy.engine import make_url

from gazouillis.events import Event, LocalBus, attach_bus

if TYPE_CHECKING:
    import psycopg

    from gazouillis.config import Settings
    from gazouillis.storage import Database

log = logging.getLogger("gazouillis.events")
PG_CHANNEL = "gazouillis_events"
OUTBOX_SIZE = 10_000
RETRY_SECONDS = 1.0
TICK_SECONDS = 0.5


class RelayBus(LocalBus):
    """The local bus plus a sender and a receiver thread; subclasses say how to send and receive."""

    kind = "relay"

    def __init__(self) -> None:
        super().__init__()
        self.origin = uuid.uuid4().hex
        self._outbox: queue.Queue[bytes] = queue.Queue(maxsize=OUTBOX_SIZE)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Start forwarding and receiving (each process, once its database is ready)."""
        if self._threads:
            return
        for name, loop in (("send", self._send_loop), ("receive", self._receive_loop)):
            thread = threading.Thread(target=loop, name=f"gazouillis-events-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def publish(self, event: Event) -> None:
        self.deliver(event)
        message = orjson.dumps({"o": self.origin, "n": event.name, "d": event.data})
        try:
            self._outbox.put_nowait(message)
        except queue.Full:
            log.warning("events outbox full (broker away?): %s not sent to other processes", event.name)

    def received(self, message: bytes | str) -> None:
        """A message from the broker: delivered here unless this process sent it."""
        try:
            decoded = orjson.loads(message)
            if decoded.get("o") == self.origin:
                return
            event = Event(str(decoded["n"]), dict(decoded.get("d") or {}))
        except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError):
            log.warning("ignoring a malformed events message")
            return
        self.deliver(event)

    def close(self) -> None:
        # The threads notice within TICK_SECONDS and exit on their own (daemons): nobody waits for them.
        self._stop.set()
        self._threads = []
        super().close()

    def _send_loop(self) -> None:
        while not self._stop.is_set():
            try:
                message = self._outbox.get(timeout=TICK_SECONDS)
            except queue.Empty:
                continue
            try:
                self.send(message)
            except Exception as exc:  # the broker is away: this event is lost, the next ones wait a bit
                log.warning("could not forward an event (%s); retrying with the next ones", exc)
                self.reset()
                self._stop.wait(RETRY_SECONDS)

    def _receive_loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.receive(self._stop)
            except Exception as exc:
                log.warning("events receiver (%s) lost: %s; reconnecting", self.kind, exc)
                self._stop.wait(RETRY_SECONDS)

    # What a subclass provides.
    def send(self, message: bytes) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        """Forget the sending connection after an error (the next send opens a new one)."""

    def receive(self, stop: threading.Event) -> None:
        """Connect, then call :meth:`received` for each message until ``stop`` is set."""
        raise NotImplementedError


class RedisBus(RelayBus):
    """PUBLISH on one channel per Redis database; SUBSCRIBE in every process."""

    kind = "redis"

    def __init__(self, url: str) -> None:
        super().__init__()
        # Named per process, so an operator (or a test) can tell these connections apart in CLIENT LIST.
        self.client_name = f"gazouillis-events-{self.origin[:12]}"
        import redis  # imported when used: an instance without Redis never loads it (~6 MB a process)

        self.client = redis.Redis.from_url(
            url, socket_timeout=5, socket_connect_timeout=5, client_name=self.client_name
        )
        # Pub/sub ignores Redis database numbers: instances sharing a server keep apart by channel name.
        self.channel = f"gazouillis:events:{self.client.connection_pool.connection_kwargs.get('db', 0)}"

    def send(self, message: bytes) -> None:
        self.client.publish(self.channel, message)

    def receive(self, stop: threading.Event) -> None:
        pubsub = self.client.pubsub(ignore_subscribe_messages=True)
        try:
            pubsub.subscribe(self.channel)
            while not stop.is_set():
                found = pubsub.get_message(timeout=TICK_SECONDS)
                if found is not None and found.get("type") == "message":
                    self.received(found["data"])
        finally:
            pubsub.close()

    def close(self) -> None:
        super().close()
        self.client.close()


class PostgresBus(RelayBus):
    """``pg_notify`` from a connection of its own; LISTEN on another (PostgreSQL without Redis)."""

    kind = "postgresql"

    def __init__(self, url: str) -> None:
        super().__init__()
        # psycopg wants a libpq URL: drop SQLAlchemy's "+psycopg" driver suffix.
        self.conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self._conn: psycopg.Connection[Any] | None = None

    def send(self, message: bytes) -> None:
        import psycopg  # imported when used: a SQLite instance never loads it (~9 MB a process)

        if self._conn is None or self._conn.closed:
            self._conn = psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5)
        self._conn.execute("SELECT pg_notify(%s, %s)", (PG_CHANNEL, message.decode()))

    def reset(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    def receive(self, stop: threading.Event) -> None:
        import psycopg

        with psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"LISTEN {PG_CHANNEL}")
            while not stop.is_set():
                for note in conn.notifies(timeout=TICK_SECONDS):
                    self.received(note.payload)

    def close(self) -> None:
        super().close()
        self.reset()


def bus_for(db: Database, redis_url: str = "") -> LocalBus:
    """Redis when there is one; PostgreSQL's own LISTEN/NOTIFY; on SQLite, this process only."""
    if redis_url:
        return RedisBus(redis_url)
    if not db.is_sqlite:
        return PostgresBus(db.url)
    return LocalBus()


def attach_from_settings(db: Database, settings: Settings) -> LocalBus:
    """Choose the bus from the settings and make it ``db``'s (call its ``start`` once running)."""
    bus = bus_for(db, settings.redis_url)
    attach_bus(db, bus)
    return bus
