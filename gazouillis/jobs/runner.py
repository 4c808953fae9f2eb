"""A job runner loop: a thread inside a web process, or the main loop of `gazouillis worker`."""

from __future__ import annotations

import logging
import threading

from gazouillis.jobs.queue import claim, on_enqueue, run_job, runner_name
from gazouillis.storage import Database

log = logging.getLogger("gazouillis.jobs")
# How long an idle runner sleeps before looking again (jobs from other processes, retries, leases).
POLL_SECONDS = 1.0


class Runner:
    """Claims and runs jobs until stopped; woken at once when this process enqueues work."""

    def __init__(self, db: Database, *, name: str | None = None) -> None:
        self.db = db
        self.name = name or runner_name()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        on_enqueue(self._wake.set)

    def run_forever(self) -> None:
        log.info("job runner started", extra={"runner": self.name})
        while not self._stop.is_set():
            try:
                jobs = claim(self.db, name=self.name)
            except Exception:
                log.exception("could not claim jobs")
                jobs = []
            for job in jobs:
                if self._stop.is_set():
                    break
                run_job(self.db, job, name=self.name)
            if not jobs:
                self._wake.wait(POLL_SECONDS)
                self._wake.clear()

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run_forever, name="gazouillis-jobs", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
