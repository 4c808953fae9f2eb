"""Who a viewer must not hear from: the accounts they block, those blocking them, those they mute.

Every place that shows posts or notifications to a viewer (timelines, threads, search, notifications,
streaming, live pages) removes these accounts' posts with :func:`hidden_accounts` and
:func:`screen`; keyword filters (``gazouillis.filters``) are applied by :func:`screen` too.

A page costs one query whatever its size, built once: the hidden accounts (with the members of the
viewer's exclusive lists, for the home timeline) and the viewer's filters, read together. A visitor (no
viewer) costs none: blocks and filters belong to signed-in members.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Select,
    bindparam,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from gazouillis.accounts.tables import Account
from gazouillis.filters.matching import FILTER_NULLS, Matcher, filter_selects, load_matcher, matcher_from_rows
from gazouillis.filters.tables import Filter
from gazouillis.graph.tables import Block, Follow, Mute
from gazouillis.hot import HotStatement
from gazouillis.lists.tables import List, ListMember
from gazouillis.posts.views import PostView
from gazouillis.storage import utcnow

CONTEXTS = ("home", "notifications", "public", "thread", "account")


@dataclass(frozen=True)
class Hidden:
    """The accounts kept from a viewer: blocked either way; muted (and whether notifications too)."""

    blocked: frozenset[int] = frozenset()
    muted: frozenset[int] = frozenset()
    muted_notifications: frozenset[int] = frozenset()
    # Members of the viewer's exclusive lists: their posts stay out of the home timeline only.
    exclusive: frozenset[int] = frozenset()
    # For the home timeline, read in the same query: the accounts the viewer follows at or above the
    # fan-out threshold, whose posts are merged at read time (gazouillis.timelines.home).
    followed_big: frozenset[int] = frozenset()

    @property
    def posts(self) -> frozenset[int]:
        return self.blocked | self.muted

    @property
    def notifications(self) -> frozenset[int]:
        return self.blocked | self.muted_notifications


def hidden(session: Session, viewer_id: int | None, *, big_threshold: int | None = None) -> Hidden:
    """Everything :class:`Hidden` holds for ``viewer_id``, in one query (expired mutes left out); with
    ``big_threshold``, the followed accounts with at least that many followers too."""
    if viewer_id is None:
        return Hidden()
    params = {"viewer": viewer_id, "now": utcnow(), "threshold": big_threshold}
    return _hidden_from_rows(_hidden_statement(big_threshold is not None).all(session, params))


def hidden_and_filters(
    session: Session, viewer_id: int, *, big_threshold: int | None = None
) -> tuple[Hidden, Matcher]:
    """:func:`hidden` and the viewer's keyword filters (``load_matcher``), in one query: one round trip
    less on every page that shows posts."""
    params = {"viewer": viewer_id, "now": utcnow(), "threshold": big_threshold}
    hidden_rows, filter_rows = [], []
    for row in _screen_statement(big_threshold is not None).all(session, params):
        if row[0] in _HIDDEN_KINDS:
            hidden_rows.append(row[:3])
        else:
            filter_rows.append((row[0], *row[3:]))
    return _hidden_from_rows(hidden_rows), matcher_from_rows(filter_rows)


_HIDDEN_KINDS = frozenset("bmxg")


def _hidden_from_rows(rows: Iterable[Any]) -> Hidden:
    found: dict[str, set[int]] = {"b": set(), "m": set(), "q": set(), "x": set(), "g": set()}
    for kind, account_id, notifications in rows:
        found[kind].add(account_id)
        if kind == "m" and notifications:
            found["q"].add(account_id)
    b, m, q, x, g = (frozenset(found[k]) for k in "bmqxg")
    return Hidden(blocked=b, muted=m, muted_notifications=q, exclusive=x, followed_big=g)


def _hidden_selects(big: bool, *trail: Any) -> list[Select[Any]]:
    """The rows of :class:`Hidden` (bound parameters ``viewer``, ``now`` and with ``big``,
    ``threshold``): kind, account id, whether notifications are muted too, then the ``trail`` columns."""
    viewer, now = bindparam("viewer"), bindparam("now")
    live_mute = or_(Mute.expires_at.is_(None), Mute.expires_at > now)
    parts = [
        select(literal("b"), Block.target_account_id, literal(True), *trail).where(
            Block.account_id == viewer
        ),
        select(literal("b"), Block.account_id, literal(True), *trail).where(
            Block.target_account_id == viewer
        ),
        select(literal("m"), Mute.target_account_id, Mute.notifications, *trail).where(
            Mute.account_id == viewer, live_mute
        ),
        select(literal("x"), ListMember.account_id, literal(True), *trail)
        .join(List, List.id == ListMember.list_id)
        .where(List.account_id == viewer, List.exclusive.is_(True)),
    ]
    if big:  # one query less on every home page
        follows, accounts = Follow.__table__, Account.__table__
        parts.append(
            select(literal("g"), follows.c.target_account_id, literal(True), *trail)
            .join(accounts, accounts.c.id == follows.c.target_account_id)
            .where(follows.c.account_id == viewer, accounts.c.followers_count >= bindparam("threshold"))
        )
    return parts


@cache
def _hidden_statement(big: bool = False) -> HotStatement:
    """Built once, the viewer and the time as bound parameters (hot: every page of every timeline)."""
    return HotStatement(union_all(*_hidden_selects(big)))


@cache
def _screen_statement(big: bool = False) -> HotStatement:
    """The hidden accounts' rows, then the filters' (gazouillis.filters.matching), in one result."""
    lead = (cast(null(), BigInteger), cast(null(), Boolean))  # the filters' rows hold no account
    return HotStatement(union_all(*_hidden_selects(big, *FILTER_NULLS), *filter_selects(*lead)))


def screen_changes_at(session: Session, viewer_id: int) -> float | None:
    """When the viewer's screen next changes by itself, a mute or a filter running out (Unix time), so
    that a page kept for them is not kept past it; None when none will."""
    found = _next_expiry().all(session, {"viewer": viewer_id, "now": utcnow()})[0][0]
    return found.timestamp() if found is not None else None


@cache
def _next_expiry() -> HotStatement:
    viewer, now = bindparam("viewer"), bindparam("now")
    ends = union_all(
        select(Mute.expires_at.label("at")).where(Mute.account_id == viewer, Mute.expires_at > now),
        select(Filter.expires_at.label("at")).where(Filter.account_id == viewer, Filter.expires_at > now),
    ).subquery()
    return HotStatement(select(func.min(ends.c.at).label("at")))


def hidden_accounts(
    session: Session, viewer_id: int | None, *, notifications: bool = False
) -> frozenset[int]:
    """Accounts whose posts ``viewer_id`` must not see; with ``notifications``, those whose notifications
    they must not get (a mute counts there only when it covers notifications)."""
    found = hidden(session, viewer_id)
    return found.notifications if notifications else found.posts


def blocked(session: Session, viewer_id: int | None, account_ids: Iterable[int]) -> bool:
    """Whether a block stands, either way, between ``viewer_id`` and any of ``account_ids``."""
    others = {a for a in account_ids if a != viewer_id}
    if viewer_id is None or not others:
        return False
    query = select(Block.id).where(
        or_(
            (Block.account_id == viewer_id) & Block.target_account_id.in_(others),
            (Block.target_account_id == viewer_id) & Block.account_id.in_(others),
        )
    )
    return session.scalar(query.limit(1)) is not None


def authors(view: PostView) -> set[int]:
    """Whose post a view is: its author, and a repost's original author."""
    return {view.account.id} | ({view.reblog.account.id} if view.reblog is not None else set())


def shows(view: PostView, hidden: frozenset[int]) -> bool:
    """Whether a view keeps clear of ``hidden``: its author, a repost's original author, a quote's."""
    if view.account.id in hidden:
        return False
    return all(inner is None or inner.account.id not in hidden for inner in (view.reblog, view.quote))


class Screen:
    """What one viewer must not see in one context, loaded once (one query) and applied to as many
    views as needed (no query): hidden accounts' posts go; posts matching a "hide" filter go; posts
    matching "warn" (or "blur") filters stay, with the matches in ``view.filtered``.

    In the "account" context (a profile's posts) muting the profile's owner does not empty it, as on
    Mastodon: only blocks hide the author there; reposts of muted accounts' posts still go. In the
    "notifications" context a mute counts only when it covers notifications.
    """

    def __init__(
        self,
        session: Session,
        viewer_id: int | None,
        context: str,
        *,
        known: Hidden | None = None,
        big_threshold: int | None = None,
    ) -> None:
        """``known``: the viewer's hidden accounts when the caller has loaded them already; otherwise
        they are read with the filters, in one query (with ``big_threshold``: the big accounts followed,
        as :func:`hidden` reads them)."""
        self.context = context
        self.viewer_id = viewer_id
        if viewer_id is None:
            self.hidden, self.matcher = known if known is not None else Hidden(), Matcher()
        elif known is not None:
            self.hidden, self.matcher = known, load_matcher(session, viewer_id)
        else:
            self.hidden, self.matcher = hidden_and_filters(session, viewer_id, big_threshold=big_threshold)

    @property
    def accounts(self) -> frozenset[int]:
        """Accounts whose posts this screen removes (for a query to leave them out at once)."""
        if self.context == "account":
            return self.hidden.blocked
        return self.hidden.notifications if self.context == "notifications" else self.hidden.posts

    def __call__(self, views: Iterable[PostView]) -> list[PostView]:
        kept = []
        # A mute that spares notifications spares the posts they carry too.
        posts = self.hidden.notifications if self.context == "notifications" else self.hidden.posts
        for view in views:
            if self.context == "account":
                if not shows(view, self.hidden.blocked):
                    continue
                inner = [v for v in (view.reblog, view.quote) if v is not None]
                if any(v.account.id in posts for v in inner):
                    continue
            elif not shows(view, posts):
                continue
            if self.matcher:
                shown = view.reblog or view
                matches = self.matcher.match(shown, self.context)
                if any(m.filter.hides for m in matches):
                    continue
                if matches:
                    # On the view itself (a copy: views may be shared) and on a repost's original.
                    view = replace(view, filtered=tuple(matches))
                    if view.reblog is not None:
                        view.reblog = replace(view.reblog, filtered=tuple(matches))
            kept.append(view)
        return kept


def screen(
    session: Session, viewer_id: int | None, views: Iterable[PostView], context: str
) -> list[PostView]:
    """``views`` without what ``viewer_id`` must not see in ``context`` (home, notifications, public,
    thread, account): hidden accounts' posts, and posts their "hide" filters match; "warn" filters
    are noted on the view (``view.filtered``)."""
    views = list(views)
    if viewer_id is None or not views:
        return views
    return Screen(session, viewer_id, context)(views)
