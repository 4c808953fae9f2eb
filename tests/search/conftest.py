"""A small community driven through the domain functions, and a way to search it as someone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import insert, update

from gazouillis.accounts.tables import Account
from gazouillis.graph import service as graph
from gazouillis.graph.tables import Block
from gazouillis.ids import new_id
from gazouillis.pagination import Page
from gazouillis.posts import interactions
from gazouillis.posts.service import Draft, Rules, create_post, delete_post
from gazouillis.posts.tables import Post
from gazouillis.search import service
from gazouillis.storage import Database

RULES = Rules(max_length=280, base_url="http://testserver")


class Town:
    def __init__(self, db: Database) -> None:
        self.db = db

    def account(self, username: str, *, display_name: str = "", note: str = "", **extra: Any) -> int:
        account_id = new_id()
        row = {
            "id": account_id,
            "username": username,
            "username_key": username.lower(),
            "display_name": display_name,
            "note": note,
            **extra,
        }
        with self.db.write() as session:
            session.execute(insert(Account), [row])
        return account_id

    def post(self, author: int, text: str, **draft: Any) -> int:
        with self.db.write() as session:
            return create_post(session, author_id=author, draft=Draft(text=text, **draft), rules=RULES).id

    def dated(self, author: int, text: str, when: datetime) -> int:
        post_id = self.post(author, text)
        with self.db.write() as session:
            session.execute(update(Post).where(Post.id == post_id).values(created_at=when))
        return post_id

    def edit(self, post_id: int, text: str) -> None:
        with self.db.write() as session:
            session.execute(
                update(Post).where(Post.id == post_id).values(text=text, edited_at=datetime.now(UTC))
            )

    def delete(self, author: int, post_id: int) -> None:
        with self.db.write() as session:
            delete_post(session, viewer_id=author, post_id=post_id)

    def repost(self, who: int, post_id: int) -> int:
        with self.db.write() as session:
            return interactions.reblog(session, viewer_id=who, post_id=post_id).id

    def follow(self, reader: int, author: int) -> None:
        with self.db.write() as session:
            graph.follow(session, follower_id=reader, target_id=author)

    def block(self, who: int, target: int) -> None:
        with self.db.write() as session:
            session.execute(insert(Block), [{"id": new_id(), "account_id": who, "target_account_id": target}])

    def search(self, q: str, viewer: int | None = None, **request: Any) -> service.Results:
        page = request.pop("page", Page())
        with self.db.read() as session:
            return service.search(
                session,
                viewer_id=viewer,
                request=service.Request(q=q, page=page, **request),
                base_url="http://testserver",
                local_domain="testserver",
            )

    def posts(self, q: str, viewer: int | None = None, **request: Any) -> list[int]:
        found = self.search(q, viewer, types=("statuses",), **request)
        return [v.post.id for v in found.statuses]

    def people(self, q: str, viewer: int | None = None, **request: Any) -> list[int]:
        return [a.id for a in self.search(q, viewer, types=("accounts",), **request).accounts]


@pytest.fixture
def town(db: Database) -> Town:
    return Town(db)
