"""OAuth 2 tables: registered applications, access tokens and authorization codes.

Secrets that act as credentials (tokens, codes) are stored as SHA-256 digests only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gazouillis.storage import Base, utcnow


class Application(Base):
    __tablename__ = "oauth_applications"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(2000), default=None)
    # Newline-separated, as Mastodon stores them.
    redirect_uris: Mapped[str] = mapped_column(Text)
    scopes: Mapped[str] = mapped_column(Text, default="read")
    client_id: Mapped[str] = mapped_column(String(100), unique=True)
    client_secret: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AccessToken(Base):
    __tablename__ = "oauth_tokens"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("oauth_applications.id", ondelete="CASCADE"))
    # Empty for app-only tokens (client_credentials).
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), default=None, index=True
    )
    scopes: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class AuthorizationCode(Base):
    __tablename__ = "oauth_codes"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    code_digest: Mapped[str] = mapped_column(String(64), unique=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("oauth_applications.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    redirect_uri: Mapped[str] = mapped_column(Text)
    scopes: Mapped[str] = mapped_column(Text)
    code_challenge: Mapped[str | None] = mapped_column(String(200), default=None)
    code_challenge_method: Mapped[str | None] = mapped_column(String(10), default=None)
    expires_at: Mapped[datetime]
    used: Mapped[bool] = mapped_column(default=False)
