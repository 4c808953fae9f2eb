"""Token checks remembered while the change log shows no write to the token's row or its login's.

Every API request starts with its token's check, a query. Where a page cache reads the change log
anyway (:mod:`gazouillis.changes.pages`), a token checked lately is known valid until the log brings a
change to its row (revoked, deleted: directly or with its application or account) or to its user's
(disabled, approval withdrawn), or until it expires: then a kept page is served without any query of
the token (gazouillis.api.http, on the event loop).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cachetools import LRUCache

from gazouillis.changes.pages import PageCache, Ticket
from gazouillis.storage import utcnow

if TYPE_CHECKING:  # the service imports this module
    from gazouillis.oauth.service import TokenInfo

_KEY = "tokens"
# Tokens remembered per process (~0.65 KB each: 6.5 MB in all); beyond it the least recently used are
# checked again.
SIZE = 10_000


@dataclass(frozen=True, slots=True)
class Remembered:
    info: TokenInfo
    expires_at: datetime | None
    ticket: Ticket


class TokenMemo:
    """The valid token checks of one process, by the token's digest; thread-safe."""

    def __init__(self, pages: PageCache, *, size: int = SIZE) -> None:
        self.pages = pages
        self._kept: LRUCache[str, Remembered] = LRUCache(size)
        self._lock = threading.Lock()

    def ticket(self) -> Ticket:
        """The ticket of a check about to be read from the database."""
        return self.pages.ticket()

    def keep(self, digest: str, info: TokenInfo, expires_at: datetime | None, ticket: Ticket) -> None:
        with self._lock:
            self._kept[digest] = Remembered(info, expires_at, ticket)

    def known(self, digest: str) -> TokenInfo | None:
        """The check of the token ``digest`` if it still holds as of the log read last, else None (the
        caller queries it)."""
        with self._lock:
            kept = self._kept.get(digest)
        if kept is None:
            return None
        info = kept.info
        if kept.expires_at is not None and kept.expires_at < utcnow():
            return None
        refs = (
            ("tokens", (info.token_id,)),
            ("logins", () if info.account_id is None else (info.account_id,)),
        )
        if not self.pages.current(kept.ticket, refs):
            with self._lock:
                self._kept.pop(digest, None)
            return None
        return info

    def close(self) -> None:
        with self._lock:
            self._kept.clear()


def attach(db: Any, memo: TokenMemo | None) -> TokenMemo | None:
    """Make ``memo`` remember the token checks made on ``db`` (None: none remembered)."""
    return db.attach(_KEY, memo)


def memo_of(info: dict[str, Any]) -> TokenMemo | None:
    return info.get(_KEY)
