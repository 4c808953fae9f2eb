"""Searching posts on each database: operators, accents and case, the index kept in step, visibility."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from gazouillis.pagination import Page
from gazouillis.posts.tables import Post
from tests.search.conftest import Town


def test_accents_and_case_french_and_english(town: Town) -> None:
    alice = town.account("alice")
    ecole = town.post(alice, "Rentrée à l'École Jules-Ferry")
    cafe = town.post(alice, "Un café, s'il vous plaît")
    english = town.post(alice, "NAÏVE résumé for the Coffee shop")
    oeuvre = town.post(alice, "Une Œuvre de Søren")
    assert town.posts("ecole") == [ecole]
    assert town.posts("ÉCOLE") == [ecole]
    assert town.posts("CAFÉ") == [cafe]
    assert town.posts("cafe plait") == [cafe]
    assert town.posts("naive RESUME coffee") == [english]
    assert town.posts("oeuvre soren") == [oeuvre]
    assert town.posts("jules ferry") == [ecole]


def test_all_words_must_match_and_last_is_a_prefix(town: Town) -> None:
    alice = town.account("alice")
    both = town.post(alice, "recruiting engineers in Lyon")
    one = town.post(alice, "recruiting designers")
    assert town.posts("recruiting lyon") == [both]
    assert town.posts("recruiting") == [one, both]
    assert town.posts("engin") == [both]  # search as you type
    assert town.posts("engin ") == []  # a finished word is a whole word
    assert town.posts("recruit lyon") == []  # only the last word is a prefix


def test_phrase_versus_words(town: Town) -> None:
    alice = town.account("alice")
    phrase = town.post(alice, "the new york times")
    apart = town.post(alice, "new ideas from york")
    assert set(town.posts("new york")) == {phrase, apart}
    assert town.posts('"new york"') == [phrase]
    assert town.posts('"NEW YÖRK times"') == [phrase]
    assert town.posts('"york new"') == []


def test_exclusions(town: Town) -> None:
    alice = town.account("alice")
    keep = town.post(alice, "election results tonight")
    spam = town.post(alice, "election results and spam")
    phrase = town.post(alice, "election: buy now cheap")
    assert town.posts("election -spam") == [phrase, keep]
    assert town.posts('election -spam -"buy now"') == [keep]
    assert town.posts("election -SPÂM") == [phrase, keep]
    assert spam not in town.posts("-spam results")


def test_from(town: Town) -> None:
    alice, bob = town.account("alice"), town.account("Bob")
    a = town.post(alice, "hello world")
    b = town.post(bob, "hello world")
    assert town.posts("hello from:bob") == [b]
    assert town.posts("hello from:@BOB") == [b]
    assert town.posts("from:alice@testserver") == [a]
    assert town.posts("hello -from:bob") == [a]
    assert town.posts("hello from:nobody") == []
    assert town.posts("from:alice from:bob") == []


def test_hashtags_including_unicode(town: Town) -> None:
    alice = town.account("alice")
    fete = town.post(alice, "Ce soir #FêteDeLaMusique à Paris")
    other = town.post(alice, "Paris #Marathon")
    japanese = town.post(alice, "東京 #日本語")
    assert town.posts("#fêtedelamusique") == [fete]
    assert town.posts("paris #FÊTEDELAMUSIQUE") == [fete]
    assert town.posts("paris -#marathon") == [fete]
    assert town.posts("#marathon") == [other]
    assert town.posts("#日本語") == [japanese]
    assert town.posts("#neverused") == []


def test_since_and_until_are_inclusive_utc_days(town: Town) -> None:
    alice = town.account("alice")
    before = town.dated(alice, "report", datetime(2024, 1, 30, 23, 59, 59, tzinfo=UTC))
    first = town.dated(alice, "report", datetime(2024, 1, 31, 0, 0, tzinfo=UTC))
    last = town.dated(alice, "report", datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC))
    after = town.dated(alice, "report", datetime(2024, 3, 1, 0, 0, tzinfo=UTC))
    assert set(town.posts("report since:2024-01-31")) == {first, last, after}
    assert set(town.posts("report until:2024-02-29")) == {before, first, last}
    assert set(town.posts("report since:2024-01-31 until:2024-02-29")) == {first, last}
    assert set(town.posts("since:2024-02-29 until:2024-02-29")) == {last}


def test_index_follows_edits_deletes_and_leaves_reposts_out(town: Town) -> None:
    alice, bob = town.account("alice"), town.account("bob")
    post = town.post(alice, "original wording")
    repost = town.repost(bob, post)
    # The original is found, never its repost (not indexed).
    assert town.posts("original") == [post]
    town.edit(post, "rewritten sentence")
    assert town.posts("original") == []
    assert town.posts("rewritten") == [post]
    town.delete(alice, post)
    assert town.posts("rewritten") == []
    with town.db.read() as session:
        assert session.scalar(select(Post.id).where(Post.id == repost)) is None


def test_combination_and_pagination(town: Town) -> None:
    alice, bob = town.account("alice"), town.account("bob")
    ids = [town.post(alice, f"match number {n} #tagged") for n in range(5)]
    town.post(bob, "match #tagged")
    town.post(alice, "match without tag")
    found = town.posts("match from:alice #tagged")
    assert found == ids[::-1]
    first = town.posts("match from:alice #tagged", limit=2, page=Page(limit=2))
    assert first == ids[::-1][:2]
    older = town.posts("match from:alice #tagged", limit=2, page=Page(limit=2, max_id=first[-1]))
    assert older == ids[::-1][2:4]
    newer = town.posts("match from:alice #tagged", limit=2, page=Page(limit=2, min_id=ids[1]))
    assert newer == [ids[3], ids[2]]
    assert town.posts("match from:alice #tagged", offset=3) == ids[::-1][3:]
    assert town.posts("match", account_id=bob) == town.posts("match from:bob")


def test_visibility_stranger_follower_mentioned_author_visitor(town: Town) -> None:
    alice, bob, carol, dave = (town.account(n) for n in ("alice", "bob", "carol", "dave"))
    town.follow(bob, alice)
    public = town.post(alice, "secret plans public", visibility="public")
    unlisted = town.post(alice, "secret plans unlisted", visibility="unlisted")
    private = town.post(alice, "secret plans private #hush", visibility="private")
    direct = town.post(alice, "secret plans direct @carol #hush", visibility="direct")
    everything = {public, unlisted, private, direct}
    assert set(town.posts("secret", alice)) == everything
    assert set(town.posts("secret", bob)) == {public, unlisted, private}
    assert set(town.posts("secret", carol)) == {public, unlisted, direct}
    assert set(town.posts("secret", dave)) == {public, unlisted}
    assert town.posts("secret", None) == [public]  # a visitor: public posts only
    # The operators never open a back door.
    for q in ("from:alice", "#hush", "secret from:alice #hush", "plans since:2000-01-01"):
        assert not {private, direct} & set(town.posts(q, dave)), q
        assert not {private, direct} & set(town.posts(q, None)), q
    assert not {private, direct} & set(town.posts("secret", dave, account_id=alice))
    assert town.posts("#hush", bob) == [private]
    assert town.posts("#hush", carol) == [direct]


def test_blocks_hide_both_ways(town: Town) -> None:
    alice, bob, carol = town.account("alice"), town.account("bob"), town.account("carol")
    a = town.post(alice, "garden party")
    c = town.post(carol, "garden party")
    town.block(alice, bob)
    assert town.posts("garden", bob) == [c]  # blocked by alice: sees none of hers
    assert set(town.posts("garden", alice)) == {a, c}  # blocking bob hides nothing of carol's
    town.block(carol, alice)
    assert town.posts("garden", alice) == [a]
    assert town.posts("garden from:alice", bob) == []


def test_empty_and_punctuation_only_queries_find_nothing(town: Town) -> None:
    alice = town.account("alice")
    town.post(alice, "anything")
    assert town.posts("") == []
    assert town.posts("!!! ... ---") == []
