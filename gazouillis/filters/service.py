"""Keyword filters (Mastodon's filters v2): create, edit and delete a filter, its keywords and its posts.

A filter belongs to one member; another member's filter is "not found". Each filter has a title, the
contexts it applies in (home, notifications, public, thread, account), an action ("warn" shows the post
collapsed behind the filter's title, "hide" removes it, "blur" is treated as "warn" — there are no media
to blur yet) and an optional expiry. Matching happens at read time: :mod:`gazouillis.filters.matching`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gazouillis.errors import Invalid, NotFound
from gazouillis.events import emit
from gazouillis.filters.tables import ACTIONS, CONTEXTS, Filter, FilterKeyword, FilterStatus
from gazouillis.ids import new_id
from gazouillis.posts.service import get_visible
from gazouillis.storage import utcnow

MAX_TITLE = 200
MAX_KEYWORD = 200
MAX_EXPIRES_IN = 10 * 365 * 24 * 3600
UNSET: Any = object()


@dataclass(frozen=True)
class KeywordChange:
    """One entry of ``keywords_attributes``: a new keyword (no id), a change, or a removal."""

    keyword: str | None = None
    whole_word: bool | None = None
    id: int | None = None
    destroy: bool = False


@dataclass
class FilterFull:
    """A filter with its keywords and posts, as the API and the pages show it."""

    filter: Filter
    keywords: list[FilterKeyword] = field(default_factory=list)
    statuses: list[FilterStatus] = field(default_factory=list)


def _invalid(name: str, code: str, message: str) -> Invalid:
    return Invalid(f"Validation failed: {message}", details={name: [{"error": code, "description": message}]})


def clean_title(raw: str | None) -> str:
    title = (raw or "").strip()
    if not title:
        raise _invalid("title", "ERR_BLANK", "Title can't be blank")
    if len(title) > MAX_TITLE:
        raise _invalid("title", "ERR_TOO_LONG", f"Title is too long (maximum is {MAX_TITLE} characters)")
    return title


def clean_context(raw: Iterable[Any] | None) -> list[str]:
    chosen = list(dict.fromkeys(str(c).strip() for c in (raw or []) if str(c).strip()))
    if not chosen:
        raise _invalid("context", "ERR_BLANK", "Context can't be blank")
    wrong = [c for c in chosen if c not in CONTEXTS]
    if wrong:
        raise _invalid("context", "ERR_INCLUSION", f"Context must be among {', '.join(CONTEXTS)}")
    return chosen


def clean_action(raw: str | None) -> str:
    action = (raw or "warn").strip()
    if action not in ACTIONS:
        raise _invalid("filter_action", "ERR_INCLUSION", f"Filter action must be one of {', '.join(ACTIONS)}")
    return action


def expiry(expires_in: int | None) -> Any:
    """When a filter set to last ``expires_in`` seconds from now ends (None: never)."""
    if expires_in is None:
        return None
    if expires_in <= 0 or expires_in > MAX_EXPIRES_IN:
        raise _invalid("expires_in", "ERR_INVALID", "Expires in must be a positive number of seconds")
    return utcnow() + timedelta(seconds=expires_in)


def clean_keyword(raw: str | None) -> str:
    keyword = (raw or "").strip()
    if not keyword:
        raise _invalid("keyword", "ERR_BLANK", "Keyword can't be blank")
    if len(keyword) > MAX_KEYWORD:
        raise _invalid(
            "keyword", "ERR_TOO_LONG", f"Keyword is too long (maximum is {MAX_KEYWORD} characters)"
        )
    return keyword


def _all_checked(*checks: Any) -> list[Any]:
    """Run every check (a callable); raise one Invalid naming every field that failed, the first
    failure's message first, so a form can show each error beside its field."""
    results, failures = [], []
    for check in checks:
        try:
            results.append(check())
        except Invalid as exc:
            failures.append(exc)
            results.append(None)
    if failures:
        details: dict[str, list[dict[str, str]]] = {}
        for exc in failures:
            details.update(exc.details or {})
        raise Invalid(failures[0].message, details=details)
    return results


def get_filter(session: Session, *, account_id: int, filter_id: int) -> Filter:
    row = session.get(Filter, filter_id)
    if row is None or row.account_id != account_id:
        raise NotFound()
    return row


def full(session: Session, row: Filter) -> FilterFull:
    keywords = session.scalars(
        select(FilterKeyword).where(FilterKeyword.filter_id == row.id).order_by(FilterKeyword.id)
    )
    statuses = session.scalars(
        select(FilterStatus).where(FilterStatus.filter_id == row.id).order_by(FilterStatus.id)
    )
    return FilterFull(row, list(keywords), list(statuses))


def filters_of(session: Session, *, account_id: int) -> list[FilterFull]:
    """The member's filters, expired ones included (they can be renewed), oldest first: three queries."""
    rows = list(session.scalars(select(Filter).where(Filter.account_id == account_id).order_by(Filter.id)))
    ids = [r.id for r in rows]
    found = {r.id: FilterFull(r) for r in rows}
    if ids:
        for k in session.scalars(
            select(FilterKeyword).where(FilterKeyword.filter_id.in_(ids)).order_by(FilterKeyword.id)
        ):
            found[k.filter_id].keywords.append(k)
        for s in session.scalars(
            select(FilterStatus).where(FilterStatus.filter_id.in_(ids)).order_by(FilterStatus.id)
        ):
            found[s.filter_id].statuses.append(s)
    return list(found.values())


def _apply_keywords(session: Session, row: Filter, changes: list[KeywordChange]) -> None:
    """Validate every change first, then write: a bad entry changes nothing."""
    existing = {
        k.id: k for k in session.scalars(select(FilterKeyword).where(FilterKeyword.filter_id == row.id))
    }
    planned: list[tuple[str, Any]] = []
    for change in changes:
        if change.id is not None:
            keyword = existing.get(change.id)
            if keyword is None:
                raise NotFound()
            if change.destroy:
                planned.append(("delete", keyword))
            else:
                text = clean_keyword(change.keyword) if change.keyword is not None else keyword.keyword
                planned.append(("update", (keyword, text, change.whole_word)))
        elif not change.destroy:
            planned.append(("add", (clean_keyword(change.keyword), change.whole_word)))
    for what, value in planned:
        if what == "delete":
            session.delete(value)
        elif what == "update":
            keyword, text, whole_word = value
            keyword.keyword = text
            if whole_word is not None:
                keyword.whole_word = whole_word
        else:
            text, whole_word = value
            session.add(
                FilterKeyword(
                    id=new_id(),
                    filter_id=row.id,
                    keyword=text,
                    whole_word=True if whole_word is None else whole_word,
                )
            )


def _changed(session: Session, account_id: int) -> None:
    """Tell the member's streams (Mastodon's ``filters_changed``) so clients reload their filters."""
    emit(session, "filters_changed", account_id=account_id)


def create_filter(
    session: Session,
    *,
    account_id: int,
    title: str | None,
    context: Iterable[Any] | None,
    action: str | None = None,
    expires_in: int | None = None,
    keywords: list[KeywordChange] | None = None,
) -> FilterFull:
    for change in keywords or []:
        if change.id is not None:
            raise NotFound()  # a keyword of another filter (a new filter has none)
    clean = _all_checked(
        lambda: clean_title(title),
        lambda: clean_context(context),
        lambda: clean_action(action),
        lambda: expiry(expires_in),
        lambda: [clean_keyword(c.keyword) for c in keywords or [] if not c.destroy],
    )
    row = Filter(
        id=new_id(),
        account_id=account_id,
        title=clean[0],
        context=clean[1],
        action=clean[2],
        expires_at=clean[3],
    )
    session.add(row)
    session.flush()
    _apply_keywords(session, row, keywords or [])
    session.flush()
    _changed(session, account_id)
    return full(session, row)


def update_filter(
    session: Session,
    *,
    account_id: int,
    filter_id: int,
    title: str | None = None,
    context: Iterable[Any] | None = None,
    action: str | None = None,
    expires_in: Any = UNSET,
    keywords: list[KeywordChange] | None = None,
) -> FilterFull:
    """Change what is given (``expires_in`` None: never expires; left UNSET: unchanged)."""
    row = get_filter(session, account_id=account_id, filter_id=filter_id)
    new_title, new_context, new_action, new_expiry, _ = _all_checked(
        lambda: clean_title(title) if title is not None else row.title,
        lambda: clean_context(context) if context is not None else row.context,
        lambda: clean_action(action) if action is not None else row.action,
        lambda: expiry(expires_in) if expires_in is not UNSET else row.expires_at,
        lambda: [clean_keyword(c.keyword) for c in keywords or [] if not c.destroy and c.keyword is not None],
    )
    _apply_keywords(session, row, keywords or [])
    row.title, row.context, row.action, row.expires_at = new_title, list(new_context), new_action, new_expiry
    session.flush()
    _changed(session, account_id)
    return full(session, row)


def delete_filter(session: Session, *, account_id: int, filter_id: int) -> None:
    row = get_filter(session, account_id=account_id, filter_id=filter_id)
    session.execute(delete(FilterKeyword).where(FilterKeyword.filter_id == row.id))
    session.execute(delete(FilterStatus).where(FilterStatus.filter_id == row.id))
    session.delete(row)
    session.flush()
    _changed(session, account_id)


# -- Keywords and posts of a filter ----------------------------------------------------------------------


def add_keyword(
    session: Session, *, account_id: int, filter_id: int, keyword: str | None, whole_word: bool | None
) -> FilterKeyword:
    row = get_filter(session, account_id=account_id, filter_id=filter_id)
    added = FilterKeyword(
        id=new_id(),
        filter_id=row.id,
        keyword=clean_keyword(keyword),
        whole_word=True if whole_word is None else whole_word,
    )
    session.add(added)
    session.flush()
    _changed(session, account_id)
    return added


def get_keyword(session: Session, *, account_id: int, keyword_id: int) -> FilterKeyword:
    keyword = session.get(FilterKeyword, keyword_id)
    if keyword is None:
        raise NotFound()
    get_filter(session, account_id=account_id, filter_id=keyword.filter_id)
    return keyword


def update_keyword(
    session: Session, *, account_id: int, keyword_id: int, keyword: str | None, whole_word: bool | None
) -> FilterKeyword:
    row = get_keyword(session, account_id=account_id, keyword_id=keyword_id)
    text = clean_keyword(keyword) if keyword is not None else row.keyword
    row.keyword = text
    if whole_word is not None:
        row.whole_word = whole_word
    session.flush()
    _changed(session, account_id)
    return row


def delete_keyword(session: Session, *, account_id: int, keyword_id: int) -> None:
    session.delete(get_keyword(session, account_id=account_id, keyword_id=keyword_id))
    session.flush()
    _changed(session, account_id)


def add_status(session: Session, *, account_id: int, filter_id: int, post_id: int | None) -> FilterStatus:
    """Filter one post the member can see (a repost stands for its original); adding it twice keeps one."""
    row = get_filter(session, account_id=account_id, filter_id=filter_id)
    if post_id is None:
        raise _invalid("status_id", "ERR_BLANK", "Status can't be blank")
    post = get_visible(session, account_id, post_id)
    if post.reblog_of_id is not None:
        post = get_visible(session, account_id, post.reblog_of_id)
    existing = session.scalar(
        select(FilterStatus).where(FilterStatus.filter_id == row.id, FilterStatus.post_id == post.id)
    )
    if existing is not None:
        return existing
    added = FilterStatus(id=new_id(), filter_id=row.id, post_id=post.id)
    session.add(added)
    session.flush()
    _changed(session, account_id)
    return added


def get_status(session: Session, *, account_id: int, filter_status_id: int) -> FilterStatus:
    found = session.get(FilterStatus, filter_status_id)
    if found is None:
        raise NotFound()
    get_filter(session, account_id=account_id, filter_id=found.filter_id)
    return found


def delete_status(session: Session, *, account_id: int, filter_status_id: int) -> None:
    session.delete(get_status(session, account_id=account_id, filter_status_id=filter_status_id))
    session.flush()
    _changed(session, account_id)
