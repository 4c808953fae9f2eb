"""A job runner loop: a thread inside a web process, or the main loop of `gazouillis worker`."""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from gazouillis.changes.log import prune
from gazouillis.jobs import wakeup as wakeups
from gazouillis.jobs.queue import LEASE, claim, has_due, off_enqueue, on_enqueue, run_job, runner_name
from gazouillis.jobs.tables import Job
from gazouillis.storage import Database

log = logging.getLogger("gazouillis.jobs")
# How long an idle runner waits before looking again without being woken: retries that became due and
# leases that ran out wake nobody (the job_poll_seconds setting).
POLL_SECONDS = 1.0
# How often, at most, a runner copies SQLite's write-ahead log back into the database between jobs, or
# when it wakes up idle (every job_poll_seconds): web processes serving requests leave it to runners
# (Database's checkpoints).
CHECKPOINT_SECONDS = 1.0
# How often, at most, a runner deletes the change log's old rows (gazouillis.changes).
PRUNE_SECONDS = 60.0


class Runner:
    """Claims and runs jobs until stopped; woken at once when this process or another enqueues work."""

    def __init__(
        self,
        db: Database,
        *,
        name: str | None = None,
        wakeup: wakeups.Wakeup | None = None,
        poll_seconds: float = POLL_SECONDS,
        lease: timedelta = LEASE,
    ) -> None:
        self.db = db
        self.name = name or runner_name()
        self.wakeup = wakeup or wakeups.attached(db)
        self.poll_seconds = poll_seconds
        self.lease = lease
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_forever(self) -> None:
        log.info("job runner started", extra={"runner": self.name})
        on_enqueue(self._wake.set)
        listener = self.wakeup.listen(self._wake.set)
        checkpointed = pruned = time.monotonic()
        try:
            while not self._stop.is_set():
                jobs = self._claim()
                for job in jobs:
                    if self._stop.is_set():
                        break
                    run_job(self.db, job, name=self.name)
                if time.monotonic() - checkpointed >= CHECKPOINT_SECONDS:
                    self._checkpoint()
                    checkpointed = time.monotonic()
                if time.monotonic() - pruned >= PRUNE_SECONDS:
                    self._prune()
                    pruned = time.monotonic()
                if not jobs:
                    self._wake.wait(self.poll_seconds)
                    self._wake.clear()
        finally:
            listener.stop()
            off_enqueue(self._wake.set)

    def _claim(self) -> list[Job]:
        try:
            # On SQLite every commit anywhere wakes the runner: look with a read before taking the lock.
            if self.db.is_sqlite and not has_due(self.db):
                return []
            return claim(self.db, name=self.name, lease=self.lease)
        except Exception:
            log.exception("could not claim jobs")
            return []

    def _checkpoint(self) -> None:
        try:
            self.db.checkpoint()
        except Exception:
            log.exception("could not checkpoint the database")

    def _prune(self) -> None:
        try:
            with self.db.write() as session:
                prune(session)
        except Exception:
            log.exception("could not prune the change log")

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run_forever, name="gazouillis-jobs", daemon=True)
        self._thread.start()

    def interrupt(self) -> None:
        """Stop after the current job; only sets flags, so safe in a signal handler."""
        self._stop.set()
        self._wake.set()

    def stop(self) -> None:
        self.interrupt()
        if self._thread is not None:
            self._thread.join(timeout=10)
