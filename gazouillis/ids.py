"""64-bit, time-ordered ids: milliseconds since the Unix epoch in the high bits, a sequence in the low 16.

The layout is Mastodon's (``unix_ms << 16 | sequence``), so clients that turn a date into a ``max_id``
land where they expect, and keyset pagination is a range scan on the primary key.
"""

from __future__ import annotations

import os
import random
import threading
import time

_SEQUENCE_BITS = 16
_SEQUENCE_MASK = (1 << _SEQUENCE_BITS) - 1


class IdGenerator:
    """Monotonic within a process; processes start their sequence at random offsets."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0
        self._pid = os.getpid()

    def next(self) -> int:
        with self._lock:
            if self._pid != os.getpid():  # forked: do not share the parent's sequence
                self._pid, self._last = os.getpid(), 0
            candidate = (int(time.time() * 1000) << _SEQUENCE_BITS) | random.getrandbits(_SEQUENCE_BITS - 4)
            self._last = candidate if candidate > self._last else self._last + 1
            return self._last


_generator = IdGenerator()


def new_id() -> int:
    """A fresh id, larger than every id this process made before."""
    return _generator.next()


def id_at(unix_ms: int) -> int:
    """The smallest id that can be made at ``unix_ms``; used to turn dates into cursors."""
    return unix_ms << _SEQUENCE_BITS


def timestamp_ms(id_: int) -> int:
    return id_ >> _SEQUENCE_BITS
