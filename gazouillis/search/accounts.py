"""Searching people: the exact handle first, then names, usernames and bios by word prefix."""

from __future__ import annotations

import re

from sqlalchemy import and_, case, exists, false, or_, select
from sqlalchemy.orm import Session

from gazouillis.accounts.tables import Account
from gazouillis.graph.hiding import hidden_accounts
from gazouillis.graph.tables import Follow
from gazouillis.search.folding import words
from gazouillis.search.matching import matches
from gazouillis.search.tags import escape_like

_REMOTE = re.compile(r"@?[^\s@]+@[^\s@]+")


def handle_of(q: str, local_domain: str) -> str | None:
    """The username ``q`` names as a handle (``alice``, ``@alice``, ``alice@our.domain``), lower-cased;
    None for another instance's handle (nothing is fetched from the network)."""
    term = q.strip().lstrip("@")
    if not term or any(c.isspace() for c in term):
        return None
    name, _, domain = term.partition("@")
    if domain and domain.lower() != local_domain.lower():
        return None
    return name.lower() or None


def search_accounts(
    session: Session,
    *,
    viewer_id: int | None,
    q: str,
    local_domain: str,
    limit: int,
    offset: int = 0,
    following: bool = False,
) -> list[Account]:
    """Accounts matching ``q``: an exact handle first, then usernames starting with the words, then
    display names and bios holding every word (each as a prefix: "recruit" finds "recruiter"), most
    followed first. Accounts the viewer blocks, mutes or is blocked by are left out; ``following``:
    only accounts the viewer follows. Accounts that opted out of discovery are found by exact handle only.
    """
    handle = handle_of(q, local_domain)
    if handle is None and _REMOTE.fullmatch(q.strip()):
        return []  # someone on another instance: not ours to find
    terms = words(handle or q)
    if handle is None and not terms:
        return []
    exact = Account.username_key == handle if handle else false()
    found = [exact]
    if terms:
        text_match = matches(session, "accounts", [([w], True) for w in terms], name="people")
        found.append(and_(text_match, Account.discoverable.is_(True)))
    statement = select(Account).where(or_(*found))
    hidden = hidden_accounts(session, viewer_id)
    if hidden:
        statement = statement.where(Account.id.not_in(hidden))
    if following:
        if viewer_id is None:
            return []
        statement = statement.where(
            exists().where(Follow.account_id == viewer_id, Follow.target_account_id == Account.id)
        )
    prefix = handle or terms[0]
    starts = Account.username_key.like(escape_like(prefix.lower()) + "%", escape="\\")
    rank = case((exact, 0), (starts, 1), else_=2)
    statement = (
        statement.order_by(rank, Account.followers_count.desc(), Account.id).offset(offset).limit(limit)
    )
    return list(session.scalars(statement))
