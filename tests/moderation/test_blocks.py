"""Blocks in the domain: list memberships end both ways; mutes and blocks as hiding sees them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from gazouillis.graph import hiding, moderation
from gazouillis.graph.tables import Mute
from gazouillis.ids import new_id
from gazouillis.lists.tables import List, ListMember
from gazouillis.storage import Database, utcnow
from tests.conftest import User


def test_a_block_takes_each_out_of_the_others_lists(alice: User, bob: User, db: Database) -> None:
    a, b = int(alice.id), int(bob.id)
    with db.write() as session:
        for owner, member in ((a, b), (b, a)):
            lst = List(id=new_id(), account_id=owner, title=f"list of {owner}")
            session.add(lst)
            session.flush()
            session.add(ListMember(list_id=lst.id, account_id=member))
    with db.write() as session:
        moderation.block(session, account_id=a, target_id=b)
    with db.read() as session:
        assert session.scalars(select(ListMember)).all() == []
        assert hiding.hidden_accounts(session, a) == {b} and hiding.hidden_accounts(session, b) == {a}
        assert hiding.blocked(session, b, [a]) and not hiding.blocked(session, None, [a])


def test_hidden_accounts_for_notifications_and_expiry(
    alice: User, bob: User, carol: User, db: Database
) -> None:
    a, b, c = int(alice.id), int(bob.id), int(carol.id)
    with db.write() as session:
        moderation.mute(session, account_id=a, target_id=b, notifications=False)
        moderation.mute(session, account_id=a, target_id=c, duration=60)
    with db.read() as session:
        assert hiding.hidden_accounts(session, a) == {b, c}
        assert hiding.hidden_accounts(session, a, notifications=True) == {c}
        assert hiding.hidden_accounts(session, b) == frozenset()  # a mute is one-way and silent
    with db.write() as session:
        for mute in session.scalars(select(Mute).where(Mute.target_account_id == c)):
            mute.expires_at = utcnow() - timedelta(seconds=1)
    with db.read() as session:
        assert hiding.hidden_accounts(session, a) == {b}
