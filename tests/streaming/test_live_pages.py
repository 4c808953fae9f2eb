"""The pages' side of live updates: /live refuses bad streams, /live/posts shows only what may be seen."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.conftest import User


def test_live_posts_render_only_visible_posts(client: TestClient, alice: User) -> None:
    public = alice.status("for everyone")
    private = alice.status("for followers", visibility="private")
    r = client.get(f"/live/posts?ids={public['id']},{private['id']}")
    assert r.status_code == 200
    assert f'id="post-{public["id"]}"' in r.text and "for everyone" in r.text
    assert "for followers" not in r.text
    assert client.get("/live/posts?ids=1,abc").status_code == 400


def test_live_stream_refuses_what_it_cannot_serve(client: TestClient) -> None:
    assert client.get("/live?stream=nonsense").status_code == 400
    assert client.get("/live?stream=hashtag").status_code == 400  # no tag
    assert client.get("/live?stream=user").status_code == 401  # a visitor has no home
