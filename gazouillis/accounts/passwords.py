"""Password hashing (argon2id) and the strength rule every sign-up and password change goes through."""

from __future__ import annotations

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

# argon2id with RFC 9106's second recommended profile (64 MiB, 3 passes, 4 lanes): ~0.15 s a hash here.
# A hash names its parameters, so raising them later still verifies every stored one.
PARAMETERS = profiles.RFC_9106_LOW_MEMORY
_hasher = PasswordHasher.from_parameters(PARAMETERS)

MIN_LENGTH = 8
MAX_LENGTH = 128
# The most common passwords in public breach lists; each is refused outright.
_COMMON = frozenset(
    [
        "12345678",
        "123456789",
        "1234567890",
        "password",
        "password1",
        "password123",
        "qwertyuiop",
        "qwerty123",
        "11111111",
        "00000000",
        "iloveyou",
        "azertyuiop",
        "azerty123",
        "motdepasse",
        "motdepasse1",
        "abcdefgh",
        "abc12345",
        "letmein1",
        "welcome1",
        "sunshine",
        "football",
        "baseball",
        "princess",
        "superman",
        "trustno1",
        "passw0rd",
        "1q2w3e4r",
        "1qaz2wsx",
        "zaq12wsx",
        "87654321",
        "12341234",
    ]
)


def password_problem(password: str, *, username: str = "", email: str = "") -> str | None:
    """Why ``password`` is not acceptable, or None when it is."""
    if not password:
        return "Password can't be blank"
    if len(password) < MIN_LENGTH:
        return f"Password is too short (minimum is {MIN_LENGTH} characters)"
    if len(password) > MAX_LENGTH:
        return f"Password is too long (maximum is {MAX_LENGTH} characters)"
    lowered = password.lower()
    if lowered in _COMMON or len(set(password)) < 4:
        return "Password is too easy to guess"
    if username and lowered == username.lower():
        return "Password must not be your username"
    if email and lowered == email.lower():
        return "Password must not be your e-mail address"
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; never raises on a malformed hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
