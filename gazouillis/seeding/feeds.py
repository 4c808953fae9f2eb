"""Home feeds of the benchmark readers, for feed stores that cannot rebuild a missing feed yet.

Bench data never fills home feeds: a million feeds of hundreds of entries would dwarf everything else,
and a feed store that rebuilds a missing feed on first read does not need them. Where the feed store does
not (``seed bench`` tries one reader's home timeline), the readers the driver uses get the feed fan-out
on write would have given them, computed here with the same rules: one's own posts; followed accounts'
posts; a reply to someone else only when the reader follows that person too; a repost only when the
original (or another repost of it) is not already there.
"""

from __future__ import annotations

import heapq
import itertools
from array import array
from collections.abc import Iterator

from gazouillis.seeding.world import NONE, World

# Entries kept per reader: a few pages of timeline, enough for every read the driver makes.
PRIMED_LENGTH = 200


def posts_by_author(world: World) -> tuple[array[int], array[int]]:
    """Compressed rows of each author's posts, oldest first: ``posts[offsets[a]:offsets[a + 1]]``."""
    counts = array("q", bytes(8 * (world.n + 1)))
    for a in world.author:
        counts[a + 1] += 1
    for a in range(world.n):
        counts[a + 1] += counts[a]
    fill = array("q", counts)
    posts = array("i", bytes(4 * world.post_count))
    for p, a in enumerate(world.author):
        posts[fill[a]] = p
        fill[a] += 1
    return counts, posts


def reader_feed(world: World, reader: int, index: tuple[array[int], array[int]]) -> list[int]:
    """Positions of the posts in ``reader``'s home feed, oldest first, at most ``PRIMED_LENGTH``."""
    offsets, posts = index
    followed = set(world.following(reader))
    sources = [*followed, reader]
    newest_first = heapq.merge(
        *(reversed(posts[offsets[a] : offsets[a + 1]]) for a in sources), key=lambda p: -p
    )
    # Rules can drop candidates, so look a little further back than the feed keeps.
    candidates = sorted(itertools.islice(newest_first, 3 * PRIMED_LENGTH))
    seen: set[int] = set()
    feed: list[int] = []
    for p in candidates:
        author = world.author[p]
        if author != reader and not _reaches(world, p, reader, followed, seen):
            continue
        feed.append(p)
        seen.add(world.reblog_of[p] if world.reblog_of[p] != NONE else p)
    return feed[-PRIMED_LENGTH:]


def _reaches(world: World, p: int, reader: int, followed: set[int], seen: set[int]) -> bool:
    original = world.reblog_of[p]
    if original != NONE:
        if original in seen:
            return False
        # The original reached this feed when it was posted if its author is the reader or followed.
        o_author = world.author[original]
        return not (
            (o_author == reader or o_author in followed) and _reply_reaches(world, original, reader, followed)
        )
    return _reply_reaches(world, p, reader, followed)


def _reply_reaches(world: World, p: int, reader: int, followed: set[int]) -> bool:
    parent = world.parent[p]
    if parent == NONE:
        return True
    other = world.author[parent]
    return other == world.author[p] or other == reader or other in followed


def primed_rows(
    world: World, readers: list[int], post_ids: array[int], account_ids: array[int]
) -> Iterator[tuple[int, int, int, int | None]]:
    """``feed_entries`` rows (account_id, post_id, author_id, reblog_of_id) for ``readers``."""
    index = posts_by_author(world)
    for reader in readers:
        for p in reader_feed(world, reader, index):
            original = world.reblog_of[p]
            yield (
                account_ids[reader],
                post_ids[p],
                account_ids[world.author[p]],
                post_ids[original] if original != NONE else None,
            )
