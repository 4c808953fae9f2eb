"""Node leases: each long-running process holds one of the 64 id node numbers, so ids never collide.

A process takes a free node (no row, or a row whose lease has expired) from the ``id_nodes`` table and
renews its lease from a background thread. A holder that dies stops renewing; its node is free again once
the lease has expired. The new holder makes ids only in milliseconds after the old lease's end, and a
holder that could not renew in time stops using its node before the lease ends, so two processes never
make ids on the same node in the same millisecond — even across machines whose clocks disagree.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from gazouillis.ids import NODES, IdGenerator, generator
from gazouillis.jobs.tables import IdNode
from gazouillis.storage import Database, utcnow

log = logging.getLogger("gazouillis.ids")
LEASE = timedelta(minutes=5)
RENEW_EVERY = timedelta(minutes=1)
# A holder whose renewals keep failing stops using its node this fraction of the lease before it ends.
MARGIN = 0.1


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class NodeLease:
    """The lease of one process on one node, attached to an :class:`~gazouillis.ids.IdGenerator`."""

    def __init__(
        self,
        db: Database,
        *,
        ids: IdGenerator | None = None,
        lease: timedelta = LEASE,
        renew_every: timedelta = RENEW_EVERY,
    ) -> None:
        self.db = db
        self.ids = ids or generator()
        self.lease = lease
        self.renew_every = renew_every
        self.holder = f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"
        self.node: int | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def acquire(self) -> int | None:
        """Take a free node and make ids on it; None when all are held (ids then use random offsets)."""
        started = time.monotonic()
        now = utcnow()
        expires = now + self.lease
        with self.db.write() as session:
            held = {n.node: n.expires_at for n in session.scalars(select(IdNode))}
            for node in range(NODES):
                previous = held.get(node)
                if previous is not None and previous > now:
                    continue
                if previous is None:
                    insert = sqlite_insert if self.db.is_sqlite else pg_insert
                    stmt = insert(IdNode).values(node=node, holder=self.holder, expires_at=expires)
                    stmt = stmt.on_conflict_do_nothing(index_elements=["node"])
                else:
                    # Conditional: of two processes racing for an expired node, one updates it.
                    stmt = (
                        update(IdNode)
                        .where(IdNode.node == node, IdNode.expires_at <= now)
                        .values(holder=self.holder, expires_at=expires)
                    )
                # RETURNING, since psycopg reports no row count for an INSERT … ON CONFLICT here.
                if session.scalar(stmt.returning(IdNode.node)) is not None:
                    break
            else:
                log.warning("all %d id nodes are leased; ids use random offsets", NODES)
                return None
        # Past the previous lease's end: whatever ids its holder made, they were before it.
        not_before = _ms(previous) + 1 if previous is not None else 0
        self.ids.use_node(node, not_before_ms=not_before, valid_until=self._valid_until(started))
        self.node = node
        log.info("leased id node %d", node, extra={"node": node, "holder": self.holder})
        return node

    def renew(self) -> bool:
        """Extend the lease; False (and the node dropped) when it was lost to another process."""
        if self.node is None:
            return self.acquire() is not None
        started = time.monotonic()
        with self.db.write() as session:
            kept = session.execute(
                update(IdNode)
                .where(IdNode.node == self.node, IdNode.holder == self.holder)
                .values(expires_at=utcnow() + self.lease)
            )
        if kept.rowcount == 1:  # type: ignore[attr-defined]
            self.ids.extend(self.node, self._valid_until(started))
            return True
        log.error("id node %d was taken over (lease not renewed in time); leasing another", self.node)
        self.ids.drop_node()
        self.node = None
        return self.acquire() is not None

    def release(self) -> None:
        """Give the node back at once (at shutdown); the next holder starts after this moment."""
        if self.node is None:
            return
        self.ids.drop_node()
        with self.db.write() as session:
            session.execute(
                update(IdNode)
                .where(IdNode.node == self.node, IdNode.holder == self.holder)
                .values(expires_at=utcnow())
            )
        self.node = None

    def start(self) -> None:
        """Lease a node now and keep it renewed from a background thread."""
        try:
            self.acquire()
        except Exception:  # the database may be down at start-up: the renewal thread retries
            log.exception("could not lease an id node")
        self._thread = threading.Thread(target=self._renew_forever, name="gazouillis-id-node", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        try:
            self.release()
        except Exception:
            log.exception("could not release id node %s", self.node)

    def _renew_forever(self) -> None:
        while not self._stop.wait(self.renew_every.total_seconds()):
            try:
                self.renew()
            except Exception:  # retried at the next tick; the generator stops using the node in time
                log.exception("could not renew the id node lease")

    def _valid_until(self, started: float) -> float:
        # Measured from before the write, so the local deadline is never later than the stored one.
        return started + self.lease.total_seconds() * (1 - MARGIN)
