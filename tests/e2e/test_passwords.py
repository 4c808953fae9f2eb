"""The real server stores argon2id hashes with production's parameters (the suite's own in-process
accounts use cheap ones: tests/conftest.py)."""

from __future__ import annotations

from argon2 import extract_parameters
from mastodon import Mastodon

from gazouillis.accounts import passwords
from gazouillis.accounts import service as accounts
from gazouillis.storage import Database
from tests.conftest import PASSWORD
from tests.e2e.conftest import Server


def _stored_hash(db: Database, username: str) -> str:
    with db.read() as session:
        account = accounts.find_by_username(session, username)
        assert account is not None
        return accounts.get_user(session, account.id).password_hash


def test_sign_up_through_the_server_hashes_with_production_parameters(server: Server, db: Database) -> None:
    client_id, client_secret = Mastodon.create_app("signup", api_base_url=server.url)
    anon = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=server.url)
    token = anon.create_account("dora", PASSWORD, "dora@example.org", agreement=True)
    assert Mastodon(access_token=token, api_base_url=server.url).me()["acct"] == "dora"
    # Production's parameters (tests/test_passwords.py pins them), not the suite's cheap ones.
    assert extract_parameters(_stored_hash(db, "dora")) == passwords.PARAMETERS
    # And the password logs in with it.
    server.mastodon("dora@example.org").me()
