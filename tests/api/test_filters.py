"""Keyword filters v2 (and v1) through the API: CRUD, validation, and how they screen timelines."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from sqlalchemy import update

from gazouillis.filters.tables import Filter
from gazouillis.storage import Database, utcnow
from tests.conftest import User


def _ids(statuses: list[dict[str, Any]]) -> list[str]:
    return [s["id"] for s in statuses]


def _put(user: User, path: str, **kw: Any) -> Any:
    return user.client.put(path, headers=user.auth, **kw)


def _filter(user: User, **body: Any) -> dict[str, Any]:
    r = user.post("/api/v2/filters", json={"context": ["home", "public"], "filter_action": "warn", **body})
    assert r.status_code == 200, r.text
    return r.json()


def test_create_read_update_delete_a_filter(alice: User) -> None:
    created = _filter(
        alice,
        title="Spoilers",
        expires_in=3600,
        keywords_attributes=[{"keyword": "dragon", "whole_word": True}, {"keyword": "épisode"}],
    )
    assert created["title"] == "Spoilers" and created["context"] == ["home", "public"]
    assert created["filter_action"] == "warn" and created["expires_at"]
    assert [(k["keyword"], k["whole_word"]) for k in created["keywords"]] == [
        ("dragon", True),
        ("épisode", True),
    ]
    fid = created["id"]
    assert alice.get(f"/api/v2/filters/{fid}").json() == created
    assert alice.get("/api/v2/filters").json() == [created]

    dragon = created["keywords"][0]["id"]
    r = _put(
        alice,
        f"/api/v2/filters/{fid}",
        json={
            "title": "TV",
            "filter_action": "hide",
            "keywords_attributes": [
                {"id": dragon, "_destroy": True},
                {"keyword": "finale", "whole_word": False},
            ],
        },
    )
    assert r.status_code == 200, r.text
    changed = r.json()
    assert changed["title"] == "TV" and changed["filter_action"] == "hide"
    assert [(k["keyword"], k["whole_word"]) for k in changed["keywords"]] == [
        ("épisode", True),
        ("finale", False),
    ]
    # Keywords one by one, in form encoding.
    r = alice.post(f"/api/v2/filters/{fid}/keywords", data={"keyword": "saison", "whole_word": "0"})
    kw = r.json()
    assert kw["keyword"] == "saison" and kw["whole_word"] is False
    assert (
        _put(alice, f"/api/v2/filters/keywords/{kw['id']}", data={"keyword": "saisons"}).json()["keyword"]
        == "saisons"
    )
    assert alice.get(f"/api/v2/filters/keywords/{kw['id']}").json()["keyword"] == "saisons"
    assert len(alice.get(f"/api/v2/filters/{fid}/keywords").json()) == 3
    assert alice.delete(f"/api/v2/filters/keywords/{kw['id']}").json() == {}
    assert alice.get(f"/api/v2/filters/keywords/{kw['id']}").status_code == 404
    assert alice.delete(f"/api/v2/filters/{fid}").json() == {}
    assert alice.get("/api/v2/filters").json() == []


def test_form_encoding_of_keywords_attributes(alice: User) -> None:
    r = alice.post(
        "/api/v2/filters",
        content=urlencode(
            [
                ("title", "Form"),
                ("context[]", "home"),
                ("context[]", "thread"),
                ("keywords_attributes[][keyword]", "one"),
                ("keywords_attributes[][whole_word]", "1"),
                ("keywords_attributes[][keyword]", "two"),
                ("keywords_attributes[][whole_word]", "0"),
            ]
        ),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["context"] == ["home", "thread"] and body["filter_action"] == "warn"
    assert [(k["keyword"], k["whole_word"]) for k in body["keywords"]] == [("one", True), ("two", False)]


def test_bad_input_is_refused_and_changes_nothing(alice: User, bob: User) -> None:
    cases = [
        ({"context": ["home"]}, "Title"),
        ({"title": "x"}, "Context"),
        ({"title": "x", "context": ["everywhere"]}, "Context"),
        ({"title": "x", "context": ["home"], "filter_action": "explode"}, "Filter action"),
        ({"title": "x", "context": ["home"], "keywords_attributes": [{"keyword": " "}]}, "Keyword"),
        ({"title": "x", "context": ["home"], "expires_in": -1}, "Expires"),
    ]
    for body, word in cases:
        r = alice.post("/api/v2/filters", json=body)
        assert r.status_code == 422, (body, r.text)
        assert word in r.json()["error"]
    assert alice.get("/api/v2/filters").json() == []
    mine = _filter(alice, title="Mine", keywords_attributes=[{"keyword": "kept"}])
    r = _put(
        alice,
        f"/api/v2/filters/{mine['id']}",
        json={"title": "", "keywords_attributes": [{"keyword": "new"}]},
    )
    assert r.status_code == 422
    assert alice.get(f"/api/v2/filters/{mine['id']}").json() == mine
    # Someone else's filter, keyword or unknown ids: not found.
    for path in (f"/api/v2/filters/{mine['id']}", f"/api/v2/filters/keywords/{mine['keywords'][0]['id']}"):
        assert bob.get(path).status_code == 404
        assert bob.delete(path).status_code == 404
    assert _put(bob, f"/api/v2/filters/{mine['id']}", json={"title": "taken"}).status_code == 404
    assert alice.get("/api/v2/filters/123456").status_code == 404
    assert alice.get("/api/v2/filters/statuses/123456").status_code == 404
    assert alice.get(f"/api/v2/filters/{mine['id']}").json() == mine


def test_whole_word_substring_case_and_accents(alice: User, bob: User) -> None:
    posts = {
        "cafe": bob.status("Un CAFÉ s'il vous plaît"),
        "cafes": bob.status("Les cafés sont ouverts"),
        "cat": bob.status("concatenate strings"),
        "none": bob.status("nothing to see"),
    }
    _filter(alice, title="Café", keywords_attributes=[{"keyword": "cafe", "whole_word": True}])
    _filter(alice, title="Cat", keywords_attributes=[{"keyword": "cat", "whole_word": False}])
    shown = {s["id"]: s for s in alice.get("/api/v1/timelines/public").json()}
    titles = {name: [f["filter"]["title"] for f in shown[p["id"]]["filtered"]] for name, p in posts.items()}
    assert titles == {"cafe": ["Café"], "cafes": [], "cat": ["Cat"], "none": []}
    result = shown[posts["cafe"]["id"]]["filtered"][0]
    assert result["keyword_matches"] == ["cafe"] and result["status_matches"] is None
    assert set(result["filter"]) == {"id", "title", "context", "expires_at", "filter_action"}
    # Filters are the viewer's own: bob sees nothing filtered; nor does a visitor.
    assert all(s["filtered"] == [] for s in bob.get("/api/v1/timelines/public").json())
    assert all(s["filtered"] == [] for s in alice.client.get("/api/v1/timelines/public").json())


def test_hide_removes_and_warn_keeps_and_contexts_count(
    alice: User, bob: User, carol: User, drain: Any
) -> None:
    alice.post(f"/api/v1/accounts/{bob.id}/follow")
    alice.post(f"/api/v1/accounts/{carol.id}/follow")
    hidden = bob.status("the murder was the butler")
    warned = bob.status("a little politics")
    carol.post(f"/api/v1/statuses/{hidden['id']}/reblog")  # a repost of a hidden post goes too
    drain()
    _filter(alice, title="Crime", filter_action="hide", keywords_attributes=[{"keyword": "murder"}])
    _filter(alice, title="Politics", context=["public"], keywords_attributes=[{"keyword": "politics"}])
    home = alice.get("/api/v1/timelines/home").json()
    assert hidden["id"] not in _ids(home) + [s["reblog"]["id"] for s in home if s["reblog"]]
    assert [s["filtered"] for s in home if s["id"] == warned["id"]] == [[]]  # not in the home context
    public = {s["id"]: s for s in alice.get("/api/v1/timelines/public").json()}
    assert hidden["id"] not in public  # the hide filter has both contexts
    assert public[warned["id"]]["filtered"][0]["filter"]["title"] == "Politics"
    # The thread context is not among them: the thread still shows the post.
    assert alice.get(f"/api/v1/accounts/{bob.id}/statuses").json()[0]["filtered"] == []


def test_expired_filters_are_ignored(alice: User, bob: User, db: Database) -> None:
    post = bob.status("old news")
    _filter(alice, title="News", filter_action="hide", keywords_attributes=[{"keyword": "news"}])
    assert post["id"] not in _ids(alice.get("/api/v1/timelines/public").json())
    with db.write() as session:
        session.execute(update(Filter).values(expires_at=utcnow()))
    assert post["id"] in _ids(alice.get("/api/v1/timelines/public").json())
    assert alice.get("/api/v2/filters").json()[0]["expires_at"]  # still listed, to renew


def test_filter_a_single_status(alice: User, bob: User) -> None:
    post = bob.status("this one exactly")
    other = bob.status("not this one")
    fid = _filter(alice, title="One post")["id"]
    r = alice.post(f"/api/v2/filters/{fid}/statuses", data={"status_id": post["id"]})
    assert r.status_code == 200, r.text
    entry = r.json()
    assert entry["status_id"] == post["id"]
    assert alice.get(f"/api/v2/filters/{fid}/statuses").json() == [entry]
    assert alice.get(f"/api/v2/filters/statuses/{entry['id']}").json() == entry
    shown = {s["id"]: s for s in alice.get("/api/v1/timelines/public").json()}
    assert shown[post["id"]]["filtered"][0]["status_matches"] == [post["id"]]
    assert shown[other["id"]]["filtered"] == []
    assert alice.post(f"/api/v2/filters/{fid}/statuses", data={"status_id": "999"}).status_code == 404
    assert alice.delete(f"/api/v2/filters/statuses/{entry['id']}").json() == {}
    assert alice.get(f"/api/v2/filters/{fid}/statuses").json() == []


def test_filters_v1(alice: User, bob: User) -> None:
    r = alice.post(
        "/api/v1/filters", data={"phrase": "spoiler", "context[]": ["public"], "irreversible": "true"}
    )
    assert r.status_code == 200, r.text
    v1 = r.json()
    assert v1["phrase"] == "spoiler" and v1["irreversible"] is True and v1["whole_word"] is True
    assert alice.get("/api/v1/filters").json() == [v1]
    post = bob.status("a spoiler here")
    assert post["id"] not in _ids(alice.get("/api/v1/timelines/public").json())
    changed = _put(
        alice, f"/api/v1/filters/{v1['id']}", data={"phrase": "spoilers", "irreversible": "false"}
    ).json()
    assert changed["phrase"] == "spoilers" and changed["irreversible"] is False
    assert alice.delete(f"/api/v1/filters/{v1['id']}").json() == {}
    assert alice.get("/api/v2/filters").json() == []
