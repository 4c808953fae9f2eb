"""A list's timeline: the posts and reposts of its members that its owner may see, newest first.

Read at read time, from the ``posts (account_id, id)`` index joined to the list's members: there is no
stored feed per list. Its cost grows with the members' posts newer than the cursor (the database reads
each member's newest posts and keeps the ``limit`` newest), which is fine for lists of a few hundred
accounts; a list of thousands of very active accounts would want a stored feed like the home timeline.

Replies follow the list's ``replies_policy`` as on Mastodon: a self-reply (a thread) and a reply to the
owner always stay; other replies stay when they answer a member of the list (``list``), an account the
owner follows (``followed``), or never (``none``). Direct posts are never shown; reposts are hidden for
members whose reposts the owner chose not to see.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, exists, or_, select
from sqlalchemy.orm import Session

from gazouillis.graph.hiding import screen
from gazouillis.graph.tables import Follow
from gazouillis.lists.service import get_list
from gazouillis.lists.tables import ListMember
from gazouillis.pagination import Page, Shape, apply_bound, bound, newest_first, shape
from gazouillis.posts.tables import Post
from gazouillis.posts.views import PostView, load_views
from gazouillis.posts.visibility import visible_clause

MEMBERS = ListMember.__table__
FOLLOWS = Follow.__table__


def list_timeline(session: Session, *, owner_id: int, list_id: int, page: Page) -> list[PostView]:
    """The list's timeline for its owner (NotFound for anybody else's list)."""
    row = get_list(session, owner_id=owner_id, list_id=list_id)
    statement = _statement(shape(page), row.replies_policy)
    params = {"list": row.id, "owner": owner_id, **bound(page)}
    ids = newest_first(list(session.scalars(statement, params)), page)
    return screen(session, owner_id, load_views(session, ids, owner_id), "home")


@cache
def _statement(page_shape: Shape, policy: str) -> Select[Any]:
    """Built once per page shape and replies policy, the list and owner as bound parameters."""
    owner, list_id = bindparam("owner"), bindparam("list")
    member = MEMBERS.alias("member")
    query = (
        select(Post.id)
        .join(member, and_(member.c.account_id == Post.account_id, member.c.list_id == list_id))
        .where(visible_clause(owner), Post.visibility != "direct")
    )
    f = FOLLOWS.alias()
    shows_reblogs = exists().where(
        f.c.account_id == owner, f.c.target_account_id == Post.account_id, f.c.show_reblogs.is_(True)
    )
    query = query.where(or_(Post.reblog_of_id.is_(None), Post.account_id == owner, shows_reblogs))
    replied = Post.in_reply_to_account_id
    kept = [replied.is_(None), replied == Post.account_id, replied == owner]
    if policy == "list":
        other = MEMBERS.alias()
        kept.append(exists().where(other.c.list_id == list_id, other.c.account_id == replied))
    elif policy == "followed":
        g = FOLLOWS.alias()
        kept.append(exists().where(g.c.account_id == owner, g.c.target_account_id == replied))
    query = query.where(or_(*kept))
    return apply_bound(query, Post.id, page_shape)
