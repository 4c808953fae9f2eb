"""Search: the one entry point the API and the search page call.

``search(...)`` parses the query once and asks each back-end (posts, accounts, hashtags) for what the
caller wants. ``resolve`` turns a local address (``@alice@our.domain``, a profile or post URL of this
instance) into that account or post; nothing is ever fetched from the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from gazouillis.accounts.tables import Account
from gazouillis.errors import Invalid
from gazouillis.graph.hiding import hidden_accounts, screen
from gazouillis.pagination import Page
from gazouillis.posts.views import PostView, load_views
from gazouillis.search.accounts import handle_of, search_accounts
from gazouillis.search.posts import MAX_OFFSET, search_posts
from gazouillis.search.query import Query, parse
from gazouillis.search.tags import TagHit, search_tags

TYPES = ("accounts", "statuses", "hashtags")
_PATH = re.compile(r"/@([A-Za-z0-9_]+)(?:/(\d{1,19}))?/?")


@dataclass
class Results:
    accounts: list[Account] = field(default_factory=list)
    statuses: list[PostView] = field(default_factory=list)
    hashtags: list[TagHit] = field(default_factory=list)
    query: Query = field(default_factory=Query)


@dataclass(frozen=True)
class Request:
    """What is searched for, and how much of it."""

    q: str
    types: tuple[str, ...] = TYPES
    limit: int = 20
    offset: int = 0
    page: Page = field(default_factory=Page)
    following: bool = False
    account_id: int | None = None
    resolve: bool = False


def check_offset(offset: int) -> None:
    if offset < 0:
        raise Invalid("offset must not be negative")
    if offset > MAX_OFFSET:
        raise Invalid(f"offset must be at most {MAX_OFFSET}: narrow the query, or page with max_id")


def search(
    session: Session, *, viewer_id: int | None, request: Request, base_url: str, local_domain: str
) -> Results:
    """Accounts, posts and hashtags matching ``request.q`` that ``viewer_id`` may see.

    Raises :class:`Invalid` for a malformed query operator or offset, before anything is read.
    """
    check_offset(request.offset)
    # The operators are a language of post search: people and hashtags take the words as they are.
    query = parse(request.q) if "statuses" in request.types else Query()
    results = Results(query=query)
    if request.resolve:
        found = resolve(
            session, viewer_id=viewer_id, q=request.q, base_url=base_url, local_domain=local_domain
        )
        if found is not None:
            if isinstance(found, Account):
                results.accounts = [found] if "accounts" in request.types else []
            else:
                results.statuses = [found] if "statuses" in request.types else []
            return results
    if "accounts" in request.types:
        results.accounts = search_accounts(
            session,
            viewer_id=viewer_id,
            q=request.q,
            local_domain=local_domain,
            limit=request.limit,
            offset=request.offset,
            following=request.following,
        )
    if "statuses" in request.types:
        page = Page(limit=request.limit, max_id=request.page.max_id, min_id=request.page.min_id)
        results.statuses = search_posts(
            session,
            viewer_id=viewer_id,
            query=query,
            page=page,
            offset=request.offset,
            account_id=request.account_id,
        )
    if "hashtags" in request.types:
        results.hashtags = search_tags(session, q=request.q, limit=request.limit, offset=request.offset)
    return results


def resolve(
    session: Session, *, viewer_id: int | None, q: str, base_url: str, local_domain: str
) -> Account | PostView | None:
    """The local account or post ``q`` addresses, if the viewer may see it; None otherwise."""
    q = q.strip()
    username, post_id = None, None
    if q.startswith(("http://", "https://")):
        parts = urlsplit(q)
        if f"{parts.scheme}://{parts.netloc}".lower() != base_url.rstrip("/").lower():
            return None
        match = _PATH.fullmatch(parts.path)
        if match is None:
            return None
        username, post_id = match.group(1).lower(), match.group(2)
    elif q.startswith("@") or "@" in q:
        username = handle_of(q, local_domain)
    if not username:
        return None
    hidden = hidden_accounts(session, viewer_id)
    account = session.scalar(select(Account).where(Account.username_key == username))
    if account is None or account.id in hidden:
        return None
    if post_id is None:
        return account
    if int(post_id) >= 2**63:
        return None
    views = screen(session, viewer_id, load_views(session, [int(post_id)], viewer_id), "public")
    if views and views[0].account.id == account.id:
        return views[0]
    return None
