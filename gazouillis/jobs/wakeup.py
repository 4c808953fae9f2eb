"""Waking job runners in other processes as soon as a transaction that enqueued jobs commits.

One small interface, three mechanisms, chosen from the settings by :func:`from_settings`:

- Redis (``redis_url`` set): PUBLISH on a channel after the commit; runners SUBSCRIBE.
- PostgreSQL: ``NOTIFY gazouillis_jobs`` inside the enqueuing transaction (PostgreSQL delivers it at
  commit, never for a rollback); runners LISTEN on a connection of their own.
- SQLite: runners read ``PRAGMA data_version`` every 20 ms on one connection; it changes when another
  connection commits, and reading it touches no table and takes no lock.

A wake-up only says "look now": runners still look every ``job_poll_seconds`` (retries that become due,
leases that ran out, a notification lost while reconnecting), and a missed wake-up only delays a job.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from gazouillis.storage import Database, after_commit

if TYPE_CHECKING:
    from gazouillis.config import Settings

log = logging.getLogger("gazouillis.jobs")
CHANNEL = "gazouillis_jobs"
SQLITE_POLL_SECONDS = 0.02
# How long a listener waits before reconnecting after an error, and how often it checks for stop.
RETRY_SECONDS = 1.0
TICK_SECONDS = 0.5
_KEY = "jobs.wakeup"

Wake = Callable[[], None]


class Wakeup(Protocol):
    def announce(self, session: Session) -> None:
        """Called in a write transaction that enqueued jobs: have listeners woken once it commits."""
        ...

    def listen(self, wake: Wake) -> Listener:
        """Call ``wake`` from a background thread whenever another process may have enqueued jobs."""
        ...

    def close(self) -> None: ...


class Listener:
    """A background thread running ``loop`` until stopped; ``loop`` reconnects after errors itself."""

    def __init__(self, name: str, loop: Callable[[threading.Event], None]) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=loop, args=(self._stop,), name=name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def _keep_listening(what: str, stop: threading.Event, wake: Wake, attempt: Callable[[], None]) -> None:
    """Run ``attempt`` (connect, then wait for wake-ups until ``stop``) again after each error."""
    while not stop.is_set():
        try:
            attempt()
        except Exception as exc:
            log.warning("job wake-up listener (%s) lost: %s; reconnecting", what, exc)
            stop.wait(RETRY_SECONDS)
        # Connected again, or stopping: something may have been missed in between, so look once.
        wake()


class PostgresWakeup:
    """NOTIFY in the enqueuing transaction; LISTEN on a dedicated psycopg connection."""

    def __init__(self, url: str) -> None:
        # psycopg wants a libpq URL: drop SQLAlchemy's "+psycopg" driver suffix.
        self.conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)

    def announce(self, session: Session) -> None:
        session.execute(text(f"NOTIFY {CHANNEL}"))  # identical notifications of a transaction fold into one

    def listen(self, wake: Wake) -> Listener:
        def loop(stop: threading.Event) -> None:
            def attempt() -> None:
                import psycopg  # imported when used: a SQLite instance never loads it (~9 MB a process)

                with psycopg.connect(self.conninfo, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    wake()
                    while not stop.is_set():
                        for _ in conn.notifies(timeout=TICK_SECONDS):
                            wake()

            _keep_listening("postgresql", stop, wake, attempt)

        return Listener("gazouillis-jobs-listen", loop)

    def close(self) -> None:
        pass


class RedisWakeup:
    """PUBLISH after the enqueuing transaction commits; SUBSCRIBE in runners."""

    def __init__(self, url: str) -> None:
        import redis  # imported when used: an instance without Redis never loads it (~6 MB a process)

        # Named, so an operator can tell these connections apart in CLIENT LIST.
        self.client = redis.Redis.from_url(
            url, socket_timeout=5, socket_connect_timeout=5, client_name="gazouillis-jobs"
        )
        # Pub/sub ignores Redis database numbers: instances sharing a server keep apart by channel name.
        self.channel = f"gazouillis:jobs:{self.client.connection_pool.connection_kwargs.get('db', 0)}"

    def announce(self, session: Session) -> None:
        after_commit(session, self._publish)

    def _publish(self) -> None:
        from redis import RedisError

        try:
            self.client.publish(self.channel, b"")
        except RedisError as exc:  # the job is safe in the database; the periodic look finds it
            log.warning("could not publish a job wake-up: %s", exc)

    def listen(self, wake: Wake) -> Listener:
        def loop(stop: threading.Event) -> None:
            def attempt() -> None:
                pubsub = self.client.pubsub(ignore_subscribe_messages=True)
                try:
                    pubsub.subscribe(self.channel)
                    wake()
                    while not stop.is_set():
                        if pubsub.get_message(timeout=TICK_SECONDS) is not None:
                            wake()
                finally:
                    pubsub.close()

            _keep_listening("redis", stop, wake, attempt)

        return Listener("gazouillis-jobs-subscribe", loop)

    def close(self) -> None:
        self.client.close()


class SqliteWakeup:
    """Nothing to send: a commit by any connection changes the file's ``data_version``."""

    def __init__(self, url: str) -> None:
        self.path = make_url(url).database or ""

    def announce(self, session: Session) -> None:
        pass

    def listen(self, wake: Wake) -> Listener:
        def loop(stop: threading.Event) -> None:
            def attempt() -> None:
                conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
                try:
                    version = None
                    while not stop.wait(SQLITE_POLL_SECONDS):
                        seen = conn.execute("PRAGMA data_version").fetchone()[0]
                        if seen != version:
                            version = seen
                            wake()
                finally:
                    conn.close()

            if self.path in ("", ":memory:"):  # a private database: no other process can enqueue
                return
            _keep_listening("sqlite", stop, wake, attempt)

        return Listener("gazouillis-jobs-poll", loop)

    def close(self) -> None:
        pass


def for_database(db: Database, redis_url: str = "") -> Wakeup:
    """Redis when there is one, else the database's own mechanism."""
    if redis_url:
        return RedisWakeup(redis_url)
    return SqliteWakeup(db.url) if db.is_sqlite else PostgresWakeup(db.url)


def from_settings(db: Database, settings: Settings) -> Wakeup:
    return for_database(db, settings.redis_url)


def attach(db: Database, wakeup: Wakeup) -> Wakeup:
    """Make ``wakeup`` announce the jobs enqueued through ``db``'s sessions (closing the one before)."""
    return db.attach(_KEY, wakeup)


def detach(db: Database, wakeup: Wakeup) -> None:
    """Close ``wakeup`` and, if it is still ``db``'s, let ``db`` fall back to the database's own."""
    if db.info.get(_KEY) is wakeup:
        del db.info[_KEY]
    wakeup.close()


def attached(db: Database) -> Wakeup:
    """The wake-up attached to ``db``, or (none attached yet) the database's own, attached now."""
    found = db.info.get(_KEY)
    return found if found is not None else attach(db, for_database(db))


def announce(session: Session) -> None:
    """Have other processes' runners woken once ``session``'s transaction commits."""
    found = session.info.get(_KEY)
    if found is not None:
        found.announce(session)
    elif session.get_bind().dialect.name == "postgresql":  # nothing attached: the database's own way
        session.execute(text(f"NOTIFY {CHANNEL}"))
