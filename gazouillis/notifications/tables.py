"""Tables of notifications and of read markers (how far a reader got in home and notifications)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from gazouillis.storage import Base, utcnow

TYPES = ("mention", "status", "reblog", "follow", "follow_request", "favourite", "quote", "update")


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_account_id_id", "account_id", "id"),
        Index("ix_notifications_post_id", "post_id"),
        Index("ix_notifications_from_account_id", "from_account_id"),
    )

    # Time-ordered: the cursor of the notifications list.
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    # Who is notified, by whom, of what.
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    from_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(32))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), default=None)
    # Grouped notifications (v2): notifications sharing a key are shown as one group.
    group_key: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Marker(Base):
    """The last item a reader has read in a timeline (``home`` or ``notifications``)."""

    __tablename__ = "markers"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    timeline: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_read_id: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
