"""Accounts: sign-up, log-in checks, profiles and look-ups."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.orm import Session

from gazouillis.accounts import throttle
from gazouillis.accounts.passwords import hash_password, password_problem, verify_password

# Profile editing lives in profiles.py; re-exported for the callers that know it as accounts.service.*
from gazouillis.accounts.profiles import ProfileChanges as ProfileChanges
from gazouillis.accounts.profiles import update_profile as update_profile
from gazouillis.accounts.tables import Account, User
from gazouillis.errors import Forbidden, Invalid, NotFound
from gazouillis.hot import HotStatement
from gazouillis.ids import new_id
from gazouillis.storage import Database

USERNAME_RE = re.compile(r"^[A-Za-z0-9_]{1,30}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Names that would collide with pages or look official.
RESERVED = frozenset(
    [
        "admin",
        "administrator",
        "root",
        "api",
        "oauth",
        "about",
        "settings",
        "explore",
        "search",
        "tags",
        "users",
        "web",
        "www",
        "mail",
        "support",
        "help",
        "healthz",
        "static",
        "media",
        "nodeinfo",
        "well_known",
        "gazouillis",
    ]
)
REGISTRATION_MODES = ("open", "approval", "closed")


def _detail(code: str, description: str) -> list[dict[str, str]]:
    return [{"error": code, "description": description}]


def _sentence(field: str, description: str) -> str:
    """``Username is already taken``; descriptions that already name their field are kept as they are."""
    name = field.capitalize()
    return description if description.startswith(name) else f"{name} {description}"


def create_account(
    session: Session,
    *,
    username: str,
    email: str,
    password: str,
    admin: bool = False,
    approved: bool = True,
    locale: str = "",
    reason: str = "",
) -> Account:
    """Create a local account and its user; raise Invalid (with per-field details) and change nothing."""
    details: dict[str, list[dict[str, str]]] = {}
    username = username.strip()
    email = email.strip()
    if not username:
        details["username"] = _detail("ERR_BLANK", "can't be blank")
    elif not USERNAME_RE.match(username):
        details["username"] = _detail("ERR_INVALID", "only letters, numbers and underscores (at most 30)")
    elif username.lower() in RESERVED:
        details["username"] = _detail("ERR_RESERVED", "is reserved")
    elif session.scalar(select(Account.id).where(Account.username_key == username.lower())) is not None:
        details["username"] = _detail("ERR_TAKEN", "is already taken")
    if not EMAIL_RE.match(email):
        details["email"] = _detail("ERR_INVALID", "is not a valid e-mail address")
    elif session.scalar(select(User.account_id).where(User.email == email.lower())) is not None:
        details["email"] = _detail("ERR_TAKEN", "is already taken")
    problem = password_problem(password, username=username, email=email)
    if problem:
        details["password"] = _detail("ERR_INVALID", problem)
    if details:
        summary = ", ".join(_sentence(field, d[0]["description"]) for field, d in details.items())
        raise Invalid(f"Validation failed: {summary}", details=details)
    account = Account(id=new_id(), username=username, username_key=username.lower(), fields=[])
    session.add(account)
    session.flush()
    session.add(
        User(
            account_id=account.id,
            email=email.lower(),
            password_hash=hash_password(password),
            admin=admin,
            approved=approved,
            locale=locale[:16],
            signup_reason=reason[:1000],
        )
    )
    session.flush()
    return account


def authenticate(session: Session, *, login: str, password: str) -> Account:
    """The account whose e-mail address or username is ``login`` and whose password matches."""
    login = login.strip()
    query = select(User, Account).join(Account, Account.id == User.account_id)
    if "@" in login:
        row = session.execute(query.where(User.email == login.lower())).first()
    else:
        row = session.execute(query.where(Account.username_key == login.lower().lstrip("@"))).first()
    if row is None or not verify_password(row.User.password_hash, password):
        raise Invalid("Invalid e-mail address or password")
    check_can_log_in(row.User)
    return row.Account


def check_can_log_in(user: User | Row[Any]) -> None:
    """Disabled or not yet approved logins may not act (``user``: a User or a row with its columns)."""
    if user.disabled:
        raise Forbidden("Your login is currently disabled")
    if not user.approved:
        raise Forbidden("Your login is currently pending approval")


def get_account(session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound()
    return account


def known_account_id(session: Session, account_id: int) -> int:
    """``account_id`` if that account exists, NotFound otherwise: for the pages of an account's posts or
    follows, which need no more of it (one indexed lookup, no ORM object)."""
    if not _account_exists().first(session, {"id": account_id}):
        raise NotFound()
    return account_id


@cache
def _account_exists() -> HotStatement:
    return HotStatement(select(Account.id).where(Account.id == bindparam("id")))


def get_user(session: Session, account_id: int) -> User:
    user = session.get(User, account_id)
    if user is None:
        raise NotFound()
    return user


def find_by_username(session: Session, username: str) -> Account | None:
    return session.scalar(select(Account).where(Account.username_key == username.lower()))


def lookup(session: Session, acct: str, *, local_domain: str) -> Account:
    """Resolve ``user``, ``@user`` or ``user@<this domain>`` to a local account."""
    name = acct.strip().lstrip("@")
    if "@" in name:
        name, _, domain = name.partition("@")
        if domain.lower() != local_domain.lower():
            raise NotFound()
    account = find_by_username(session, name) if USERNAME_RE.match(name) else None
    if account is None:
        raise NotFound()
    return account


def accounts_by_ids(session: Session, ids: list[int]) -> dict[int, Account]:
    if not ids:
        return {}
    return {a.id: a for a in session.scalars(select(Account).where(Account.id.in_(set(ids))))}


def list_users(session: Session) -> list[tuple[Account, User]]:
    rows = session.execute(
        select(Account, User).join(User, User.account_id == Account.id).order_by(Account.id)
    )
    return [(r.Account, r.User) for r in rows]


def count_local_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def change_password(
    session: Session, account_id: int, *, current: str, new: str, confirmation: str | None = None
) -> None:
    """Replace the password; raise Invalid with per-field details and change nothing on bad input.

    ``confirmation`` (the new password typed twice) is checked only when given: the web form asks for it.
    """
    user = get_user(session, account_id)
    details: dict[str, list[dict[str, str]]] = {}
    if not verify_password(user.password_hash, current):
        details["current_password"] = _detail("ERR_INVALID", "Current password is wrong")
    account = get_account(session, account_id)
    problem = password_problem(new, username=account.username, email=user.email)
    if problem:
        details["password"] = _detail("ERR_INVALID", problem)
    elif confirmation is not None and confirmation != new:
        details["password_confirmation"] = _detail("ERR_CONFIRMATION", "Password confirmation doesn't match")
    if details:
        raise Invalid(
            "Validation failed: " + ", ".join(d[0]["description"] for d in details.values()), details=details
        )
    user.password_hash = hash_password(new)


def approve(session: Session, username: str) -> Account:
    account = find_by_username(session, username)
    if account is None:
        raise NotFound(f"No account named {username}")
    get_user(session, account.id).approved = True
    return account


def log_in(db: Database, *, login: str, password: str, address: str = "") -> Account:
    """Check a log-in attempt, throttled: failures are recorded (and committed) even though they raise."""
    with db.read() as session:
        throttle.check(session, login=login, address=address)
        try:
            return authenticate(session, login=login, password=password)
        except Invalid:
            pass
    with db.write() as session:
        throttle.record_failure(session, login=login, address=address)
    raise Invalid("Invalid e-mail address or password")


def session_user(db: Database, account_id: int) -> tuple[Account, User] | None:
    """The account and user behind a signed-in browser session, if they still exist and may log in."""
    with db.read() as session:
        row = session.execute(
            select(Account, User).join(User, User.account_id == Account.id).where(Account.id == account_id)
        ).first()
    if row is None or row.User.disabled or not row.User.approved:
        return None
    return row.Account, row.User


def get_user_for_session(db: Database, account_id: int) -> User:
    with db.read() as session:
        return get_user(session, account_id)


def set_locale(session: Session, account_id: int, language: str) -> None:
    get_user(session, account_id).locale = language[:16]
