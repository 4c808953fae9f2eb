"""Lists in the domain: CRUD, membership rules, list timelines (replies policies, visibility) and
exclusive lists leaving the home timeline."""

from __future__ import annotations

from typing import Any

import pytest

from gazouillis.accounts.service import create_account
from gazouillis.errors import Invalid, NotFound
from gazouillis.graph import service as graph
from gazouillis.jobs.queue import run_pending
from gazouillis.lists import service as lists
from gazouillis.lists.tables import ListMember
from gazouillis.lists.timeline import list_timeline
from gazouillis.pagination import Page
from gazouillis.posts import interactions
from gazouillis.posts.service import Draft, Rules, create_post
from gazouillis.storage import Database
from gazouillis.timelines import service as timelines
from tests.conftest import PASSWORD

RULES = Rules(max_length=280, base_url="http://testserver")


class World:
    def __init__(self, db: Database) -> None:
        self.db = db

    def account(self, name: str) -> int:
        with self.db.write() as s:
            return create_account(s, username=name, email=f"{name}@example.org", password=PASSWORD).id

    def follow(self, who: int, whom: int) -> None:
        with self.db.write() as s:
            graph.follow(s, follower_id=who, target_id=whom)

    def post(self, who: int, text: str, **draft: Any) -> int:
        with self.db.write() as s:
            return create_post(s, author_id=who, draft=Draft(text=text, **draft), rules=RULES).id

    def do(self, fn: Any, **kw: Any) -> Any:
        with self.db.write() as s:
            return fn(s, **kw)

    def timeline(self, owner: int, list_id: int, **page: Any) -> list[int]:
        with self.db.read() as s:
            views = list_timeline(s, owner_id=owner, list_id=list_id, page=Page(**page))
        return [v.post.id for v in views]

    def home(self, who: int) -> list[int]:
        run_pending(self.db)
        with self.db.read() as s:
            return [v.post.id for v in timelines.home(s, viewer_id=who, page=Page(limit=40))]


@pytest.fixture
def w(db: Database) -> World:
    return World(db)


def test_create_rename_delete(w: World) -> None:
    me = w.account("me")
    made = w.do(lists.create_list, owner_id=me, title="  Experts  ")
    assert (made.title, made.replies_policy, made.exclusive) == ("Experts", "list", False)
    w.do(
        lists.update_list,
        owner_id=me,
        list_id=made.id,
        title="Scientists",
        replies_policy="none",
        exclusive=True,
    )
    with w.db.read() as s:
        row = lists.get_list(s, owner_id=me, list_id=made.id)
        assert (row.title, row.replies_policy, row.exclusive) == ("Scientists", "none", True)
    w.do(lists.delete_list, owner_id=me, list_id=made.id)
    with w.db.read() as s, pytest.raises(NotFound):
        lists.get_list(s, owner_id=me, list_id=made.id)


@pytest.mark.parametrize("title", ["", "   ", "x" * 201, None])
def test_bad_titles_are_refused(w: World, title: str | None) -> None:
    me = w.account("me")
    with pytest.raises(Invalid):
        w.do(lists.create_list, owner_id=me, title=title)
    made = w.do(lists.create_list, owner_id=me, title="x" * 200)
    if title is not None:
        with pytest.raises(Invalid):
            w.do(lists.update_list, owner_id=me, list_id=made.id, title=title, exclusive=True)
    with w.db.read() as s:
        row = lists.get_list(s, owner_id=me, list_id=made.id)
        assert [r.id for r in lists.lists_of(s, owner_id=me)] == [made.id]
        assert row.exclusive is False  # nothing changed


def test_bad_replies_policy_is_refused(w: World) -> None:
    me = w.account("me")
    with pytest.raises(Invalid):
        w.do(lists.create_list, owner_id=me, title="t", replies_policy="everyone")


def test_another_accounts_list_is_not_found(w: World) -> None:
    me, other = w.account("me"), w.account("other")
    mine = w.do(lists.create_list, owner_id=me, title="mine")
    w.follow(other, me)
    for fn, kw in [
        (lists.get_list, {}),
        (lists.update_list, {"title": "stolen"}),
        (lists.delete_list, {}),
        (lists.add_accounts, {"account_ids": [me]}),
        (lists.remove_accounts, {"account_ids": [me]}),
    ]:
        with pytest.raises(NotFound):
            w.do(fn, owner_id=other, list_id=mine.id, **kw)
    with pytest.raises(NotFound):
        w.timeline(other, mine.id)
    with w.db.read() as s:
        assert lists.get_list(s, owner_id=me, list_id=mine.id).title == "mine"


def test_only_followed_accounts_can_be_added(w: World) -> None:
    me, friend, stranger = w.account("me"), w.account("friend"), w.account("stranger")
    made = w.do(lists.create_list, owner_id=me, title="t")
    w.follow(me, friend)
    with pytest.raises(Invalid, match="You must follow"):
        w.do(lists.add_accounts, owner_id=me, list_id=made.id, account_ids=[friend, stranger])
    with pytest.raises(NotFound):
        w.do(lists.add_accounts, owner_id=me, list_id=made.id, account_ids=[friend, 12345])
    with w.db.read() as s:  # all or nothing
        assert lists.member_ids(s, owner_id=me, list_id=made.id) == set()
    w.do(lists.add_accounts, owner_id=me, list_id=made.id, account_ids=[friend, me])
    w.do(lists.add_accounts, owner_id=me, list_id=made.id, account_ids=[friend])  # again: no change
    with w.db.read() as s:
        assert lists.member_ids(s, owner_id=me, list_id=made.id) == {friend, me}
        assert [r.id for r in lists.lists_containing(s, owner_id=me, account_id=friend)] == [made.id]
        assert lists.lists_containing(s, owner_id=friend, account_id=friend) == []


def test_unfollow_removes_from_every_list_of_the_unfollower_only(w: World) -> None:
    me, other, friend = w.account("me"), w.account("other"), w.account("friend")
    for who in (me, other):
        w.follow(who, friend)
    mine = [w.do(lists.create_list, owner_id=me, title=t).id for t in ("a", "b")]
    theirs = w.do(lists.create_list, owner_id=other, title="c").id
    for list_id in mine:
        w.do(lists.add_accounts, owner_id=me, list_id=list_id, account_ids=[friend])
    w.do(lists.add_accounts, owner_id=other, list_id=theirs, account_ids=[friend])
    w.do(graph.unfollow, follower_id=me, target_id=friend)
    with w.db.read() as s:
        assert all(lists.member_ids(s, owner_id=me, list_id=i) == set() for i in mine)
        assert lists.member_ids(s, owner_id=other, list_id=theirs) == {friend}
    # The function blocks call (graph owns blocks) does the same.
    assert w.do(lists.remove_from_lists, owner_id=other, account_id=friend) == 1


def _setup(w: World, policy: str) -> tuple[int, int, int, int, int]:
    me, member, other_member, followed = (w.account(n) for n in ("me", "member", "other", "followed"))
    for who in (member, other_member, followed):
        w.follow(me, who)
    made = w.do(lists.create_list, owner_id=me, title="t", replies_policy=policy).id
    w.do(lists.add_accounts, owner_id=me, list_id=made, account_ids=[member, other_member])
    return me, member, other_member, followed, made


@pytest.mark.parametrize("policy", ["list", "followed", "none"])
def test_replies_policies(w: World, policy: str) -> None:
    me, member, other_member, followed, made = _setup(w, policy)
    stranger = w.account("stranger")
    top = w.post(member, "top")
    self_reply = w.post(member, "thread", in_reply_to_id=top)
    to_me = w.post(member, "@me hi", in_reply_to_id=w.post(me, "mine"))
    to_member = w.post(member, "@other hi", in_reply_to_id=w.post(other_member, "other's"))
    to_followed = w.post(member, "@followed hi", in_reply_to_id=w.post(followed, "followed's"))
    to_stranger = w.post(member, "@stranger hi", in_reply_to_id=w.post(stranger, "stranger's"))
    shown = set(w.timeline(me, made, limit=40))
    assert {top, self_reply, to_me} <= shown  # in every policy
    expected = {
        "list": {to_member},
        "followed": {to_member, to_followed},
        "none": set(),
    }[policy]
    assert shown & {to_member, to_followed, to_stranger} == expected


def test_timeline_order_pagination_reposts_and_visibility(w: World) -> None:
    me, member, other_member, followed, made = _setup(w, "list")
    outsider = w.account("outsider")
    w.follow(outsider, member)
    first = w.post(member, "first")
    private = w.post(member, "for followers", visibility="private")
    direct = w.post(member, "@me secret", visibility="direct")
    not_member = w.post(followed, "not in the list")
    others_private = w.post(outsider, "outsider's private", visibility="private")
    repost = w.do(interactions.reblog, viewer_id=other_member, post_id=w.post(outsider, "shared")).id
    latest = w.post(other_member, "latest")
    assert w.timeline(me, made) == [latest, repost, private, first]
    assert direct not in w.timeline(me, made) and not_member not in w.timeline(me, made)
    assert w.timeline(me, made, limit=2) == [latest, repost]
    assert w.timeline(me, made, limit=2, max_id=repost) == [private, first]
    assert w.timeline(me, made, min_id=first, limit=2) == [repost, private]
    assert w.timeline(me, made, since_id=repost) == [latest]
    assert others_private not in w.timeline(me, made)


def test_private_post_of_a_member_needs_the_owner_to_see_it(w: World) -> None:
    me, member, _, _, made = _setup(w, "list")
    private = w.post(member, "followers only", visibility="private")
    assert private in w.timeline(me, made)  # the owner follows the member: they may see it
    # A member the owner does not follow (a membership left behind, written straight to the table):
    # their public posts show, their followers-only posts do not.
    stranger = w.account("stranger")
    with w.db.write() as s:
        s.add(ListMember(list_id=made, account_id=stranger))
    public = w.post(stranger, "for all")
    hidden = w.post(stranger, "for followers", visibility="private")
    shown = w.timeline(me, made)
    assert public in shown and hidden not in shown


def test_hidden_reposts_follow_the_owners_choice(w: World) -> None:
    me, member, _, _, made = _setup(w, "list")
    source = w.account("source")
    repost = w.do(interactions.reblog, viewer_id=member, post_id=w.post(source, "shared")).id
    assert repost in w.timeline(me, made)
    w.do(graph.follow, follower_id=me, target_id=member, reblogs=False)
    assert repost not in w.timeline(me, made)


def test_exclusive_list_members_leave_home_but_not_the_list(w: World) -> None:
    me, member, other_member, followed, made = _setup(w, "list")
    own = w.post(me, "my own")
    by_member = w.post(member, "member speaks")
    by_followed = w.post(followed, "followed speaks")
    assert {own, by_member, by_followed} <= set(w.home(me))
    w.do(lists.update_list, owner_id=me, list_id=made, exclusive=True)
    home = w.home(me)
    assert by_member not in home and {own, by_followed} <= set(home)
    assert by_member in w.timeline(me, made)
    # A member of both an exclusive and a plain list still leaves home; out of the list, it comes back.
    w.do(lists.remove_accounts, owner_id=me, list_id=made, account_ids=[member])
    assert by_member in w.home(me)


def test_member_listing_pages_and_all(w: World) -> None:
    me = w.account("me")
    people = [w.account(f"p{i}") for i in range(5)]
    for p in people:
        w.follow(me, p)
    made = w.do(lists.create_list, owner_id=me, title="t").id
    w.do(lists.add_accounts, owner_id=me, list_id=made, account_ids=people)
    with w.db.read() as s:
        everyone, _ = lists.members(s, owner_id=me, list_id=made, page=None)
        first, cursors = lists.members(s, owner_id=me, list_id=made, page=Page(limit=3))
        rest, _ = lists.members(s, owner_id=me, list_id=made, page=Page(limit=3, max_id=min(cursors)))
    assert {a.id for a in everyone} == set(people)
    assert len(first) == 3 and len(rest) == 2
    assert {a.id for a in first} | {a.id for a in rest} == set(people)
