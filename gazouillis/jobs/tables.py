"""Durable jobs (a row per piece of background work, claimed by one runner at a time) and id node leases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gazouillis.storage import Base, utcnow


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_run_at", "run_at"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    run_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    # Set while a runner holds the job; a lease that runs out (the runner died) frees it again.
    locked_by: Mapped[str | None] = mapped_column(String(100), default=None)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    # Set once the job has failed too often; kept for an operator to look at.
    dead: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IdNode(Base):
    """A node number of :mod:`gazouillis.ids` leased by one process, so no two processes make the same id."""

    __tablename__ = "id_nodes"

    node: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    # Who holds it (host:pid:random), and until when: a holder that died frees it once this has passed.
    holder: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime]
