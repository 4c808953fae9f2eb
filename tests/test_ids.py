"""Time-ordered 64-bit ids."""

from __future__ import annotations

import time

from gazouillis.ids import id_at, new_id, timestamp_ms


def test_ids_increase_and_carry_the_time() -> None:
    before = int(time.time() * 1000)
    ids = [new_id() for _ in range(10_000)]
    after = int(time.time() * 1000)
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert before <= timestamp_ms(ids[0]) <= timestamp_ms(ids[-1]) <= after + 1
    assert all(0 < i < 2**63 for i in ids)
    # Mastodon.py turns a date into ``(seconds << 16) * 1000``; the same layout puts it in the right place.
    assert id_at(before) <= ids[0]
