"""The SQL feed store's table: one row per post in a reader's home feed."""

from __future__ import annotations

from sqlalchemy import Index
from sqlalchemy.orm import Mapped, mapped_column

from gazouillis.storage import Base


class FeedEntry(Base):
    __tablename__ = "feed_entries"
    __table_args__ = (
        Index("ix_feed_entries_post_id", "post_id"),
        Index("ix_feed_entries_account_id_author_id", "account_id", "author_id"),
    )

    account_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    post_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    # Who put it there (the author, or the account that reposted it): unfollowing removes their entries.
    author_id: Mapped[int]
    # For a repost, the original: one original shows once in a feed however many people repost it.
    reblog_of_id: Mapped[int | None] = mapped_column(default=None)
