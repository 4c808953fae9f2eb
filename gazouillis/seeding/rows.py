"""The rows of the benchmark world, table by table, in an order the foreign keys accept.

Columns are listed explicitly, as the tables in ``gazouillis/*/tables.py`` define them, with the values
the services would have written (counters included).
"""

from __future__ import annotations

import hashlib
import random
import secrets
from array import array
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from gazouillis.ids import id_at, timestamp_ms
from gazouillis.seeding.bulk import BulkLoader
from gazouillis.seeding.texts import PostWriter, TagSet
from gazouillis.seeding.vocabulary import BIOS, LANGUAGES
from gazouillis.seeding.world import NONE, PRIVATE, VISIBILITY_NAMES, World

BATCH = 20_000
EMAIL_DOMAIN = "bench.example.org"
Row = tuple[Any, ...]
Bar = Callable[[Iterable[Any], int, str], Iterable[Any]]

ACCOUNT_COLUMNS = (
    "id",
    "username",
    "username_key",
    "display_name",
    "note",
    "website",
    "fields",
    "locked",
    "bot",
    "discoverable",
    "created_at",
    "last_status_at",
    "statuses_count",
    "followers_count",
    "following_count",
)
USER_COLUMNS = (
    "account_id",
    "email",
    "password_hash",
    "admin",
    "approved",
    "disabled",
    "locale",
    "signup_reason",
    "default_visibility",
    "default_sensitive",
    "default_language",
    "created_at",
)
FOLLOW_COLUMNS = ("id", "account_id", "target_account_id", "show_reblogs", "notify", "created_at")
POST_COLUMNS = (
    "id",
    "account_id",
    "text",
    "html",
    "spoiler_text",
    "sensitive",
    "language",
    "visibility",
    "in_reply_to_id",
    "in_reply_to_account_id",
    "reblog_of_id",
    "quote_of_id",
    "application_id",
    "replies_count",
    "reblogs_count",
    "favourites_count",
    "quotes_count",
    "created_at",
    "edited_at",
)
FEED_COLUMNS = ("account_id", "post_id", "author_id", "reblog_of_id")


def batched(load: BulkLoader, table: str, columns: tuple[str, ...], rows: Iterable[Row]) -> int:
    """Write ``rows`` in batches; returns how many."""
    batch: list[Row] = []
    count = 0
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            load.write(table, columns, batch)
            count += len(batch)
            batch = []
    load.write(table, columns, batch)
    return count + len(batch)


def write_application(load: BulkLoader, now_ms: int) -> int:
    """The application every bench token belongs to."""
    app_id = id_at(now_ms)
    load.write(
        "oauth_applications",
        ("id", "name", "website", "redirect_uris", "scopes", "client_id", "client_secret", "created_at"),
        [
            (
                app_id,
                "gazouillis bench",
                None,
                "urn:ietf:wg:oauth:2.0:oob",
                "read write follow push",
                secrets.token_urlsafe(32),
                secrets.token_urlsafe(32),
                load.timestamp(now_ms),
            )
        ],
    )
    return app_id


def write_accounts(
    load: BulkLoader, world: World, ids: array[int], post_ids: array[int], password_hash: str, bar: Bar
) -> None:
    """Accounts with their counters, and the login behind each (one shared password hash)."""
    rng = world.rng
    no, yes = load.flag(False), load.flag(True)

    def accounts() -> Iterator[Row]:
        for a in bar(range(world.n), world.n, "accounts"):
            lang = LANGUAGES[world.language[a]]
            last = world.last_post[a]
            yield (
                ids[a],
                world.usernames[a],
                world.usernames[a].lower(),
                world.display_names[a],
                BIOS[lang][rng.randrange(len(BIOS[lang]))],
                "",
                "[]",
                no,
                yes if rng.random() < 0.01 else no,
                yes,
                load.timestamp(timestamp_ms(ids[a])),
                load.timestamp(timestamp_ms(post_ids[last])) if last != NONE else None,
                world.statuses[a],
                world.followers[a],
                world.offsets[a + 1] - world.offsets[a],
            )

    def users() -> Iterator[Row]:
        for a in bar(range(world.n), world.n, "users"):
            yield (
                ids[a],
                f"{world.usernames[a].lower()}@{EMAIL_DOMAIN}",
                password_hash,
                no,
                yes,
                no,
                LANGUAGES[world.language[a]],
                "",
                "public",
                no,
                LANGUAGES[world.language[a]],
                load.timestamp(timestamp_ms(ids[a])),
            )

    batched(load, "accounts", ACCOUNT_COLUMNS, accounts())
    batched(load, "users", USER_COLUMNS, users())


def write_follows(
    load: BulkLoader, world: World, ids: array[int], start_ms: int, end_ms: int, bar: Bar
) -> None:
    """Follows in follower order, their ids (the followers lists' cursors) spread evenly over the period."""
    step = ((end_ms - start_ms) << 16) // max(world.follow_count, 1)
    first = id_at(start_ms)
    yes, no = load.flag(True), load.flag(False)

    def follows() -> Iterator[Row]:
        k = 0
        for a in bar(range(world.n), world.n, "follows"):
            for t in world.following(a):
                follow_id = first + k * step
                yield follow_id, ids[a], ids[t], yes, no, load.timestamp(timestamp_ms(follow_id))
                k += 1

    batched(load, "follows", FOLLOW_COLUMNS, follows())


def write_tags(load: BulkLoader, tags: TagSet, now_ms: int) -> list[int]:
    """The hashtags, with ids; returns the id of each tag index."""
    tag_ids = [id_at(now_ms - 40 * 86_400_000) + i for i in range(len(tags.names))]
    load.write(
        "tags", ("id", "name", "display_name"), list(zip(tag_ids, tags.names, tags.shown, strict=True))
    )
    return tag_ids


def write_posts(
    load: BulkLoader,
    world: World,
    account_ids: array[int],
    post_ids: array[int],
    writer: PostWriter,
    tag_ids: list[int],
    bar: Bar,
) -> None:
    """Posts with their text, HTML and counters; then, batch by batch, their mentions and hashtags."""
    rng: random.Random = writer.rng
    no, yes = load.flag(False), load.flag(True)
    posts: list[Row] = []
    mentions: list[Row] = []
    post_tags: list[Row] = []

    def flush() -> None:
        load.write("posts", POST_COLUMNS, posts)
        load.write("mentions", ("post_id", "account_id"), mentions)
        load.write("post_tags", ("post_id", "tag_id"), post_tags)
        posts.clear()
        mentions.clear()
        post_tags.clear()

    for p in bar(range(world.post_count), world.post_count, "post rows"):
        a, pid = world.author[p], post_ids[p]
        created = load.timestamp(timestamp_ms(pid))
        original = world.reblog_of[p]
        if original != NONE:  # a repost: an empty row pointing at the original, as reblog() makes it
            posts.append(
                (
                    pid,
                    account_ids[a],
                    "",
                    "",
                    "",
                    no,
                    None,
                    "public",
                    None,
                    None,
                    post_ids[original],
                    None,
                    None,
                    0,
                    0,
                    0,
                    0,
                    created,
                    None,
                )
            )
        else:
            own_lang = world.language[a]
            lang = LANGUAGES[own_lang if rng.random() < 0.9 else 1 - own_lang]
            parent = world.parent[p]
            other = world.author[parent] if parent != NONE else NONE
            mention = NONE
            if parent == NONE and rng.random() < 0.12:
                following = world.following(a)
                if following:
                    mention = following[rng.randrange(len(following))]
            draw = rng.random()
            written = writer.write(
                lang,
                reply_to=other if other not in (NONE, a) else None,
                mention=mention if mention != NONE else None,
                hashtags=0 if draw < 0.7 else 1 if draw < 0.92 else 2,
                link=rng.random() < 0.08,
            )
            sensitive = rng.random() < 0.02
            posts.append(
                (
                    pid,
                    account_ids[a],
                    written.text,
                    written.html,
                    "" if not sensitive else "spoiler",
                    yes if sensitive else no,
                    lang,
                    VISIBILITY_NAMES[world.visibility[p]],
                    post_ids[parent] if parent != NONE else None,
                    account_ids[other] if other != NONE else None,
                    None,
                    None,
                    None,
                    world.replies[p],
                    world.reblogs[p],
                    world.likes_count[p],
                    0,
                    created,
                    None,
                )
            )
            mentions.extend((pid, account_ids[m]) for m in written.mentions)
            post_tags.extend((pid, tag_ids[t]) for t in written.tags)
        if len(posts) >= BATCH:
            flush()
    flush()


def write_likes(
    load: BulkLoader, world: World, account_ids: array[int], post_ids: array[int], bar: Bar
) -> int:
    """Likes, each id just after its post's (they are cursors of the favourites lists)."""

    def likes() -> Iterator[Row]:
        position = 0
        for p in bar(range(world.post_count), world.post_count, "likes"):
            pid = post_ids[p]
            for j in range(world.likes_count[p]):
                yield pid + 1 + j, account_ids[world.likers[position + j]], pid
            position += world.likes_count[p]

    return batched(load, "favourites", ("id", "account_id", "post_id"), likes())


def write_tokens(
    load: BulkLoader, readers: list[int], account_ids: array[int], app_id: int, now_ms: int
) -> list[str]:
    """An access token per reader; returns the plain tokens (only their SHA-256 digests are stored)."""
    tokens = [secrets.token_urlsafe(32) for _ in readers]
    created = load.timestamp(now_ms)
    rows = [
        (
            id_at(now_ms) + 1 + i,
            hashlib.sha256(t.encode()).hexdigest(),
            app_id,
            account_ids[r],
            "read write follow push",
            created,
            None,
            None,
        )
        for i, (r, t) in enumerate(zip(readers, tokens, strict=True))
    ]
    columns = (
        "id",
        "token_digest",
        "application_id",
        "account_id",
        "scopes",
        "created_at",
        "expires_at",
        "revoked_at",
    )
    batched(load, "oauth_tokens", columns, rows)
    return tokens


def visible_to_all(world: World, p: int) -> bool:
    """Whether post ``p`` shows to anyone (threads the driver reads must be public)."""
    return world.visibility[p] != PRIVATE
