"""What every long-running process (each ``serve`` web process, each ``worker``) runs beside its work."""

from __future__ import annotations

from datetime import timedelta

from gazouillis.config import Settings
from gazouillis.jobs import wakeup
from gazouillis.jobs.nodes import NodeLease
from gazouillis.jobs.runner import Runner
from gazouillis.storage import Database


class Background:
    """The id node lease, the job wake-up chosen from the settings, and (``run_jobs``) a job runner.

    Built once the database is: from then on, jobs enqueued through ``db`` wake other processes' runners.
    """

    def __init__(self, db: Database, settings: Settings, *, run_jobs: bool) -> None:
        self.db = db
        self.wakeup = wakeup.attach(db, wakeup.from_settings(db, settings))
        self.nodes = NodeLease(db)
        self.runner = (
            Runner(
                db,
                wakeup=self.wakeup,
                poll_seconds=settings.job_poll_seconds,
                lease=timedelta(seconds=settings.job_lease_seconds),
            )
            if run_jobs
            else None
        )

    def start(self) -> None:
        """Lease an id node and start the runner's thread (a web process)."""
        self.nodes.start()
        if self.runner is not None:
            self.runner.start()

    def run(self) -> None:
        """Lease an id node and run jobs in this thread until :meth:`interrupt` (``gazouillis worker``)."""
        assert self.runner is not None, "only Background(run_jobs=True) runs jobs"
        self.nodes.start()
        try:
            self.runner.run_forever()
        finally:
            self.nodes.stop()
            wakeup.detach(self.db, self.wakeup)

    def interrupt(self) -> None:
        """Have :meth:`run` return after the current job; only sets flags, so safe in a signal handler."""
        if self.runner is not None:
            self.runner.interrupt()

    def stop(self) -> None:
        """Stop what :meth:`start` started and give the id node back."""
        if self.runner is not None:
            self.runner.stop()
        self.nodes.stop()
        wakeup.detach(self.db, self.wakeup)
