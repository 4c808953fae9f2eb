"""Tables of accounts (the public identity) and users (the login behind a local account)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gazouillis.storage import Base, utcnow


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    username: Mapped[str] = mapped_column(String(30))
    # Lower-cased username: usernames are unique whatever their case.
    username_key: Mapped[str] = mapped_column(String(30), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(2000), default="")
    fields: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    locked: Mapped[bool] = mapped_column(default=False)
    bot: Mapped[bool] = mapped_column(default=False)
    discoverable: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_status_at: Mapped[datetime | None] = mapped_column(default=None)
    statuses_count: Mapped[int] = mapped_column(default=0)
    followers_count: Mapped[int] = mapped_column(default=0)
    following_count: Mapped[int] = mapped_column(default=0)


class User(Base):
    __tablename__ = "users"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    # Lower-cased e-mail address, unique.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    admin: Mapped[bool] = mapped_column(default=False)
    # False while an account waits for approval (registrations = approval).
    approved: Mapped[bool] = mapped_column(default=True)
    disabled: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str] = mapped_column(String(16), default="")
    signup_reason: Mapped[str] = mapped_column(Text, default="")
    default_visibility: Mapped[str] = mapped_column(String(10), default="public")
    default_sensitive: Mapped[bool] = mapped_column(default=False)
    default_language: Mapped[str] = mapped_column(String(16), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
