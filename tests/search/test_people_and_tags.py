"""Searching people (handles, names, bios) and hashtags (prefix, most used first)."""

from __future__ import annotations

from sqlalchemy import update

from gazouillis.accounts.tables import Account
from tests.search.conftest import Town


def test_exact_handle_first_then_prefix_and_bio(town: Town) -> None:
    ana = town.account("ana", display_name="Ana", note="Hiring manager", followers_count=5)
    anatole = town.account("anatole", display_name="Anatole France", followers_count=50)
    bio = town.account("zed", display_name="Zed", note="Talks about ana all day", followers_count=500)
    assert town.people("ana") == [ana, anatole, bio]
    assert town.people("@ana")[0] == ana
    assert town.people("ana@testserver")[0] == ana
    assert town.people("ana@elsewhere.example") == []  # never fetched from the network


def test_bio_words_by_prefix_and_accents(town: Town) -> None:
    recruiter = town.account("rh", note="Recruiter at Acme, we are hiring")
    recruiting = town.account("jobs", note="Working in RECRUITING since 2010")
    town.account("cook", note="I cook")
    ecole = town.account("prof", display_name="Prof d'École", note="Enseignante à Montréal")
    assert set(town.people("recruit")) == {recruiter, recruiting}
    assert town.people("ecole") == [ecole]
    assert town.people("montreal enseignante") == [ecole]
    assert town.people("Montréal") == [ecole]


def test_following_and_hidden_and_undiscoverable(town: Town) -> None:
    me = town.account("me")
    friend = town.account("friendly_fox", display_name="Fox")
    other = town.account("fox_two", display_name="Fox")
    shy = town.account("shyfox", display_name="Fox", discoverable=False)
    town.follow(me, friend)
    assert set(town.people("fox", me)) == {friend, other}
    assert town.people("fox", me, following=True) == [friend]
    assert town.people("shyfox", me) == [shy]  # exact handle still finds an undiscoverable account
    town.block(other, me)
    assert town.people("fox", me) == [friend]
    assert town.people("fox_two", me) == []


def test_profile_edits_are_searchable(town: Town) -> None:
    someone = town.account("someone", note="old bio")
    with town.db.write() as session:
        session.execute(update(Account).where(Account.id == someone).values(note="Boulangère à Lyon"))
    assert town.people("boulangere") == [someone]
    assert town.people("old bio") == []


def test_hashtags_by_prefix_most_used_first_public_only(town: Town) -> None:
    alice = town.account("alice")
    for _ in range(3):
        town.post(alice, "#Climat now")
    town.post(alice, "#ClimateAction")
    town.post(alice, "#climatosceptique secret", visibility="private")
    found = town.search("#clim", types=("hashtags",)).hashtags
    assert [(h.tag.name, h.uses) for h in found] == [("climat", 3), ("climateaction", 1)]
    assert [h.tag.name for h in town.search("CLIMATE", types=("hashtags",)).hashtags] == ["climateaction"]
    assert town.search("100%_", types=("hashtags",)).hashtags == []


def test_resolve_local_addresses_only(town: Town) -> None:
    alice, bob = town.account("alice"), town.account("bob")
    post = town.post(alice, "resolvable")
    private = town.post(alice, "hidden", visibility="private")
    found = town.search("http://testserver/@alice", bob, resolve=True)
    assert [a.id for a in found.accounts] == [alice]
    found = town.search(f"http://testserver/@alice/{post}", bob, resolve=True)
    assert [v.post.id for v in found.statuses] == [post]
    found = town.search(f"http://testserver/@alice/{private}", bob, resolve=True)
    assert found.statuses == []
    assert town.search(f"https://elsewhere.example/@alice/{post}", bob, resolve=True).statuses == []
    assert [a.id for a in town.search("@alice@testserver", bob, resolve=True).accounts] == [alice]
