"""``gazouillis seed bench``: a large, realistic instance for the benchmark suite (``bench/``).

Unlike ``seed demo``, nothing goes through the domain services: the world is generated in memory
(:mod:`gazouillis.seeding.world`), every counter is computed there, and rows are bulk-written once,
complete (:mod:`gazouillis.seeding.bulk`). Ids follow :mod:`gazouillis.ids` and are spread over the past
(accounts over two years, posts over the last 30 days), so dates, cursors and pagination look real, and
every post made while benchmarking is newer than all of them.

Besides the data it writes, for the driver, in ``out_dir``:

* ``.tokens-<name>.txt``: plain OAuth tokens of the readers, one a line (only digests are stored);
* ``.ids-<name>-accounts.txt`` and ``.ids-<name>-threads.txt``: accounts whose posts and posts whose
  threads the driver reads;
* ``.bench-<name>.json``: the manifest: sizes, readers, and the authors the fan-out probes use.

The choices come from ``random.Random(seed)``: two runs build the same world (tokens and dates differ).
"""

from __future__ import annotations

import json
import random
import statistics
import time
from array import array
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, select
from tqdm import tqdm

from gazouillis.accounts.passwords import hash_password
from gazouillis.accounts.tables import Account
from gazouillis.config import Settings
from gazouillis.errors import Invalid
from gazouillis.ids import id_at
from gazouillis.pagination import Page
from gazouillis.seeding import rows
from gazouillis.seeding.bulk import BulkLoader, analyze
from gazouillis.seeding.feeds import posts_by_author, primed_rows, reader_feed
from gazouillis.seeding.texts import PostWriter, TagSet
from gazouillis.seeding.world import NONE, PRIVATE, Shape, World
from gazouillis.storage import Database
from gazouillis.timelines import service as timelines

SEED = 20240601
DAY_MS = 86_400_000
# Every bench account shares this password (hashed once: argon2 is slow on purpose).
PASSWORD = "gazouillis-bench"
# Accounts and threads the driver reads, written to the ids files.
DRIVER_IDS = 1000
T = TypeVar("T")
LOADED_TABLES = (
    "accounts",
    "users",
    "follows",
    "tags",
    "posts",
    "mentions",
    "post_tags",
    "favourites",
    "oauth_applications",
    "oauth_tokens",
)


@dataclass(frozen=True)
class Profile:
    """A named size: accounts, posts (all rows: originals, replies, reposts) and readers with tokens."""

    accounts: int
    posts: int
    readers: int


PROFILES = {
    "small": Profile(accounts=10_000, posts=100_000, readers=2_000),
    "large": Profile(accounts=1_000_000, posts=10_000_000, readers=10_000),
}


@dataclass
class Summary:
    """What was built, for the command line and the driver's manifest."""

    name: str
    accounts: int
    posts: int
    follows: int
    likes: int
    readers: int
    primed_feed_entries: int
    max_followers: int
    median_followers: float
    seconds: float = 0.0
    roles: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [
            f"bench data '{self.name}' built in {self.seconds:.1f} s: {self.accounts:,} accounts, "
            f"{self.posts:,} posts, {self.follows:,} follows, {self.likes:,} likes, "
            f"{self.readers:,} reader tokens, {self.primed_feed_entries:,} primed feed entries",
            f"followers: max {self.max_followers:,}, median {self.median_followers:g}",
        ]
        lines += [
            f"  {role}: @{r['username']} ({r['followers']:,} followers)" for role, r in self.roles.items()
        ]
        lines += [f"wrote {f}" for f in self.files]
        return "\n".join(lines)


def seed_bench(
    db: Database,
    settings: Settings,
    *,
    profile: str = "small",
    accounts: int | None = None,
    posts: int | None = None,
    name: str | None = None,
    out_dir: Path = Path("bench"),
    seed: int = SEED,
    prime_feeds: bool | None = None,
    progress: bool = True,
) -> Summary:
    """Build the ``profile`` world (sizes overridable) into the empty database ``db``.

    ``prime_feeds``: give the readers their home feeds now; by default only when the feed store turns out
    not to rebuild a missing feed on first read.
    """
    started = time.perf_counter()
    base = PROFILES[profile]
    shape = Shape(accounts=accounts or base.accounts, posts=posts or base.posts)
    if shape.accounts < 10 or shape.posts < 10:
        raise Invalid("A bench world needs at least 10 accounts and 10 posts")
    with db.read() as session:
        if session.scalar(select(func.count()).select_from(Account)):
            raise Invalid("seed bench fills an empty database, and this one already has accounts")

    def bar(items: Iterable[T], total: int, label: str) -> Iterable[T]:
        return tqdm(
            items,
            total=total or None,
            desc=f"{label:<10}",
            unit_scale=True,
            disable=not progress,
            leave=False,
            mininterval=0.5,
        )

    rng = random.Random(seed)
    world = World(shape, rng)
    world.make_accounts()
    world.make_follows(bar)
    world.make_posts(bar)
    roles = _pick_roles(world)
    readers = _pick_readers(world, min(base.readers, shape.accounts), roles, rng)
    now = int(time.time() * 1000)
    account_ids = _spread(shape.accounts, now - 730 * DAY_MS, now - 31 * DAY_MS, rng)
    post_ids = _spread(world.post_count, now - 30 * DAY_MS, now - 60_000, rng)
    tags = TagSet()
    writer = PostWriter(rng, base_url=settings.base_url, usernames=world.usernames, tags=tags)

    primed = 0
    with BulkLoader(db) as load:
        app_id = rows.write_application(load, now)
        rows.write_accounts(load, world, account_ids, post_ids, hash_password(PASSWORD), bar)
        rows.write_follows(load, world, account_ids, now - 60 * DAY_MS, now - 60_000, bar)
        tag_ids = rows.write_tags(load, tags, now)
        rows.write_posts(load, world, account_ids, post_ids, writer, tag_ids, bar)
        likes = rows.write_likes(load, world, account_ids, post_ids, bar)
        tokens = rows.write_tokens(load, readers, account_ids, app_id, now)
    analyze(db, LOADED_TABLES)
    if prime_feeds is None:
        prime_feeds = not _rebuilds_missing_feeds(db, world, readers, account_ids)
    if prime_feeds:
        with BulkLoader(db) as load:
            feed = bar(primed_rows(world, readers, post_ids, account_ids), 0, "feeds")
            primed = rows.batched(load, "feed_entries", rows.FEED_COLUMNS, feed)

    followers = sorted(world.followers)
    summary = Summary(
        name=name or profile,
        accounts=shape.accounts,
        posts=world.post_count,
        follows=world.follow_count,
        likes=likes,
        readers=len(readers),
        primed_feed_entries=primed,
        max_followers=followers[-1],
        median_followers=statistics.median(followers),
    )
    token_of = dict(zip(readers, tokens, strict=True))
    for role, (author, last) in roles.items():
        summary.roles[role] = {
            "id": str(account_ids[author]),
            "username": world.usernames[author],
            "followers": world.followers[author],
            "token": token_of[author],
            "last_follower": {"id": str(account_ids[last]), "token": token_of[last]}
            if last != NONE
            else None,
        }
    summary.seconds = round(time.perf_counter() - started, 1)
    summary.files = _write_driver_files(world, summary, readers, tokens, account_ids, post_ids, out_dir, rng)
    return summary


def _rebuilds_missing_feeds(db: Database, world: World, readers: list[int], account_ids: array[int]) -> bool:
    """Whether the feed store builds a missing home feed on first read: ask for the home timeline of a
    reader who should see something, as the API would (this warms that one reader's feed)."""
    index = posts_by_author(world)
    reader = next((r for r in readers if reader_feed(world, r, index)), None)
    if reader is None:
        return True  # nobody would see anything: nothing to prime either
    with db.read() as session:
        return bool(timelines.home(session, viewer_id=account_ids[reader], page=Page(limit=1)))


# -- who the driver uses ------------------------------------------------------------------------------


def _pick_roles(world: World) -> dict[str, tuple[int, int]]:
    """The authors the fan-out probes post as, with each one's most recent follower."""
    top = max(range(world.n), key=lambda a: world.followers[a])
    around_5k = world.closest_author(5000, exclude={top})
    around_1k = world.closest_author(1000, exclude={top, around_5k})
    one = world.closest_author(1, exclude={top, around_5k, around_1k})
    authors = {"top": top, "around_5k": around_5k, "around_1k": around_1k, "one_follower": one}
    last = world.last_followers(set(authors.values()))
    return {role: (a, last.get(a, NONE)) for role, a in authors.items()}


def _pick_readers(
    world: World, count: int, roles: dict[str, tuple[int, int]], rng: random.Random
) -> list[int]:
    """Accounts that get a token: the probes' authors and followers, then active followers at random."""
    chosen = dict.fromkeys(x for pair in roles.values() for x in pair if x != NONE)
    candidates = [a for a in range(world.n) if world.offsets[a + 1] - world.offsets[a] >= 3]
    rng.shuffle(candidates)
    for a in candidates:
        if len(chosen) >= count:
            break
        chosen[a] = None
    return list(chosen)


def _spread(count: int, start_ms: int, end_ms: int, rng: random.Random) -> array[int]:
    """``count`` increasing ids spread evenly over [start, end], jittered within their slot."""
    step = ((end_ms - start_ms) << 16) // max(count, 1)
    first = id_at(start_ms)
    if step < 2:
        return array("q", range(first, first + count))
    jitter = step // 2
    return array("q", (first + k * step + rng.randrange(jitter) for k in range(count)))


def _write_driver_files(
    world: World,
    summary: Summary,
    readers: list[int],
    tokens: list[str],
    account_ids: array[int],
    post_ids: array[int],
    out_dir: Path,
    rng: random.Random,
) -> list[str]:
    """The tokens, ids and manifest files the driver (``bench/``) reads."""
    out_dir.mkdir(parents=True, exist_ok=True)
    name = summary.name
    # Profiles people open, most often the followed ones; threads with replies, the big ones first.
    posting = [a for a in range(world.n) if world.statuses[a]]
    shown = rng.choices(posting, weights=[world.followers[a] + 1 for a in posting], k=DRIVER_IDS)
    roots = [
        p
        for p in range(world.post_count)
        if world.replies[p] and world.parent[p] == NONE and world.visibility[p] != PRIVATE
    ]
    roots.sort(key=lambda p: -world.replies[p])
    threads = roots[: DRIVER_IDS // 2]
    rest = roots[DRIVER_IDS // 2 :]
    threads += rng.sample(rest, min(len(rest), DRIVER_IDS - len(threads)))
    files = {
        out_dir / f".tokens-{name}.txt": tokens,
        out_dir / f".ids-{name}-accounts.txt": [str(account_ids[a]) for a in shown],
        out_dir / f".ids-{name}-threads.txt": [str(post_ids[p]) for p in threads],
    }
    for path, lines in files.items():
        path.write_text("\n".join(lines) + "\n")
    manifest = out_dir / f".bench-{name}.json"
    manifest.write_text(
        json.dumps(
            {
                **{k: v for k, v in asdict(summary).items() if k != "files"},
                "readers": [str(account_ids[r]) for r in readers],
                "tokens_file": str(out_dir / f".tokens-{name}.txt"),
                "accounts_file": str(out_dir / f".ids-{name}-accounts.txt"),
                "threads_file": str(out_dir / f".ids-{name}-threads.txt"),
            },
            indent=1,
        )
    )
    return [str(p) for p in [*files, manifest]]
