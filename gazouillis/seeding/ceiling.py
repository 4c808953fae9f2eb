"""``GET /bench/ceiling``: the benchmark's reference, what the server stack serves with no work to do.

It answers a fixed home-timeline-sized body (20 statuses written like the bench data: mentions,
hashtags, replies, a couple of reposts, the viewer's own flags) through the same middleware as the API.
Dividing a scenario's throughput by the ceiling's, measured in the same run, tells how much of the cost
is the application's own rather than uvicorn's, Starlette's or the machine's. Only mounted when
``bench_endpoints`` is on.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gazouillis.accounts.tables import Account
from gazouillis.api.entities.statuses import status_entity
from gazouillis.api.http import JSON_TYPE
from gazouillis.config import Settings
from gazouillis.ids import id_at
from gazouillis.posts.cache import make_extras
from gazouillis.posts.tables import Post, Tag
from gazouillis.posts.views import PostView
from gazouillis.seeding.texts import PostWriter, TagSet
from gazouillis.seeding.vocabulary import BIOS, FIRST_NAMES, LANGUAGES, LAST_NAMES

PAGE = 20
REPOSTS = (6, 13)  # positions of the reposts on the page, as a home timeline mixes a few in


def ceiling_statuses(settings: Settings) -> list[dict[str, Any]]:
    """Twenty realistic statuses, serialised by the same entity code as the home timeline."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    accounts = [_account(i, rng, now) for i in range(PAGE + 2)]
    tags = TagSet()
    writer = PostWriter(rng, base_url=settings.base_url, usernames=[a.username for a in accounts], tags=tags)
    tag_rows = [
        Tag(id=i + 1, name=n, display_name=s)
        for i, (n, s) in enumerate(zip(tags.names, tags.shown, strict=True))
    ]
    views = []
    for i in range(PAGE):
        author = accounts[i]
        created = now - timedelta(minutes=7 * i + 1)
        view = _post_view(writer, rng, accounts, tag_rows, author, created, reply=i % 5 == 2)
        if i in REPOSTS:
            original = view
            wrapper = _post(id_at(int(created.timestamp() * 1000)) + 1, accounts[-1], created, "", "")
            wrapper.reblog_of_id = original.post.id
            view = PostView(post=wrapper, account=accounts[-1], reblog=original)
            _viewer_flags(view)
        views.append(view)
    return [status_entity(v, settings) for v in views]


def ceiling_routes(settings: Settings) -> list[Route]:
    """The ceiling route, with its body built once, now."""
    statuses = ceiling_statuses(settings)
    body = orjson.dumps(statuses)
    # The same Link header a home timeline page carries.
    first, last = statuses[-1]["id"], statuses[0]["id"]
    link = (
        f'<{settings.base_url}/api/v1/timelines/home?max_id={first}>; rel="next", '
        f'<{settings.base_url}/api/v1/timelines/home?min_id={last}>; rel="prev"'
    )

    async def ceiling(_request: Request) -> Response:
        return Response(body, media_type=JSON_TYPE, headers={"Link": link})

    return [Route("/bench/ceiling", ceiling, methods=["GET"])]


def _account(i: int, rng: random.Random, now: datetime) -> Account:
    lang = LANGUAGES[i % 2]
    first = FIRST_NAMES[lang][rng.randrange(len(FIRST_NAMES[lang]))]
    last = LAST_NAMES[lang][rng.randrange(len(LAST_NAMES[lang]))]
    username = f"{first}_{last}{rng.randrange(10_000)}".lower().encode("ascii", "ignore").decode()
    created = now - timedelta(days=rng.randrange(31, 730))
    return Account(
        id=id_at(int(created.timestamp() * 1000)),
        username=username,
        username_key=username,
        display_name=f"{first} {last}",
        note=BIOS[lang][rng.randrange(len(BIOS[lang]))],
        website="",
        fields=[],
        locked=False,
        bot=False,
        discoverable=True,
        created_at=created,
        last_status_at=now,
        statuses_count=rng.randrange(1, 500),
        followers_count=rng.randrange(1, 5000),
        following_count=rng.randrange(1, 300),
    )


def _post(post_id: int, author: Account, created: datetime, text: str, html: str) -> Post:
    return Post(
        id=post_id,
        account_id=author.id,
        text=text,
        html=html,
        spoiler_text="",
        sensitive=False,
        language=None,
        visibility="public",
        in_reply_to_id=None,
        in_reply_to_account_id=None,
        reblog_of_id=None,
        quote_of_id=None,
        application_id=None,
        replies_count=0,
        reblogs_count=0,
        favourites_count=0,
        quotes_count=0,
        created_at=created,
        edited_at=None,
    )


def _post_view(
    writer: PostWriter,
    rng: random.Random,
    accounts: list[Account],
    tags: list[Tag],
    author: Account,
    created: datetime,
    *,
    reply: bool,
) -> PostView:
    other = accounts[(accounts.index(author) + 1) % len(accounts)]
    lang = LANGUAGES[rng.randrange(2)]
    draw = rng.random()
    written = writer.write(
        lang,
        reply_to=accounts.index(other) if reply else None,
        hashtags=0 if draw < 0.7 else 1 if draw < 0.92 else 2,
        link=rng.random() < 0.08,
    )
    post = _post(id_at(int(created.timestamp() * 1000)), author, created, written.text, written.html)
    post.language = lang
    post.replies_count = rng.randrange(4)
    post.reblogs_count = rng.randrange(3)
    post.favourites_count = rng.randrange(6)
    if reply:
        post.in_reply_to_id = post.id - 1_000_000
        post.in_reply_to_account_id = other.id
    extras = make_extras(
        mentions=((accounts[m].id, accounts[m].username) for m in written.mentions),
        tags=((tags[t].id, tags[t].name, tags[t].display_name) for t in written.tags),
    )
    view = PostView(post=post, account=author, extras=extras)
    _viewer_flags(view)
    return view


def _viewer_flags(view: PostView) -> None:
    view.favourited = view.reblogged = view.bookmarked = False
