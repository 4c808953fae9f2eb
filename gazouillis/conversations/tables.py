"""Tables of direct-message conversations, as each participant sees them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gazouillis.storage import Base, utcnow


class AccountConversation(Base):
    """One participant's view of a conversation: the others in it, its last post, read or not."""

    __tablename__ = "account_conversations"
    __table_args__ = (
        UniqueConstraint("account_id", "conversation_id"),
        Index("ix_account_conversations_account_id_last_post_id", "account_id", "last_post_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    # The ``conversation_id`` of the posts in it (the id of the thread's first direct post).
    conversation_id: Mapped[int]
    # The other participants' account ids, sorted.
    participant_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    last_post_id: Mapped[int | None] = mapped_column(default=None)
    unread: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
