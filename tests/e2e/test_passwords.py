"""The real server stores argon2id hashes with production's parameters (the suite's own in-process
accounts use cheap ones: tests/conftest.py)."""

from __future__ import annotations

from argon2 import Type, extract_parameters
from mastodon import Mastodon
from sqlalchemy import select

from gazouillis.accounts.tables import Account, User
from gazouillis.storage import Database
from tests.conftest import PASSWORD
from tests.e2e.conftest import Server


def _stored_hash(db: Database, username: str) -> str:
    with db.read() as session:
        query = select(User.password_hash).join(Account, Account.id == User.account_id)
        return session.scalars(query.where(Account.username == username)).one()


def test_sign_up_through_the_server_hashes_with_production_parameters(server: Server, db: Database) -> None:
    client_id, client_secret = Mastodon.create_app("signup", api_base_url=server.url)
    anon = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=server.url)
    token = anon.create_account("dora", PASSWORD, "dora@example.org", agreement=True)
    assert Mastodon(access_token=token, api_base_url=server.url).me()["acct"] == "dora"
    found = extract_parameters(_stored_hash(db, "dora"))
    assert found.type is Type.ID
    assert (found.memory_cost, found.time_cost, found.parallelism) == (65_536, 3, 4)
    # And the password logs in with it.
    server.mastodon("dora@example.org").me()
