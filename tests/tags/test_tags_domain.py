"""Hashtag rules on the database alone: names, history by day (distinct accounts, public only)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from gazouillis.accounts.tables import Account
from gazouillis.errors import Invalid
from gazouillis.ids import id_at, new_id
from gazouillis.posts.tables import Post, PostTag
from gazouillis.storage import Database
from gazouillis.tags import history
from gazouillis.tags import service as tags

NOW = datetime(2024, 5, 10, 15, 30, tzinfo=UTC)


def make_accounts(db: Database, count: int) -> list[int]:
    ids = [new_id() for _ in range(count)]
    with db.write() as session:
        session.execute(
            insert(Account),
            [{"id": i, "username": f"a{n}", "username_key": f"a{n}"} for n, i in enumerate(ids)],
        )
    return ids


def post_at(
    db: Database, account_id: int, when: datetime, tag_ids: list[int], visibility: str = "public"
) -> int:
    """A post made at ``when`` (its id carries the time), carrying ``tag_ids``."""
    post_id = id_at(int(when.timestamp() * 1000)) + random.randrange(1 << 16)
    with db.write() as session:
        session.execute(insert(Post), [{"id": post_id, "account_id": account_id, "visibility": visibility}])
        if tag_ids:
            session.execute(insert(PostTag), [{"post_id": post_id, "tag_id": t} for t in tag_ids])
    return post_id


def make_tag(db: Database, name: str) -> int:
    with db.write() as session:
        return tags.ensure_tag(session, name).id


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("café", "café"),
        ("#Café", "Café"),
        ("日本語", "日本語"),
        ("a_b", "a_b"),
        ("123", None),
        ("a b", None),
        ("", None),
    ],
)
def test_valid_name(name: str, valid: str | None) -> None:
    assert tags.valid_name(name) == valid


def test_one_tag_whatever_the_case_or_width_but_accents_count(db: Database) -> None:
    with db.write() as session:
        first = tags.ensure_tag(session, "Café")
        assert tags.ensure_tag(session, "CAFÉ").id == first.id
        assert tags.ensure_tag(session, "ｃａｆé").id == first.id  # full width
        assert first.display_name == "Café" and first.name == "café"
        assert tags.ensure_tag(session, "cafe").id != first.id  # accents are not folded
        with pytest.raises(Invalid):
            tags.ensure_tag(session, "not a tag")
    with db.read() as session:
        assert tags.find_tag(session, "#CAFÉ") is not None
        assert tags.find_tag(session, "thé") is None


def test_history_days_distinct_accounts_and_visibility(db: Database) -> None:
    a, b, c = make_accounts(db, 3)
    tag, other = make_tag(db, "daily"), make_tag(db, "other")
    today = NOW.replace(hour=1)
    yesterday = today - timedelta(days=1)
    post_at(db, a, today, [tag])
    post_at(db, a, today, [tag])
    post_at(db, b, today, [tag], "unlisted")
    post_at(db, c, today, [tag], "private")  # never counted
    post_at(db, c, today, [tag], "direct")  # never counted
    post_at(db, c, yesterday, [tag])
    post_at(db, c, today - timedelta(days=6, hours=1), [tag])  # sixth day back
    post_at(db, c, today - timedelta(days=8), [tag])  # too old
    post_at(db, a, today, [other])
    post_at(db, a, NOW + timedelta(hours=2), [tag])  # in the future: not today's yet
    with db.read() as session:
        days = history.history(session, tag, now=NOW)
    assert len(days) == 7
    start = int(datetime(2024, 5, 10, tzinfo=UTC).timestamp())
    assert [d.day for d in days] == [start - i * 86_400 for i in range(7)]
    assert (days[0].uses, days[0].accounts) == (4, 2)  # 2 + 1 of a and b, and a's post later today
    assert (days[1].uses, days[1].accounts) == (1, 1)
    assert [d.uses for d in days[2:]] == [0, 0, 0, 0, 1]
