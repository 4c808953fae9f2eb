"""Keyword filters at read time: a viewer's active filters, loaded in one query and compiled once per
request, matched against the posts about to be shown.

Matching is case- and accent-insensitive ("Cafe" matches "café"): text and keywords are both
decomposed (NFKD), stripped of combining marks and case-folded. A whole-word keyword matches only
between Unicode word boundaries (a keyword starting or ending with a non-word character, e.g. "#tag",
is not bounded on that side, as on Mastodon); otherwise it matches anywhere, inside words too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Select,
    String,
    bindparam,
    cast,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from gazouillis.filters.tables import Filter, FilterKeyword, FilterStatus
from gazouillis.hot import HotStatement
from gazouillis.posts.views import PostView
from gazouillis.storage import UTCDateTime, utcnow


def fold(text: str) -> str:
    """``text`` without accents and case, for matching."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def keyword_pattern(keyword: str, whole_word: bool) -> re.Pattern[str]:
    folded = re.escape(fold(keyword.strip()))
    if not whole_word:
        return re.compile(folded)
    start = r"(?<!\w)" if re.match(r"\w", fold(keyword.strip())) else ""
    end = r"(?!\w)" if re.search(r"\w$", fold(keyword.strip())) else ""
    return re.compile(start + folded + end)


@dataclass(frozen=True)
class ActiveFilter:
    """A filter as matching needs it (and as the ``filtered`` part of a Status shows it)."""

    id: int
    title: str
    context: tuple[str, ...]
    action: str
    expires_at: datetime | None
    keywords: tuple[tuple[str, re.Pattern[str]], ...] = ()
    post_ids: frozenset[int] = frozenset()

    @property
    def hides(self) -> bool:
        return self.action == "hide"


@dataclass(frozen=True)
class FilterMatch:
    """Mastodon's FilterResult: which filter matched, by which keywords and which of its posts."""

    filter: ActiveFilter
    keyword_matches: tuple[str, ...] | None
    status_matches: tuple[int, ...] | None


@dataclass
class Matcher:
    """The viewer's live filters, compiled; :meth:`match` runs no query."""

    filters: list[ActiveFilter] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.filters)

    def match(self, view: PostView, context: str) -> list[FilterMatch]:
        """The filters of ``context`` that ``view`` (a post or a repost's original) matches."""
        post = view.post
        text: str | None = None
        found = []
        for f in self.filters:
            if context not in f.context:
                continue
            words: list[str] = []
            if f.keywords:
                if text is None:
                    text = fold(f"{post.spoiler_text or ''}\n{post.text or ''}")
                words = [keyword for keyword, pattern in f.keywords if pattern.search(text)]
            statuses = [post.id] if post.id in f.post_ids else []
            if words or statuses:
                found.append(FilterMatch(f, tuple(words) or None, tuple(statuses) or None))
        return found


def load_matcher(session: Session, viewer_id: int) -> Matcher:
    """The viewer's unexpired filters with their keywords and posts, in one query."""
    return matcher_from_rows(_matcher_statement().all(session, {"viewer": viewer_id, "now": utcnow()}))


def matcher_from_rows(rows: Iterable[Any]) -> Matcher:
    """The matcher of the rows of :func:`filter_selects` (kind first)."""
    heads: dict[int, dict[str, Any]] = {}
    for kind, fid, title, context, action, expires_at, keyword, whole_word, post_id in rows:
        head = heads.setdefault(
            fid,
            {
                "id": fid,
                "title": title,
                "context": tuple(context or ()),
                "action": action,
                "expires_at": expires_at,
                "keywords": [],
                "post_ids": set(),
            },
        )
        if kind == "k" and keyword:
            head["keywords"].append((keyword, keyword_pattern(keyword, bool(whole_word))))
        elif kind == "s" and post_id is not None:
            head["post_ids"].add(post_id)
    return Matcher(
        [
            ActiveFilter(
                id=h["id"],
                title=h["title"],
                context=h["context"],
                action=h["action"],
                expires_at=h["expires_at"],
                keywords=tuple(h["keywords"]),
                post_ids=frozenset(h["post_ids"]),
            )
            for h in sorted(heads.values(), key=lambda h: h["id"])
        ]
    )


# The columns of filter_selects after its ``lead`` ones, as typed NULLs: for a query that reads other rows
# in the same result (gazouillis.graph.hiding reads the viewer's blocks and mutes with them).
FILTER_NULLS = (
    cast(null(), BigInteger),
    cast(null(), String),
    cast(null(), JSON),
    cast(null(), String),
    cast(null(), UTCDateTime),
    cast(null(), String),
    cast(null(), Boolean),
    cast(null(), BigInteger),
)


def filter_selects(*lead: Any) -> list[Select[Any]]:
    """The viewer's unexpired filters (bound parameters ``viewer`` and ``now``), one row per keyword
    ("k") and per filtered post ("s"): kind, then the ``lead`` columns, then the filter's columns."""
    viewer, now = bindparam("viewer"), bindparam("now")
    live = or_(Filter.expires_at.is_(None), Filter.expires_at > now)
    base = (Filter.id, Filter.title, Filter.context, Filter.action, Filter.expires_at)
    keywords = (
        select(literal("k"), *lead, *base, FilterKeyword.keyword, FilterKeyword.whole_word, FILTER_NULLS[-1])
        .outerjoin(FilterKeyword, FilterKeyword.filter_id == Filter.id)
        .where(Filter.account_id == viewer, live)
    )
    statuses = (
        select(literal("s"), *lead, *base, FILTER_NULLS[5], FILTER_NULLS[6], FilterStatus.post_id)
        .join(FilterStatus, FilterStatus.filter_id == Filter.id)
        .where(Filter.account_id == viewer, live)
    )
    return [keywords, statuses]


@cache
def _matcher_statement() -> HotStatement:
    """Built once, the viewer and the time as bound parameters (every timeline page runs it)."""
    return HotStatement(union_all(*filter_selects()))
