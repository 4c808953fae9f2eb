"""Tables of lists: named sets of accounts whose posts make a timeline of their own."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from gazouillis.storage import Base, utcnow

REPLIES_POLICIES = ("followed", "list", "none")


class List(Base):
    __tablename__ = "lists"
    __table_args__ = (Index("ix_lists_account_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    replies_policy: Mapped[str] = mapped_column(String(10), default="list")
    # An exclusive list's members' posts leave the home timeline.
    exclusive: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ListMember(Base):
    __tablename__ = "list_members"

    list_id: Mapped[int] = mapped_column(ForeignKey("lists.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
