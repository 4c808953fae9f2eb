"""``gazouillis seed demo``: a real, bilingual community is created once, through the domain rules."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from gazouillis import migrate
from gazouillis.accounts.tables import Account
from gazouillis.config import Settings
from gazouillis.errors import Invalid
from gazouillis.graph.tables import Follow, FollowRequest
from gazouillis.jobs.queue import pending_count
from gazouillis.pagination import Page
from gazouillis.posts.tables import Bookmark, Favourite, Post, Tag
from gazouillis.seed import ACCOUNTS, seed_demo
from gazouillis.storage import Database
from gazouillis.timelines import service as timelines

PASSWORD = "gazouillis-demo"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Settings, str]]:
    tmp_path: Path = tmp_path_factory.mktemp("seed")
    settings = Settings(data_dir=tmp_path)
    migrate.upgrade(settings.resolved_database_url)
    db = Database(settings.resolved_database_url)
    try:
        summary = seed_demo(db, settings, password=PASSWORD)
        yield db, settings, summary
    finally:
        db.dispose()


def count(session: Session, query: Select[Any]) -> int:
    return session.scalar(query) or 0


def test_summary_tells_the_truth_and_names_the_password(seeded: tuple[Database, Settings, str]) -> None:
    db, _settings, summary = seeded
    assert summary.startswith("seeded 20 accounts, ")
    assert f"password is '{PASSWORD}'" in summary
    assert "\n" not in summary
    said = {name: int(n) for n, name in re.findall(r"(\d+) (posts|follows|likes|reposts|bookmarks)", summary)}
    with db.read() as session:
        assert said == {
            "posts": count(session, select(func.count()).where(Post.reblog_of_id.is_(None))),
            "follows": count(session, select(func.count()).select_from(Follow)),
            "likes": count(session, select(func.count()).select_from(Favourite)),
            "reposts": count(session, select(func.count()).where(Post.reblog_of_id.is_not(None))),
            "bookmarks": count(session, select(func.count()).select_from(Bookmark)),
        }


def test_accounts_and_profiles(seeded: tuple[Database, Settings, str]) -> None:
    db, _settings, _summary = seeded
    with db.read() as session:
        accounts = list(session.scalars(select(Account)))
        assert len(accounts) >= 18
        assert all(a.display_name and a.note for a in accounts)
        assert sum(a.locked for a in accounts) >= 1
        assert sum(a.bot for a in accounts) == 1
        assert any(a.website for a in accounts)


def test_posts_in_both_languages_with_replies_and_reposts(seeded: tuple[Database, Settings, str]) -> None:
    db, _settings, _summary = seeded
    originals = Post.reblog_of_id.is_(None)
    with db.read() as session:
        assert count(session, select(func.count()).select_from(Post).where(originals)) >= 250
        languages = set(session.scalars(select(Post.language).where(originals).distinct()))
        assert {"fr", "en"} <= languages
        assert count(session, select(func.count()).where(Post.in_reply_to_id.is_not(None))) >= 30
        assert count(session, select(func.count()).where(Post.reblog_of_id.is_not(None))) >= 5
        assert count(session, select(func.count()).where(Post.spoiler_text != "")) >= 2
        assert count(session, select(func.count()).where(Post.quote_of_id.is_not(None))) >= 1
        assert count(session, select(func.count()).where(Post.visibility == "private")) >= 1
        assert count(session, select(func.count()).where(Post.visibility == "direct")) >= 1
        assert count(session, select(func.count()).select_from(Favourite)) >= 50
        assert count(session, select(func.count()).select_from(Bookmark)) >= 1
        tags = set(session.scalars(select(Tag.name)))
        assert {"café", "météo", "opensource"} <= tags


def test_threads_are_several_posts_deep(seeded: tuple[Database, Settings, str]) -> None:
    db, _settings, _summary = seeded
    parent = aliased(Post)
    with db.read() as session:
        # A reply to a reply: at least three posts in a row.
        deep = select(func.count()).select_from(Post).join(parent, parent.id == Post.in_reply_to_id)
        assert count(session, deep.where(parent.in_reply_to_id.is_not(None))) >= 5


def test_follows_are_asymmetric(seeded: tuple[Database, Settings, str]) -> None:
    db, _settings, _summary = seeded
    with db.read() as session:
        pairs = {(a, b) for a, b in session.execute(select(Follow.account_id, Follow.target_account_id))}
        assert len(pairs) >= 60
        assert any((b, a) not in pairs for a, b in pairs)
        followers = sorted(a.followers_count for a in session.scalars(select(Account)))
        assert followers[-1] >= 3 * max(followers[0], 1)
        assert count(session, select(func.count()).select_from(FollowRequest)) >= 1


def test_every_background_job_ran(seeded: tuple[Database, Settings, str]) -> None:
    db, _settings, _summary = seeded
    assert pending_count(db) == 0


def test_home_feeds_are_filled(seeded: tuple[Database, Settings, str]) -> None:
    db, _settings, _summary = seeded
    with db.read() as session:
        reader = session.scalar(select(Account).where(Account.username_key == ACCOUNTS[2].username))
        assert reader is not None
        feed = timelines.home(session, viewer_id=reader.id, page=Page(limit=20))
        assert len(feed) == 20
        assert any(view.post.account_id != reader.id for view in feed)


def test_a_second_run_changes_nothing(seeded: tuple[Database, Settings, str]) -> None:
    db, settings, _summary = seeded

    def totals() -> tuple[int, int, int, int]:
        with db.read() as session:
            return (
                count(session, select(func.count()).select_from(Account)),
                count(session, select(func.count()).select_from(Post)),
                count(session, select(func.count()).select_from(Follow)),
                count(session, select(func.count()).select_from(Favourite)),
            )

    before = totals()
    message = seed_demo(db, settings, password=PASSWORD)
    assert "already there" in message
    assert totals() == before


def test_a_weak_password_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    migrate.upgrade(settings.resolved_database_url)
    db = Database(settings.resolved_database_url)
    try:
        with pytest.raises(Invalid, match="too short"):
            seed_demo(db, settings, password="demo")
        with db.read() as session:
            assert count(session, select(func.count()).select_from(Account)) == 0
    finally:
        db.dispose()
