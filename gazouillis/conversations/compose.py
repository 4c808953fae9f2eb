"""Writing a direct message from the pages: a direct post that mentions its recipients.

The post goes through :func:`gazouillis.posts.service.create_post` like any other (one code path);
this only builds its text (the recipients' @names first, as Mastodon apps do) and checks the names.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from gazouillis import text as texts
from gazouillis.accounts.tables import Account
from gazouillis.conversations.tables import AccountConversation
from gazouillis.errors import Invalid
from gazouillis.posts import service as posts
from gazouillis.posts.tables import Post


class UnknownRecipient(Invalid):
    """A name in the "to" field is nobody here (``name``), or the field names nobody."""

    def __init__(self, message: str, name: str = "") -> None:
        super().__init__(message)
        self.name = name


def recipients(session: Session, raw: str, *, author_id: int) -> list[Account]:
    """The accounts named in ``raw`` ("@bob, carol"); Invalid when empty or naming nobody known."""
    names = [n.lstrip("@") for n in re.split(r"[\s,]+", raw) if n.strip("@ ")]
    if not names:
        raise UnknownRecipient("Say who the message is for.")
    found = {
        a.username_key: a
        for a in session.scalars(select(Account).where(Account.username_key.in_([n.lower() for n in names])))
    }
    missing = [n for n in names if n.lower() not in found]
    if missing:
        raise UnknownRecipient(f"Nobody here is called @{missing[0]}.", missing[0])
    people = [a for a in dict.fromkeys(found[n.lower()] for n in names) if a.id != author_id]
    if not people:
        raise UnknownRecipient("Say who the message is for.")
    return people


def _addressed(people: list[Account], body: str) -> str:
    already = {m.lower() for m in texts.extract_mentions(body)}
    prefix = "".join(f"@{a.username} " for a in people if a.username_key not in already)
    return prefix + body


def start(session: Session, *, author_id: int, to: str, body: str, rules: posts.Rules) -> Post:
    """A new direct message to the accounts named in ``to``."""
    people = recipients(session, to, author_id=author_id)
    draft = posts.Draft(text=_addressed(people, body) if body.strip() else body, visibility="direct")
    return posts.create_post(session, author_id=author_id, draft=draft, rules=rules)


def reply(
    session: Session, *, author_id: int, row: AccountConversation, body: str, rules: posts.Rules
) -> Post:
    """A direct reply to the conversation's last post, addressed to everyone else in it."""
    people = list(session.scalars(select(Account).where(Account.id.in_(row.participant_ids or []))))
    draft = posts.Draft(
        text=_addressed(people, body) if body.strip() else body,
        visibility="direct",
        in_reply_to_id=row.last_post_id,
    )
    return posts.create_post(session, author_id=author_id, draft=draft, rules=rules)
