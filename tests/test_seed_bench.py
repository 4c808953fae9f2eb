"""``gazouillis seed bench``: a tiny bulk-written world must be as consistent as one built through the API."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import exists, func, select, text
from starlette.testclient import TestClient

from gazouillis.accounts.tables import Account, User
from gazouillis.app import create_app
from gazouillis.cli import build_parser
from gazouillis.config import Settings
from gazouillis.errors import Invalid
from gazouillis.graph.tables import Follow
from gazouillis.ids import timestamp_ms
from gazouillis.oauth.tables import AccessToken
from gazouillis.posts.tables import Favourite, Mention, Post, PostTag, Tag
from gazouillis.seed_bench import Summary, seed_bench
from gazouillis.storage import Database
from gazouillis.tables import metadata
from gazouillis.text import extract_hashtags, normalize_hashtag, render_html

ACCOUNTS, POSTS = 300, 2000


@pytest.fixture
def seeded(db: Database, settings: Settings, tmp_path: Path) -> Summary:
    return seed_bench(
        db,
        settings,
        profile="small",
        accounts=ACCOUNTS,
        posts=POSTS,
        name="tiny",
        out_dir=tmp_path,
        progress=False,
    )


def _by(session: Any, key: Any, *where: Any) -> Counter[int]:
    rows = session.execute(select(key, func.count()).where(*where).group_by(key)).all()
    return Counter({k: n for k, n in rows})


def test_counts_and_denormalised_counters_match_the_rows(db: Database, seeded: Summary) -> None:
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Account)) == ACCOUNTS
        assert session.scalar(select(func.count()).select_from(User)) == ACCOUNTS
        assert session.scalar(select(func.count()).select_from(Post)) == POSTS == seeded.posts
        assert session.scalar(select(func.count()).select_from(Follow)) == seeded.follows > ACCOUNTS
        assert session.scalar(select(func.count()).select_from(Favourite)) == seeded.likes > 0
        assert session.scalar(select(func.count()).select_from(AccessToken)) == seeded.readers

        followers = _by(session, Follow.target_account_id)
        following = _by(session, Follow.account_id)
        statuses = _by(session, Post.account_id)
        for account in session.scalars(select(Account)):
            assert account.followers_count == followers[account.id], account.username
            assert account.following_count == following[account.id], account.username
            assert account.statuses_count == statuses[account.id], account.username

        replies = _by(session, Post.in_reply_to_id, Post.in_reply_to_id.is_not(None))
        reblogs = _by(session, Post.reblog_of_id, Post.reblog_of_id.is_not(None))
        likes = _by(session, Favourite.post_id)
        assert replies and reblogs
        for post in session.scalars(select(Post)):
            assert post.replies_count == replies[post.id]
            assert post.reblogs_count == reblogs[post.id]
            assert post.favourites_count == likes[post.id]


def test_no_row_points_nowhere(db: Database, seeded: Summary) -> None:
    """The bulk load may skip per-row foreign-key checks on PostgreSQL: every reference must still hold."""
    with db.read() as session:
        for table in metadata.sorted_tables:
            for fk in table.foreign_keys:
                # An alias: posts.reblog_of_id refers to posts itself.
                target = fk.column.table.alias().c[fk.column.name]
                orphans = session.scalar(
                    select(func.count())
                    .select_from(table)
                    .where(fk.parent.is_not(None), ~exists().where(target == fk.parent))
                )
                assert orphans == 0, f"{table.name}.{fk.parent.name} -> {fk.column.table.name}"


def test_popularity_is_heavy_tailed_and_dates_are_real(db: Database, seeded: Summary) -> None:
    with db.read() as session:
        counts = sorted(session.scalars(select(Account.followers_count)))
        posts = list(session.scalars(select(Post).order_by(Post.id)))
    assert counts[-1] >= 10 * max(1, statistics.median(counts))
    assert seeded.max_followers == counts[-1]
    newest = max(p.created_at for p in posts)
    for post in posts:
        # Ids carry their post's time (gazouillis.ids layout), over the last 30 days.
        assert timestamp_ms(post.id) == int(post.created_at.timestamp() * 1000)
        assert (newest - post.created_at).days <= 30


def test_texts_render_exactly_as_the_service_would(db: Database, seeded: Summary, settings: Settings) -> None:
    with db.read() as session:
        usernames = {a.id: a.username for a in session.scalars(select(Account))}
        mentions = _pairs(session.execute(select(Mention.post_id, Mention.account_id)).all())
        tag_names = dict(session.execute(select(Tag.id, Tag.name)).all())
        tags = _pairs(session.execute(select(PostTag.post_id, PostTag.tag_id)).all())
        posts = list(session.scalars(select(Post).where(Post.reblog_of_id.is_(None))))
    languages = Counter(p.language for p in posts)
    assert set(languages) == {"fr", "en"}
    assert any(mentions.values()) and any(tags.values())
    by_name = {u.lower(): f"{settings.base_url}/@{u}" for u in usernames.values()}
    for post in posts:
        assert 0 < len(post.text) <= 280
        expected = render_html(post.text, base_url=settings.base_url, mentions_resolver=by_name.get)
        assert post.html == expected, post.text
        assert sorted(usernames[a] for a in mentions.get(post.id, [])) == sorted(
            u for u in by_name if f"@{u}" in post.text.lower().split()
        )
        assert {tag_names[t] for t in tags.get(post.id, [])} == {
            normalize_hashtag(h) for h in extract_hashtags(post.text)
        }
        if post.in_reply_to_account_id not in (None, post.account_id):
            assert post.text.startswith("@" + usernames[post.in_reply_to_account_id])


def _pairs(rows: Any) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for a, b in rows:
        out.setdefault(a, []).append(b)
    return out


def test_bulk_tokens_work_and_feeds_fill(
    client: TestClient, seeded: Summary, tmp_path: Path, drain: Any
) -> None:
    manifest = json.loads((tmp_path / ".bench-tiny.json").read_text())
    tokens = (tmp_path / ".tokens-tiny.txt").read_text().split()
    assert len(tokens) == len(manifest["readers"]) == seeded.readers
    for reader, token in list(zip(manifest["readers"], tokens, strict=True))[:20]:
        auth = {"Authorization": f"Bearer {token}"}
        me = client.get("/api/v1/accounts/verify_credentials", headers=auth)
        assert me.status_code == 200, me.text
        assert me.json()["id"] == reader
        client.get("/api/v1/timelines/home", headers=auth)  # warm: a missing feed is built on first read
        home = client.get("/api/v1/timelines/home", headers=auth)
        assert home.status_code == 200 and home.json(), reader

    # The fan-out probe: what the 1K author posts reaches its most recent follower.
    role = manifest["roles"]["around_1k"]
    follower = {"Authorization": f"Bearer {role['last_follower']['token']}"}
    client.get("/api/v1/timelines/home", headers=follower)
    posted = client.post(
        "/api/v1/statuses",
        data={"status": "Bonjour #bench"},
        headers={"Authorization": f"Bearer {role['token']}"},
    )
    assert posted.status_code == 200, posted.text
    drain()
    home = client.get("/api/v1/timelines/home", headers=follower).json()
    assert home[0]["id"] == posted.json()["id"]


def test_driver_files_name_readable_accounts_and_threads(
    client: TestClient, seeded: Summary, tmp_path: Path
) -> None:
    accounts = (tmp_path / ".ids-tiny-accounts.txt").read_text().split()
    threads = (tmp_path / ".ids-tiny-threads.txt").read_text().split()
    assert accounts and threads
    assert client.get(f"/api/v1/accounts/{accounts[0]}/statuses").json()
    context = client.get(f"/api/v1/statuses/{threads[0]}/context")
    assert context.status_code == 200 and context.json()["descendants"]


def test_an_instance_with_accounts_is_refused(
    db: Database, settings: Settings, seeded: Summary, tmp_path: Path
) -> None:
    with pytest.raises(Invalid):
        seed_bench(db, settings, accounts=ACCOUNTS, posts=POSTS, out_dir=tmp_path, progress=False)


def test_the_command_line_takes_sizes() -> None:
    args = build_parser().parse_args(
        ["seed", "bench", "--profile", "large", "--accounts", "50000", "--posts", "9"]
    )
    assert (args.profile, args.accounts, args.posts, args.prime_feeds) == ("large", 50000, 9, None)


def test_the_ceiling_is_a_home_page_sized_body_only_when_enabled(settings: Settings, db: Database) -> None:
    with TestClient(create_app(settings, database=db)) as client:
        assert client.get("/bench/ceiling").status_code == 404
    enabled = settings.model_copy(update={"bench_endpoints": True})
    with TestClient(create_app(enabled, database=db)) as client:
        r = client.get("/bench/ceiling")
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("application/json")
        statuses = r.json()
        assert len(statuses) == 20 and all(s["account"]["username"] for s in statuses)
        assert any(s["reblog"] for s in statuses)
        # Through the API's middleware: the same headers as a timeline page.
        page = client.get("/api/v1/timelines/public")
        assert set(r.headers) - {"link"} == set(page.headers) - {"link"}
        assert r.content == client.get("/bench/ceiling").content


def test_search_finds_the_loaded_posts(
    client: TestClient, seeded: Summary, db: Database, tmp_path: Path
) -> None:
    # Rows written straight to the tables (COPY, executemany) are searchable as if they had come one by
    # one: the full-text indexes (PostgreSQL) and the FTS5 triggers (SQLite) kept up during the load.
    if not db.is_sqlite:
        with db.read() as session:
            names = set(session.scalars(select(text("indexname")).select_from(text("pg_indexes"))))
        assert {"ix_search_posts", "ix_search_accounts"} <= names
    with db.read() as session:
        wanted = session.scalar(
            select(Post).where(Post.visibility == "public", Post.reblog_of_id.is_(None)).limit(1)
        )
        assert wanted is not None
        word = max(wanted.text.split(), key=len).strip(".,!?:;«»\"'")
    token = (tmp_path / ".tokens-tiny.txt").read_text().split()[0]
    found = client.get(
        "/api/v2/search",
        params={"q": word, "type": "statuses", "limit": 40, "account_id": wanted.account_id},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert found.status_code == 200, found.text
    assert str(wanted.id) in [s["id"] for s in found.json()["statuses"]]
