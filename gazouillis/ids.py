"""64-bit, time-ordered ids: milliseconds since the Unix epoch in the high bits, 16 bits below them.

The layout is Mastodon's (``unix_ms << 16 | low``), so clients that turn a date into a ``max_id`` land
where they expect, and keyset pagination is a range scan on the primary key.

A process that holds a node lease (:mod:`gazouillis.jobs.nodes`: every ``serve`` web process and every
``worker``) splits the low 16 bits into its node number (6 bits) and a sequence (10 bits, 1,024 ids per
millisecond), so two processes can never make the same id. Without a lease (tests, one-off commands)
the low bits start at a random offset in each millisecond: unique across processes only with high
probability, as before leases existed.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time

log = logging.getLogger("gazouillis.ids")

_LOW_BITS = 16
_NODE_BITS = 6
_SEQUENCE_BITS = _LOW_BITS - _NODE_BITS
_SEQUENCE_MAX = (1 << _SEQUENCE_BITS) - 1
NODES = 1 << _NODE_BITS


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class IdGenerator:
    """Monotonic within a process; unique across processes while a node is leased."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0
        self._pid = os.getpid()
        self._node: int | None = None
        self._valid_until = 0.0  # time.monotonic() after which the lease may belong to someone else
        self._ms = 0  # leased mode: the millisecond and sequence of the last id
        self._sequence = 0

    @property
    def node(self) -> int | None:
        with self._lock:
            return self._node

    def use_node(self, node: int, *, not_before_ms: int, valid_until: float) -> None:
        """Make ids on ``node`` from now on, none of them in a millisecond before ``not_before_ms`` (the
        previous holder made its last ids before then) and none after ``valid_until`` (monotonic)."""
        if not 0 <= node < NODES:
            raise ValueError(f"node must be in 0..{NODES - 1}")
        with self._lock:
            self._check_fork()
            self._node, self._valid_until = node, valid_until
            # Strictly after every id made so far, leased or not: ids stay increasing in this process.
            self._ms = max(not_before_ms, (self._last >> _LOW_BITS) + 1)
            self._sequence = -1  # the next id in millisecond ``_ms`` takes sequence 0

    def extend(self, node: int, valid_until: float) -> None:
        """The lease on ``node`` was renewed."""
        with self._lock:
            if self._node == node:
                self._valid_until = valid_until

    def drop_node(self) -> None:
        """Stop using the leased node (released, lost or expired): back to random offsets."""
        with self._lock:
            self._node = None

    def next(self) -> int:
        with self._lock:
            self._check_fork()
            if self._node is not None and time.monotonic() >= self._valid_until:
                log.error("id node lease expired without renewal; ids fall back to random offsets")
                self._node = None
            if self._node is None:
                candidate = (_now_ms() << _LOW_BITS) | random.getrandbits(_LOW_BITS - 4)
                self._last = candidate if candidate > self._last else self._last + 1
                return self._last
            now = _now_ms()
            if now > self._ms:
                self._ms, self._sequence = now, 0
            elif self._sequence < _SEQUENCE_MAX:
                self._sequence += 1
            else:
                # 1,024 ids this millisecond: wait for the next. A clock that went backwards is not waited
                # for: the next millisecond is borrowed, which the node keeps unique all the same.
                while now == self._ms:
                    time.sleep(0.0002)
                    now = _now_ms()
                self._ms, self._sequence = self._ms + 1 if now < self._ms else now, 0
            self._last = (self._ms << _LOW_BITS) | (self._node << _SEQUENCE_BITS) | self._sequence
            return self._last

    def _check_fork(self) -> None:
        if self._pid != os.getpid():  # forked: the parent's sequence and lease are not this process's
            self._pid, self._last, self._node = os.getpid(), 0, None


_generator = IdGenerator()


def generator() -> IdGenerator:
    """The process's generator (node leases attach to it)."""
    return _generator


def new_id() -> int:
    """A fresh id, larger than every id this process made before."""
    return _generator.next()


def id_at(unix_ms: int) -> int:
    """The smallest id that can be made at ``unix_ms``; used to turn dates into cursors."""
    return unix_ms << _LOW_BITS


def timestamp_ms(id_: int) -> int:
    return id_ >> _LOW_BITS


def node_of(id_: int) -> int:
    """The node bits of an id made under a lease (meaningless for one made without)."""
    return (id_ >> _SEQUENCE_BITS) & (NODES - 1)
