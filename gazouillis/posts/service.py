"""Posts: compose, read and delete. The API and the pages both call these; neither re-checks a rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from gazouillis import text
from gazouillis.accounts.tables import Account, User
from gazouillis.conversations import service as conversations
from gazouillis.counters import bump
from gazouillis.errors import Forbidden, Invalid, NotFound
from gazouillis.events import emit
from gazouillis.graph.hiding import blocked
from gazouillis.hot import HotStatement
from gazouillis.ids import new_id
from gazouillis.jobs.queue import enqueue
from gazouillis.notifications import service as notifications
from gazouillis.posts.tables import VISIBILITIES, IdempotencyKey, Mention, Post, PostTag, Tag
from gazouillis.posts.visibility import PUBLIC_LIKE, can_see
from gazouillis.storage import insert_ignore, insert_now, utcnow
from gazouillis.timelines.feeds import feeds_of

IDEMPOTENCY_WINDOW = timedelta(hours=1)
MENTIONS = Mention.__table__
POST_TAGS = PostTag.__table__
MAX_SPOILER = 1000


@dataclass(frozen=True)
class Draft:
    """What a member asks to post."""

    text: str
    visibility: str | None = None
    spoiler_text: str = ""
    sensitive: bool | None = None
    language: str | None = None
    in_reply_to_id: int | None = None
    quote_of_id: int | None = None
    application_id: int | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True)
class Rules:
    """The instance's rules a post is checked and rendered with."""

    max_length: int
    base_url: str


def get_visible(session: Session, viewer_id: int | None, post_id: int) -> Post:
    """The post, if it exists and ``viewer_id`` may see it; NotFound otherwise (never tell which).

    A block either way between the viewer and the author hides it too (so nobody likes, reposts, quotes
    or replies to the posts of someone who blocked them)."""
    post = session.get(Post, post_id)
    if post is None or not can_see(session, viewer_id, post):
        raise NotFound()
    if blocked(session, viewer_id, [post.account_id]):
        raise NotFound()
    return post


def weighted_length(body: str, max_length: int) -> text.ParseResult:
    return text.parse_text(body, text.DEFAULT_CONFIG.with_max_length(max_length))


def create_post(session: Session, *, author_id: int, draft: Draft, rules: Rules) -> Post:
    """Validate, store and schedule the fan-out of a new post; a repeated idempotency key gives the first."""
    if draft.idempotency_key:
        earlier = session.scalar(
            select(Post)
            .join(IdempotencyKey, IdempotencyKey.post_id == Post.id)
            .where(
                IdempotencyKey.account_id == author_id,
                IdempotencyKey.key == draft.idempotency_key,
                IdempotencyKey.created_at > utcnow() - IDEMPOTENCY_WINDOW,
            )
        )
        if earlier is not None:
            return earlier
    user = _author_defaults().first(session, {"id": author_id})
    visibility = draft.visibility or (user.default_visibility if user else "public")
    if visibility not in VISIBILITIES:
        raise Invalid("Validation failed: Visibility is not one of public, unlisted, private, direct")
    body = draft.text
    if not body.strip():
        raise Invalid("Validation failed: Text can't be blank")
    if len(draft.spoiler_text) > MAX_SPOILER:
        raise Invalid(f"Validation failed: Spoiler text is too long (maximum is {MAX_SPOILER} characters)")
    counted = weighted_length(draft.spoiler_text + body, rules.max_length)
    if counted.weighted_length > rules.max_length:
        raise Invalid(f"Validation failed: Text character limit of {rules.max_length} exceeded")
    if not counted.valid:
        raise Invalid("Validation failed: Text contains characters that are not allowed")

    parent = None
    if draft.in_reply_to_id is not None:
        parent = get_visible(session, author_id, draft.in_reply_to_id)
        if parent.reblog_of_id is not None:
            parent = get_visible(session, author_id, parent.reblog_of_id)
    quoted = None
    if draft.quote_of_id is not None:
        quoted = get_visible(session, author_id, draft.quote_of_id)
        if quoted.reblog_of_id is not None:
            quoted = get_visible(session, author_id, quoted.reblog_of_id)
        if quoted.visibility not in PUBLIC_LIKE and quoted.account_id != author_id:
            raise Forbidden("This post cannot be quoted")

    mentioned = _mentioned_accounts(session, body)
    post = Post(
        id=new_id(),
        account_id=author_id,
        text=body,
        html=_render(session, body, mentioned, rules.base_url, quoted),
        spoiler_text=draft.spoiler_text.strip(),
        sensitive=bool(draft.sensitive or draft.spoiler_text.strip() or (user and user.default_sensitive)),
        language=(draft.language or (user.default_language if user else "") or None),
        visibility=visibility,
        in_reply_to_id=parent.id if parent else None,
        in_reply_to_account_id=parent.account_id if parent else None,
        quote_of_id=quoted.id if quoted else None,
        application_id=draft.application_id,
    )
    # Rows written by statements of their own, not by flushes: all of this runs in SQLite's write lock.
    insert_now(session, post)
    if mentioned:
        session.execute(
            insert(MENTIONS), [{"post_id": post.id, "account_id": a.id} for a in mentioned.values()]
        )
    tag_ids = _ensure_tags(session, text.extract_hashtags(body))
    if tag_ids:
        session.execute(insert(POST_TAGS), [{"post_id": post.id, "tag_id": t} for t in tag_ids])
    _count_post().run(session, {"author": author_id, "at": post.created_at})
    if parent is not None:
        bump(session, Post, parent.id, replies_count=1)
    if quoted is not None:
        bump(session, Post, quoted.id, quotes_count=1)
    if draft.idempotency_key:
        session.execute(
            delete(IdempotencyKey).where(
                IdempotencyKey.account_id == author_id, IdempotencyKey.key == draft.idempotency_key
            )
        )
        key = {"account_id": author_id, "key": draft.idempotency_key[:200], "post_id": post.id}
        session.execute(insert(IdempotencyKey.__table__), key)
    mentioned_ids = [a.id for a in mentioned.values()]
    conversations.post_created(session, post, parent, mentioned_ids)
    notifications.post_created(session, post, mentioned_ids)
    deliver(session, post)
    session.flush()
    return post


def deliver(session: Session, post: Post) -> None:
    """Put a new post in its author's feed now and schedule the fan-out to everyone else's."""
    feeds_of(session).add(session, [post.account_id], post)
    enqueue(session, "fanout.post", {"post_id": post.id})
    emit(session, "update", post_id=post.id, account_id=post.account_id)  # streams (a post or a repost)


def delete_post(session: Session, *, viewer_id: int, post_id: int) -> Post:
    """Delete one of the viewer's own posts everywhere; returns the row as it was."""
    post = get_visible(session, viewer_id, post_id)
    if post.account_id != viewer_id:
        raise Forbidden("This action is not allowed")
    remove_post(session, post)
    return post


def remove_post(session: Session, post: Post) -> None:
    """Delete ``post``, the reposts of it, and every trace of both in feeds and counters."""
    reblogs = list(session.scalars(select(Post).where(Post.reblog_of_id == post.id)))
    for reblog in reblogs:
        bump(session, Account, reblog.account_id, statuses_count=-1)
    bump(session, Account, post.account_id, statuses_count=-1)
    if post.reblog_of_id is not None:
        bump(session, Post, post.reblog_of_id, reblogs_count=-1)
    if post.in_reply_to_id is not None:
        bump(session, Post, post.in_reply_to_id, replies_count=-1)
    if post.quote_of_id is not None:
        bump(session, Post, post.quote_of_id, quotes_count=-1)
    # A post and its reposts: the feeds they reached are their authors' and those authors' followers'.
    post_ids = [post.id, *(r.id for r in reblogs)]
    authors = sorted({post.account_id, *(r.account_id for r in reblogs)})
    feeds_of(session).remove_posts(session, post_ids, authors)
    conversations.post_removed(session, post)
    session.execute(delete(Post).where(Post.reblog_of_id == post.id))
    session.execute(delete(Post).where(Post.id == post.id))
    for gone in [post, *reblogs]:  # streams: the post and the reposts that went with it
        emit(session, "delete", post_id=gone.id, account_id=gone.account_id, visibility=gone.visibility)


@cache
def _author_defaults() -> HotStatement:
    """What a new post takes from its author's settings when the client leaves it out."""
    users = User.__table__
    return HotStatement(
        select(users.c.default_visibility, users.c.default_sensitive, users.c.default_language).where(
            users.c.account_id == bindparam("id")
        )
    )


@cache
def _count_post() -> HotStatement:
    accounts = Account.__table__
    return HotStatement(
        update(accounts)
        .where(accounts.c.id == bindparam("author"))
        .values(statuses_count=accounts.c.statuses_count + 1, last_status_at=bindparam("at"))
    )


def _mentioned_accounts(session: Session, body: str) -> dict[str, Any]:
    """The local accounts ``body`` mentions (id, username), by lower-cased username."""
    names = list({m.lower() for m in text.extract_mentions(body)})
    if not names:
        return {}
    return {a.username_key: a for a in _accounts_named().all(session, {"names": names})}


@cache
def _accounts_named() -> HotStatement:
    accounts = Account.__table__
    return HotStatement(
        select(accounts.c.id, accounts.c.username, accounts.c.username_key).where(
            accounts.c.username_key.in_(bindparam("names", expanding=True))
        ),
        lists=("names",),
    )


def _render(
    session: Session, body: str, mentioned: dict[str, Any], base_url: str, quoted: Post | None
) -> str:
    def resolve(username: str) -> str | None:
        account = mentioned.get(username.lower())
        return f"{base_url}/@{account.username}" if account else None

    html = text.render_html(body, base_url=base_url, mentions_resolver=resolve)
    if quoted is not None:
        author = session.get(Account, quoted.account_id)
        url = f"{base_url}/@{author.username if author else ''}/{quoted.id}"
        # Clients that do not know quotes still show a link to the quoted post (Mastodon does the same).
        html += f'<p class="quote-inline">RE: <a href="{url}">{url}</a></p>'
    return html


def _ensure_tags(session: Session, names: list[str]) -> list[int]:
    wanted: dict[str, str] = {}
    for name in names:
        wanted.setdefault(text.normalize_hashtag(name), name)
    if not wanted:
        return []
    # Most hashtags exist already: look them up first, and insert only those never used before.
    found = dict(_tags_named().all(session, {"names": list(wanted)}))
    new = [
        {"id": new_id(), "name": key, "display_name": shown}
        for key, shown in wanted.items()
        if key not in found
    ]
    if new:
        insert_ignore(session, Tag, new, keys=["name"])
        found |= dict(_tags_named().all(session, {"names": [t["name"] for t in new]}))
    return [found[key] for key in wanted if key in found]


@cache
def _tags_named() -> HotStatement:
    tags = Tag.__table__
    return HotStatement(
        select(tags.c.name, tags.c.id).where(tags.c.name.in_(bindparam("names", expanding=True))),
        lists=("names",),
    )


def count_local_posts(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Post).where(Post.reblog_of_id.is_(None))) or 0
