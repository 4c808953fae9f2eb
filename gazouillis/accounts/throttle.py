"""Log-in throttling: after too many failed attempts for a login or from an address, wait a while.

Failures are rows in the database, so every web and API process sees the same count.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, delete, func, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from gazouillis.errors import RateLimited
from gazouillis.ids import new_id
from gazouillis.storage import Base, utcnow

WINDOW = timedelta(minutes=15)
MAX_FAILURES = 5


class LoginFailure(Base):
    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    # The lower-cased login tried, and the client address ("" when unknown).
    login: Mapped[str] = mapped_column(String(320), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def check(session: Session, *, login: str, address: str) -> None:
    """Refuse an attempt while the login or the address has too many recent failures."""
    since = utcnow() - WINDOW
    conditions = [LoginFailure.login == login.strip().lower()]
    if address:
        conditions.append(LoginFailure.address == address)
    recent = session.execute(
        select(func.count(), func.min(LoginFailure.created_at)).where(
            LoginFailure.created_at > since, or_(*conditions)
        )
    ).one()
    if recent[0] >= MAX_FAILURES:
        wait = max(1, int((recent[1] + WINDOW - utcnow()).total_seconds() // 60) + 1)
        raise RateLimited(f"Too many failed log-in attempts. Try again in {wait} minutes.")


def record_failure(session: Session, *, login: str, address: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.created_at < utcnow() - WINDOW))
    session.add(LoginFailure(id=new_id(), login=login.strip().lower()[:320], address=address[:64]))
