"""What each long-running process runs beside its work: an id node lease, the wake-up, a job runner."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import select

from gazouillis import migrate
from gazouillis.config import Settings
from gazouillis.ids import generator, new_id, node_of
from gazouillis.jobs import queue, runner
from gazouillis.jobs.process import Background
from gazouillis.jobs.tables import IdNode
from gazouillis.storage import Database, utcnow


def test_background_leases_a_node_runs_jobs_and_gives_everything_back(
    db: Database, settings: Settings
) -> None:
    background = Background(db, settings.model_copy(update={"job_poll_seconds": 3600}), run_jobs=True)
    background.start()
    try:
        node = generator().node
        assert node is not None and node_of(new_id()) == node
        with db.write() as session:
            queue.enqueue(session, "fanout.post", {"post_id": 1})  # a deleted post: nothing to deliver
        deadline = time.monotonic() + 5
        while queue.pending_count(db) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert queue.pending_count(db) == 0
    finally:
        background.stop()
    assert generator().node is None
    with db.read() as session:
        lease = session.scalar(select(IdNode).where(IdNode.node == node))
    assert lease is not None and lease.expires_at <= utcnow()
    assert db.info.get("jobs.wakeup") is not background.wakeup  # detached: the next start attaches anew


def test_a_job_runner_checkpoints_between_jobs_and_when_idle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'runner.sqlite3'}", checkpoints=False)
    migrate.upgrade(db.url)
    calls: list[float] = []
    monkeypatch.setattr(runner, "CHECKPOINT_SECONDS", 0.05)
    monkeypatch.setattr(db, "checkpoint", lambda: calls.append(time.monotonic()) or (0, 0))
    jobs = runner.Runner(db, poll_seconds=0.02)
    jobs.start()
    try:
        deadline = time.monotonic() + 5
        while len(calls) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        jobs.stop()
        db.dispose()
    assert len(calls) >= 3
