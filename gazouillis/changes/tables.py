"""The change log's table (written by triggers, read by every process's tail, pruned by job runners)."""

from __future__ import annotations

from sqlalchemy import BigInteger, FetchedValue, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from gazouillis.storage import Base

# Kinds of change: what ``ref`` names, and which cached pages it makes stale.
POST = "p"  # a post's row changed or went (counters, edit, delete): pages showing it
ACCOUNT = "a"  # an account's row changed or went (profile, counters): pages showing its posts
AUTHOR = "w"  # an account wrote or deleted a post: its own pages, and pages merging its posts (big accounts)
READER = "r"  # a reader's own state or feed changed: that reader's pages
TOKEN = "t"  # an access token's row changed or went (revoked, deleted): checks of that token remembered
LOGIN = "u"  # a login's row (users) changed or went (disabled, approval): checks of its account's tokens
EVERYTHING = "z"  # something no single reference covers (an account crossed the fan-out threshold)


class Change(Base):
    """One write that cached pages may depend on."""

    __tablename__ = "changes"
    __table_args__ = (Index("ix_changes_at", "at"), Index("ix_changes_txid", "txid"))

    # SQLite's rowid (assigned in commit order: one writer at a time); a bigserial on PostgreSQL.
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(1))
    ref: Mapped[int | None] = mapped_column(BigInteger)
    # Unix seconds when written (pruning), the database's default (:mod:`.triggers`): the clock, not the
    # transaction's start.
    at: Mapped[int] = mapped_column(BigInteger, server_default=FetchedValue())
    # PostgreSQL: the writing transaction's id (the column's default), which orders the tail by commit
    # (:mod:`.tail`); unused (NULL) on SQLite.
    txid: Mapped[int | None] = mapped_column(BigInteger, server_default=FetchedValue())
