"""Password hashes: argon2id with the parameters production uses, and checks that never raise."""

from __future__ import annotations

from argon2 import PasswordHasher, Type, profiles

from gazouillis.accounts import passwords
from tests.conftest import PASSWORD


def test_production_hashes_are_argon2id_with_rfc_9106_parameters() -> None:
    found = passwords.PARAMETERS
    assert found.type is Type.ID
    assert (found.memory_cost, found.time_cost, found.parallelism) == (65_536, 3, 4)


def test_hashes_of_any_parameters_verify() -> None:
    # The suite hashes with argon2's cheapest parameters (tests/conftest.py); stored hashes name theirs.
    real = PasswordHasher.from_parameters(passwords.PARAMETERS).hash(PASSWORD)
    cheap = PasswordHasher.from_parameters(profiles.CHEAPEST).hash(PASSWORD)
    for stored in (real, cheap, passwords.hash_password(PASSWORD)):
        assert passwords.verify_password(stored, PASSWORD)
        assert not passwords.verify_password(stored, PASSWORD + "!")


def test_a_malformed_hash_is_a_wrong_password() -> None:
    assert not passwords.verify_password("not a hash", PASSWORD)
    assert not passwords.verify_password("", PASSWORD)
