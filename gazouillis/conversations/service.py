"""Direct-message conversations: the thread of ``direct`` posts between a few people, per participant.

A direct post belongs to the conversation of the direct post it replies to, or starts its own (its id
is the conversation id). Each participant has a row of their own (:class:`AccountConversation`): the
others in it, its last post they can see, and whether they read it, so one participant deleting or
reading a conversation leaves the others' as it was.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.orm import Session

from gazouillis.accounts.tables import Account
from gazouillis.conversations.tables import AccountConversation
from gazouillis.errors import NotFound
from gazouillis.events import emit
from gazouillis.graph.hiding import hidden_accounts, screen
from gazouillis.ids import new_id
from gazouillis.pagination import Page, apply, newest_first
from gazouillis.posts.tables import Mention, Post
from gazouillis.posts.views import PostView, load_views


def post_created(session: Session, post: Post, parent: Post | None, mentioned_ids: Iterable[int]) -> None:
    """File a new direct post in its conversation, for its author and everyone it mentions."""
    if post.visibility != "direct":
        return
    inherited = parent.conversation_id if parent is not None and parent.visibility == "direct" else None
    post.conversation_id = inherited or post.id
    participants = {post.account_id, *mentioned_ids}
    # Someone who blocks the author, is blocked by them or mutes them is not reached (as in notifications).
    reached = {post.account_id} | {
        a for a in participants - {post.account_id} if post.account_id not in hidden_accounts(session, a)
    }
    for account_id in sorted(reached):
        others = participants - {account_id}
        row = session.scalar(
            select(AccountConversation).where(
                AccountConversation.account_id == account_id,
                AccountConversation.conversation_id == post.conversation_id,
            )
        )
        if row is None:
            row = AccountConversation(
                id=new_id(), account_id=account_id, conversation_id=post.conversation_id, participant_ids=[]
            )
            session.add(row)
        row.participant_ids = sorted(set(row.participant_ids or []) | others)
        row.last_post_id = post.id
        row.unread = account_id != post.account_id
        session.flush()
        emit(session, "conversation", account_id=account_id, conversation_id=row.id)


def post_removed(session: Session, post: Post) -> None:
    """A direct post is being deleted: each conversation row it was the last post of goes back to the
    participant's previous post in it, or away when none is left."""
    if post.conversation_id is None:
        return
    rows = session.scalars(
        select(AccountConversation).where(
            AccountConversation.conversation_id == post.conversation_id,
            AccountConversation.last_post_id == post.id,
        )
    ).all()
    for row in rows:
        previous = session.scalar(
            select(Post.id)
            .where(Post.conversation_id == post.conversation_id, Post.id != post.id, _seen_by(row.account_id))
            .order_by(Post.id.desc())
            .limit(1)
        )
        if previous is None:
            session.delete(row)
        else:
            row.last_post_id = previous
    session.flush()


def _seen_by(account_id: int) -> object:
    mentioned = exists().where(Mention.post_id == Post.id, Mention.account_id == account_id)
    return or_(Post.account_id == account_id, mentioned)


def conversations(session: Session, *, viewer_id: int, page: Page) -> list[AccountConversation]:
    """The viewer's conversations, the one with the newest post first (``last_post_id`` is the cursor)."""
    query = select(AccountConversation).where(
        AccountConversation.account_id == viewer_id, AccountConversation.last_post_id.is_not(None)
    )
    return newest_first(list(session.scalars(apply(query, AccountConversation.last_post_id, page))), page)


def get_conversation(session: Session, *, viewer_id: int, conversation_id: int) -> AccountConversation:
    """One of the viewer's conversations by its row id; NotFound for anyone else's."""
    row = session.get(AccountConversation, conversation_id)
    if row is None or row.account_id != viewer_id:
        raise NotFound()
    return row


def mark_read(session: Session, *, viewer_id: int, conversation_id: int) -> AccountConversation:
    row = get_conversation(session, viewer_id=viewer_id, conversation_id=conversation_id)
    row.unread = False
    session.flush()
    return row


def remove(session: Session, *, viewer_id: int, conversation_id: int) -> None:
    """The viewer leaves the conversation out of their list; the others keep theirs."""
    get_conversation(session, viewer_id=viewer_id, conversation_id=conversation_id)
    session.execute(delete(AccountConversation).where(AccountConversation.id == conversation_id))


def unread_count(session: Session, *, viewer_id: int) -> int:
    rows = session.scalars(
        select(AccountConversation.id).where(
            AccountConversation.account_id == viewer_id, AccountConversation.unread.is_(True)
        )
    )
    return len(rows.all())


def messages(session: Session, *, viewer_id: int, row: AccountConversation) -> list[PostView]:
    """The conversation's posts the viewer may see, oldest first."""
    ids = session.scalars(
        select(Post.id)
        .where(Post.conversation_id == row.conversation_id, _seen_by(viewer_id))
        .order_by(Post.id.asc())
    ).all()
    return screen(session, viewer_id, load_views(session, list(ids), viewer_id), "thread")


def participants(session: Session, rows: Iterable[AccountConversation]) -> dict[int, Account]:
    """The other participants of ``rows``, by id, in one query."""
    ids = {i for r in rows for i in r.participant_ids or []}
    if not ids:
        return {}
    return {a.id: a for a in session.scalars(select(Account).where(Account.id.in_(ids)))}


def last_posts(session: Session, viewer_id: int, rows: Iterable[AccountConversation]) -> dict[int, PostView]:
    """The last post of each of ``rows`` the viewer may see and hears from (blocks, mutes, filters), by id."""
    ids = [r.last_post_id for r in rows if r.last_post_id is not None]
    return {v.post.id: v for v in screen(session, viewer_id, load_views(session, ids, viewer_id), "thread")}


def row_of(session: Session, *, viewer_id: int, conversation_id: int) -> AccountConversation | None:
    """The viewer's row of the conversation whose posts carry ``conversation_id``."""
    return session.scalar(
        select(AccountConversation).where(
            AccountConversation.account_id == viewer_id,
            AccountConversation.conversation_id == conversation_id,
        )
    )
