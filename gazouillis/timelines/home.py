"""The home timeline read path: the reader's feed, merged with the big accounts they follow, checked.

1. The feed store gives a window of the reader's feed; a missing feed (new reader, expired in Redis) is
   rebuilt from the database first and this read is served from what was rebuilt.
2. The recent posts of the followed accounts at or above the fan-out threshold (never fanned out) are
   read for the same window, from the database, and merged in (one post once).
3. The window is checked against the rules (:func:`rules.vet`: still followed, one entry per reposted
   post) and hydrated; when entries drop out (deleted posts…), the next window tops the page up, so a
   page holds ``limit`` posts whenever the timeline has that many.
4. Posts by members of the reader's exclusive lists are left out (Mastodon 4.2): a read-time filter
   (the members come with the reader's blocks and mutes, in the same query), so adding an account to
   an exclusive list or taking it out changes the home timeline at once, with nothing to rewrite.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from gazouillis.graph.hiding import Screen
from gazouillis.pagination import Page
from gazouillis.posts.views import PostView, load_views
from gazouillis.timelines.feeds import Entry, FeedPage, FeedStore, feeds_of, rules

# A page reads at most this many windows: a long run of entries that drop out ends a page early rather
# than reading the whole feed (the client's next page continues from the last post shown).
MAX_WINDOWS = 8


def home_timeline(session: Session, *, viewer_id: int, page: Page) -> list[PostView]:
    """The viewer's home timeline: their own posts and those of the accounts they follow, newest first."""
    return home_timeline_merging(session, viewer_id=viewer_id, page=page)[0]


def home_timeline_merging(
    session: Session, *, viewer_id: int, page: Page
) -> tuple[list[PostView], frozenset[int]]:
    """:func:`home_timeline`, and the big accounts whose posts were merged into it at read time (their
    new posts change it without reaching the reader's feed)."""
    store = feeds_of(session)
    ascending = page.min_id is not None  # a min_id page is read oldest first, then turned round
    # Windows of at least 20: a small page that loses a few entries is usually topped up in one window.
    cursor = replace(page, limit=max(page.limit, 20))
    rebuilt: list[Entry] | None = None
    window = store.page(session, viewer_id, cursor)
    if window is None:
        rebuilt = store.rebuild(session, viewer_id)
    # Blocks, mutes, exclusive lists, the big accounts followed and keyword filters (one query): loaded
    # once, applied to every window.
    screen = Screen(session, viewer_id, "home", big_threshold=store.policy.threshold)
    big = sorted(screen.hidden.followed_big)
    excluded = screen.hidden.exclusive - {viewer_id}
    shown: list[PostView] = []
    for _ in range(MAX_WINDOWS):
        if rebuilt is not None:
            window = _in_memory(rebuilt, cursor, store)
        elif window is None:
            window = store.page(session, viewer_id, cursor) or FeedPage([])
        merged = rules.merged_entries(session, viewer_id, big, cursor, window.horizon)
        taken, exhausted = _combine(window.entries, merged, cursor.limit, ascending)
        if not taken:
            break
        kept, rows = rules.vet(session, viewer_id, taken)
        views = load_views(session, [e.post_id for e in kept], viewer_id, known=rows)
        shown.extend(screen(v for v in views if v.post.account_id not in excluded))
        if exhausted or len(shown) >= page.limit:
            break
        edge = taken[-1].post_id
        cursor = replace(cursor, min_id=edge) if ascending else replace(cursor, max_id=edge)
        window = None
    shown = shown[: page.limit]
    return (list(reversed(shown)) if ascending else shown), frozenset(big)


def _combine(feed: list[Entry], merged: list[Entry], size: int, ascending: bool) -> tuple[list[Entry], bool]:
    """The first ``size`` entries of both windows in reading order (oldest first for ``min_id``), each
    post once; and whether that is all there is in this direction."""
    union = {e.post_id: e for e in (*feed, *merged)}
    ordered = sorted(union.values(), key=lambda e: e.post_id, reverse=not ascending)
    full = len(feed) >= size or len(merged) >= size
    return ordered[:size], not full and len(ordered) <= size


def _in_memory(entries: list[Entry], page: Page, store: FeedStore) -> FeedPage:
    """A window of a just-rebuilt feed (the read transaction may not see what the rebuild wrote)."""
    chosen = [
        e
        for e in entries
        if (page.max_id is None or e.post_id < page.max_id)
        and (page.since_id is None or e.post_id > page.since_id)
        and (page.min_id is None or e.post_id > page.min_id)
    ]
    chosen = chosen[-page.limit :] if page.min_id is not None else chosen[: page.limit]
    horizon = entries[-1].post_id if len(entries) >= store.policy.cap else None
    return FeedPage(chosen, horizon)
