"""Conversations at the domain level: threading by conversation id, per-participant rows, deletion."""

from __future__ import annotations

from sqlalchemy import insert, select

from gazouillis.accounts.tables import Account
from gazouillis.conversations import service as conversations
from gazouillis.conversations.tables import AccountConversation
from gazouillis.graph.tables import Block, Mute
from gazouillis.ids import new_id
from gazouillis.posts.service import Draft, Rules, create_post, delete_post
from gazouillis.storage import Database

RULES = Rules(max_length=280, base_url="http://testserver")


def accounts(db: Database, *names: str) -> list[int]:
    ids = [new_id() for _ in names]
    with db.write() as session:
        session.execute(
            insert(Account),
            [{"id": i, "username": n, "username_key": n} for i, n in zip(ids, names, strict=True)],
        )
    return ids


def rows(db: Database) -> dict[int, AccountConversation]:
    with db.read() as session:
        return {r.account_id: r for r in session.scalars(select(AccountConversation))}


def test_a_thread_is_one_conversation_and_each_sees_their_own(db: Database) -> None:
    alice, bob, carol, dave = accounts(db, "alice", "bob", "carol", "dave")
    with db.write() as session:
        first = create_post(
            session, author_id=alice, draft=Draft(text="@bob @carol hi", visibility="direct"), rules=RULES
        )
        # Bob answers Alice only: Carol's row stays on the first post.
        second = create_post(
            session,
            author_id=bob,
            draft=Draft(text="@alice just you", visibility="direct", in_reply_to_id=first.id),
            rules=RULES,
        )
        assert first.conversation_id == first.id and second.conversation_id == first.id
        # A public post is in no conversation, even as a reply.
        public = create_post(session, author_id=alice, draft=Draft(text="@bob out loud"), rules=RULES)
        assert public.conversation_id is None
    got = rows(db)
    assert set(got) == {alice, bob, carol} and dave not in got
    assert got[alice].last_post_id == second.id and got[alice].unread is True
    assert got[bob].last_post_id == second.id and got[bob].unread is False
    assert got[carol].last_post_id == first.id and got[carol].unread is True
    assert got[alice].participant_ids == sorted([bob, carol])

    with db.read() as session:
        views = conversations.messages(session, viewer_id=carol, row=got[carol])
    assert [v.post.id for v in views] == [first.id]  # she never sees the reply not meant for her

    with db.write() as session:
        delete_post(session, viewer_id=bob, post_id=second.id)
    got = rows(db)
    assert got[alice].last_post_id == first.id and got[bob].last_post_id == first.id
    with db.write() as session:
        delete_post(session, viewer_id=alice, post_id=first.id)
    assert rows(db) == {}


def test_a_direct_post_does_not_reach_who_blocks_or_mutes_its_author(db: Database) -> None:
    alice, bob, carol, dave = accounts(db, "alice", "bob", "carol", "dave")
    with db.write() as session:
        session.add(Block(id=new_id(), account_id=bob, target_account_id=alice))
        session.add(Mute(id=new_id(), account_id=carol, target_account_id=alice))
    with db.write() as session:
        create_post(
            session,
            author_id=alice,
            draft=Draft(text="@bob @carol @dave psst", visibility="direct"),
            rules=RULES,
        )
    reached = rows(db)
    assert set(reached) == {alice, dave}
    assert reached[alice].participant_ids == sorted(
        [bob, carol, dave]
    )  # the author still lists whom they wrote to
