"""Trends: the scoring functions, the rankings on a database, and the API."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from starlette.testclient import TestClient

from gazouillis.ids import id_at, new_id
from gazouillis.posts.tables import Favourite, Post
from gazouillis.storage import Database
from gazouillis.trends import scoring
from gazouillis.trends import service as trends
from tests.conftest import User
from tests.tags.test_tags_domain import make_accounts, make_tag, post_at

NOW = datetime(2024, 5, 10, 15, 30, tzinfo=UTC)


def test_tag_score_surge_beats_steady_volume() -> None:
    # 60 people an hour all week, 360 in the last 6 hours: busy, but as usual.
    steady = scoring.tag_score(360, 60.0)
    # Never used before, 8 people in the last 6 hours.
    surging = scoring.tag_score(8, 0.0)
    assert steady == 0.0 and surging > 0
    # A busy tag with a real surge trends too, but a small new one can beat it.
    assert scoring.tag_score(450, 60.0) > 0
    assert scoring.tag_score(1, 0.0) == 0.0  # one person is not a trend
    assert scoring.tag_score(2, 0.0) > 0
    assert scoring.tag_score(10, 0.0) > scoring.tag_score(5, 0.0)  # more people, more trending
    assert scoring.tag_score(10, 0.0) > scoring.tag_score(10, 1.0)  # against a higher usual level, less


def test_post_score_engagement_and_recency() -> None:
    assert scoring.post_score(0, 1.0) == 0.0
    assert scoring.post_score(5, 1.0) > scoring.post_score(5, 10.0)  # same engagement, newer first
    assert scoring.post_score(10, 5.0) > scoring.post_score(2, 5.0)


def test_rank_tags_prefers_the_surge(db: Database) -> None:
    people = make_accounts(db, 12)
    steady, surge, lonely, hidden = (make_tag(db, n) for n in ("steady", "surge", "lonely", "hidden"))
    # "steady": 3 people every 6 hours for the past week, and 3 in the last hours.
    for hours_ago in range(1, 7 * 24, 6):
        for who in people[:3]:
            post_at(db, who, NOW - timedelta(hours=hours_ago + 6), [steady])
    for who in people[:3]:
        post_at(db, who, NOW - timedelta(hours=1), [steady])
    for who in people[3:8]:
        post_at(db, who, NOW - timedelta(hours=2), [surge])
    post_at(db, people[0], NOW - timedelta(hours=1), [lonely])
    post_at(db, people[0], NOW - timedelta(hours=1), [lonely])
    for who in people:  # many people, but followers-only posts never count
        post_at(db, who, NOW - timedelta(hours=1), [hidden], "private")
    with db.read() as session:
        ranked = trends.rank_tags(session, now=NOW)
    assert ranked[0] == surge
    assert lonely not in ranked and hidden not in ranked
    assert steady not in ranked or ranked.index(steady) > ranked.index(surge)


def test_rank_posts_public_recent_engaged(db: Database) -> None:
    author, *fans = make_accounts(db, 6)
    recent = post_at(db, author, NOW - timedelta(hours=1), [])
    older = post_at(db, author, NOW - timedelta(hours=20), [])
    private = post_at(db, author, NOW - timedelta(hours=1), [], "private")
    stale = post_at(db, author, NOW - timedelta(days=3), [])
    lonely = post_at(db, author, NOW - timedelta(hours=1), [])
    with db.write() as session:
        likes = [(p, f) for p in (recent, older, private, stale) for f in fans[:4]]
        likes.append((lonely, author))  # one's own like is not engagement
        session.execute(
            insert(Favourite),
            [{"id": new_id(), "account_id": f, "post_id": p} for p, f in likes],
        )
        # A repost and a reply by an account that also liked: still one engaged account.
        session.execute(
            insert(Post),
            [
                {"id": id_at(int(NOW.timestamp() * 1000)) + 7, "account_id": fans[0], "reblog_of_id": older},
                {
                    "id": id_at(int(NOW.timestamp() * 1000)) + 8,
                    "account_id": fans[4],
                    "in_reply_to_id": older,
                    "in_reply_to_account_id": author,
                },
            ],
        )
    with db.read() as session:
        ranked = trends.rank_posts(session, now=NOW)
    assert ranked[:2] == [recent, older]
    assert private not in ranked and stale not in ranked and lonely not in ranked


def test_trends_api(alice: User, bob: User, carol: User, client: TestClient) -> None:
    alice.status("#Surge now")
    bob.status("#surge too")
    carol.status("#surge private", visibility="private")
    popular = alice.status("look at this")
    secret = alice.status("followers only", visibility="private")
    for who in (bob, carol):
        who.post(f"/api/v1/statuses/{popular['id']}/favourite")
    bob.post(f"/api/v1/accounts/{alice.id}/follow")
    bob.post(f"/api/v1/statuses/{secret['id']}/favourite")
    r = client.get("/api/v1/trends/tags")
    assert r.status_code == 200
    assert [t["name"] for t in r.json()] == ["surge"]
    assert r.json()[0]["history"][0]["uses"] == "2"  # the private post is not counted
    assert client.get("/api/v1/trends").json() == r.json()
    assert bob.get("/api/v1/trends/tags").json()[0]["following"] is False
    statuses = client.get("/api/v1/trends/statuses").json()
    assert [s["id"] for s in statuses] == [popular["id"]]
    assert secret["id"] not in [s["id"] for s in bob.get("/api/v1/trends/statuses").json()]
    # Offsets and limits: absurd values are clamped, the Link header carries the offset.
    assert client.get("/api/v1/trends/statuses", params={"limit": 100000, "offset": -5}).status_code == 200
    assert client.get("/api/v1/trends/statuses", params={"offset": 1}).json() == []
    r = client.get("/api/v1/trends/statuses", params={"offset": 1, "limit": 1})
    assert re.search(r'offset=0>; rel="prev"', r.headers["link"])
    assert client.get("/api/v1/trends/tags", params={"limit": "x"}).status_code == 400


def test_trending_posts_link_next(alice: User, bob: User, client: TestClient, make_user: Any) -> None:
    posts = [alice.status(f"post {n}") for n in range(3)]
    for p in posts:
        bob.post(f"/api/v1/statuses/{p['id']}/favourite")
    r = client.get("/api/v1/trends/statuses", params={"limit": 2})
    assert len(r.json()) == 2
    nxt = re.search(r'<([^>]+)>; rel="next"', r.headers["link"])
    assert nxt is not None and "offset=2" in nxt.group(1)
    assert len(client.get(nxt.group(1)).json()) == 1
