"""Lists: named sets of followed accounts that an account reads as a timeline of their own.

A list belongs to one account and is never shown to anybody else: another account's list id is simply
not found. Only followed accounts (or oneself) can be added, as on Mastodon; unfollowing or blocking
an account takes it out of every list of the one who did it (:func:`remove_from_lists`).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from gazouillis.accounts.tables import Account
from gazouillis.errors import Invalid, NotFound
from gazouillis.graph.tables import Follow
from gazouillis.ids import new_id
from gazouillis.lists.tables import REPLIES_POLICIES, List, ListMember
from gazouillis.pagination import Page, apply, newest_first

MAX_TITLE = 200
DEFAULT_POLICY = "list"


def clean_title(raw: str | None) -> str:
    """The title as stored: stripped, 1 to 200 characters; Invalid otherwise."""
    title = (raw or "").strip()
    if not title:
        raise Invalid("Validation failed: Title can't be blank")
    if len(title) > MAX_TITLE:
        raise Invalid(f"Validation failed: Title is too long (maximum is {MAX_TITLE} characters)")
    return title


def clean_policy(raw: str | None) -> str:
    if raw not in REPLIES_POLICIES:
        raise Invalid("Validation failed: Replies policy must be one of followed, list, none")
    return raw


def create_list(
    session: Session,
    *,
    owner_id: int,
    title: str | None,
    replies_policy: str | None = None,
    exclusive: bool | None = None,
) -> List:
    """A new, empty list of ``owner_id``."""
    row = List(
        id=new_id(),
        account_id=owner_id,
        title=clean_title(title),
        replies_policy=clean_policy(replies_policy or DEFAULT_POLICY),
        exclusive=bool(exclusive),
    )
    session.add(row)
    session.flush()
    return row


def get_list(session: Session, *, owner_id: int, list_id: int) -> List:
    """``owner_id``'s list ``list_id``; NotFound when it does not exist or is somebody else's."""
    row = session.get(List, list_id)
    if row is None or row.account_id != owner_id:
        raise NotFound()
    return row


def update_list(
    session: Session,
    *,
    owner_id: int,
    list_id: int,
    title: str | None = None,
    replies_policy: str | None = None,
    exclusive: bool | None = None,
) -> List:
    """Change what is given (None leaves a field as it is); nothing changes when any value is invalid."""
    row = get_list(session, owner_id=owner_id, list_id=list_id)
    new_title = clean_title(title) if title is not None else row.title
    new_policy = clean_policy(replies_policy) if replies_policy is not None else row.replies_policy
    row.title, row.replies_policy = new_title, new_policy
    if exclusive is not None:
        row.exclusive = exclusive
    session.flush()
    return row


def delete_list(session: Session, *, owner_id: int, list_id: int) -> None:
    row = get_list(session, owner_id=owner_id, list_id=list_id)
    session.execute(delete(ListMember).where(ListMember.list_id == row.id))
    session.delete(row)
    session.flush()


def lists_of(session: Session, *, owner_id: int) -> list[List]:
    """Every list of ``owner_id``, oldest first (Mastodon's order)."""
    return list(session.scalars(select(List).where(List.account_id == owner_id).order_by(List.id)))


def lists_containing(session: Session, *, owner_id: int, account_id: int) -> list[List]:
    """The lists of ``owner_id`` that hold ``account_id``."""
    query = (
        select(List)
        .join(ListMember, ListMember.list_id == List.id)
        .where(List.account_id == owner_id, ListMember.account_id == account_id)
        .order_by(List.id)
    )
    return list(session.scalars(query))


def add_accounts(session: Session, *, owner_id: int, list_id: int, account_ids: Iterable[int]) -> None:
    """Add accounts to a list: all or none. Each must exist (NotFound) and be followed by the owner, or be
    the owner (Invalid otherwise). Adding a member again changes nothing."""
    row = get_list(session, owner_id=owner_id, list_id=list_id)
    wanted = set(account_ids)
    if not wanted:
        return
    found = set(session.scalars(select(Account.id).where(Account.id.in_(wanted))))
    if found != wanted:
        raise NotFound()
    followed = set(
        session.scalars(
            select(Follow.target_account_id).where(
                Follow.account_id == owner_id, Follow.target_account_id.in_(wanted)
            )
        )
    )
    if wanted - followed - {owner_id}:
        raise Invalid("Validation failed: You must follow an account to add it to a list")
    present = set(
        session.scalars(
            select(ListMember.account_id).where(
                ListMember.list_id == row.id, ListMember.account_id.in_(wanted)
            )
        )
    )
    session.add_all(ListMember(list_id=row.id, account_id=a) for a in sorted(wanted - present))
    session.flush()


def remove_accounts(session: Session, *, owner_id: int, list_id: int, account_ids: Iterable[int]) -> None:
    """Take accounts out of a list (those that are not in it are ignored)."""
    row = get_list(session, owner_id=owner_id, list_id=list_id)
    ids = list(set(account_ids))
    if ids:
        session.execute(
            delete(ListMember).where(ListMember.list_id == row.id, ListMember.account_id.in_(ids))
        )
        session.flush()


def members(
    session: Session, *, owner_id: int, list_id: int, page: Page | None
) -> tuple[list[Account], list[int]]:
    """The accounts of a list and their cursors (member account ids), in the order they are paginated;
    ``page`` None gives them all (Mastodon's ``limit=0``)."""
    row = get_list(session, owner_id=owner_id, list_id=list_id)
    query = (
        select(Account, ListMember.account_id)
        .join(ListMember, ListMember.account_id == Account.id)
        .where(ListMember.list_id == row.id)
    )
    if page is None:
        rows = list(session.execute(query.order_by(ListMember.account_id.desc())).all())
    else:
        rows = newest_first(session.execute(apply(query, ListMember.account_id, page)).all(), page)
    return [r[0] for r in rows], [r[1] for r in rows]


def member_ids(session: Session, *, owner_id: int, list_id: int) -> set[int]:
    row = get_list(session, owner_id=owner_id, list_id=list_id)
    return set(session.scalars(select(ListMember.account_id).where(ListMember.list_id == row.id)))


def addable(
    session: Session, *, owner_id: int, list_id: int, query: str = "", limit: int = 40
) -> list[Account]:
    """Accounts ``owner_id`` follows that are not in the list yet, whose name or handle contains ``query``
    (any case), by handle: the choice offered when adding members."""
    row = get_list(session, owner_id=owner_id, list_id=list_id)
    in_list = select(ListMember.account_id).where(ListMember.list_id == row.id)
    statement = (
        select(Account)
        .join(Follow, Follow.target_account_id == Account.id)
        .where(Follow.account_id == owner_id, Account.id.not_in(in_list))
        .order_by(Account.username_key)
        .limit(limit)
    )
    needle = query.strip().lstrip("@").lower()
    if needle:
        pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(
            or_(
                Account.username_key.like(pattern, escape="\\"),
                func.lower(Account.display_name).like(pattern, escape="\\"),
            )
        )
    return list(session.scalars(statement))


def remove_from_lists(session: Session, owner_id: int, account_id: int) -> int:
    """Take ``account_id`` out of every list of ``owner_id`` (on unfollow and on block); how many."""
    owned = select(List.id).where(List.account_id == owner_id)
    gone = session.execute(
        delete(ListMember)
        .where(ListMember.account_id == account_id, ListMember.list_id.in_(owned))
        .execution_options(synchronize_session=False)
    )
    return int(gone.rowcount or 0)  # type: ignore[attr-defined]
