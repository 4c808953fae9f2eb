"""Fan-out latency: from create-post acknowledged to visible on the last follower's home timeline.

    .venv/bin/python bench/fanout.py                   # PostgreSQL + Redis: make bench-fanout
    .venv/bin/python bench/fanout.py --database sqlite --feed-store sql
    .venv/bin/python bench/fanout.py --followers-max 20000 --trials 2   # a quick try

Builds (or reuses, unless ``--rebuild``) a database of ``--followers-max`` follower accounts and one author
per audience: 1 follower, then the first 1K, 10K, 100K and 1M of them (audiences above the maximum are cut
down to it), each with a few older posts already in its followers' home feeds, so that every follower has
a feed and fan-out has real work to do (a missing feed is never filled piecemeal). Rows are bulk-written
with the helpers of ``gazouillis seed bench`` (COPY on PostgreSQL, executemany on SQLite).

Then runs the real ``gazouillis serve --workers N --no-migrate`` (no embedded runner) and one ``gazouillis
worker``, twice: with the fan-out threshold above the largest audience (every author is fanned out), and
with the default threshold (10,000: the bigger authors are merged into home timelines at read time). For
each author it posts ``--trials`` times, one post at a time, and polls the home timeline of the author's
last follower (the most recent follow, the last one the fan-out reaches) and the ``jobs`` table until the
post is on top and the fan-out job is gone. It prints Markdown tables. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import redis
from procs import TICKS, named_cpu, tree_cpu
from run import DATA, PG_ADMIN, Client, Services, Target, bench_env, gazouillis, p
from sqlalchemy import create_engine, delete, func, select, text, update
from tqdm import tqdm

from gazouillis.accounts.passwords import hash_password
from gazouillis.accounts.tables import Account
from gazouillis.config import Settings
from gazouillis.ids import id_at, timestamp_ms
from gazouillis.jobs.tables import Job
from gazouillis.posts.tables import Post
from gazouillis.seed_bench import PASSWORD
from gazouillis.seeding import rows
from gazouillis.seeding.bulk import BulkLoader, analyze
from gazouillis.seeding.texts import PostWriter, TagSet
from gazouillis.seeding.world import NONE, PUBLIC, Shape, World
from gazouillis.storage import Database
from gazouillis.timelines.feeds.base import Entry
from gazouillis.timelines.feeds.redis import FEED_TTL, feed_key, pack
from gazouillis.timelines.tables import FeedEntry

SEED = 20240601
DAY_MS = 86_400_000
AUDIENCES = (1, 1_000, 10_000, 100_000, 1_000_000)
DEFAULT_THRESHOLD = 10_000  # the setting's default (gazouillis/config.py)
# A million followers build in about a minute on PostgreSQL (COPY) and on SQLite (executemany) alike.
DEFAULT_FOLLOWERS = 1_000_000
LOADED_TABLES = (
    "accounts",
    "users",
    "follows",
    "tags",
    "posts",
    "mentions",
    "post_tags",
    "feed_entries",
    "oauth_applications",
    "oauth_tokens",
)
VERSION = 1  # of the data layout below: a build made by another version is built again
T = TypeVar("T")


# -- the data -----------------------------------------------------------------------------------------


def bar(items: Iterable[T], total: int, label: str) -> Iterable[T]:
    return tqdm(
        items, total=total or None, desc=f"{label:<10}", unit_scale=True, leave=False, mininterval=0.5
    )


def audiences(followers_max: int) -> list[int]:
    return sorted({min(a, followers_max) for a in AUDIENCES})


def spread(count: int, start_ms: int, end_ms: int) -> tuple[int, int]:
    """First id and step of ``count`` increasing ids spread evenly over [start, end] (``gazouillis.ids``)."""
    return id_at(start_ms), max(1, ((end_ms - start_ms) << 16) // max(count, 1))


def shape_of(args: argparse.Namespace) -> dict[str, int]:
    return {
        "version": VERSION,
        "followers": args.followers_max,
        "author_posts": args.author_posts,
        "feed_entries": args.feed_entries,
    }


def build(target: Target, args: argparse.Namespace) -> dict[str, Any]:
    """Create the database and load it; returns the manifest (ids, tokens) the probes use."""
    started = time.perf_counter()
    if target.kind == "sqlite":
        shutil.rmtree(DATA / target.name, ignore_errors=True)
        (DATA / target.name).mkdir(parents=True)
    else:
        admin = create_engine(
            Settings(database_url=PG_ADMIN).resolved_database_url, isolation_level="AUTOCOMMIT"
        )
        name = target.database_url.rsplit("/", 1)[1]
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    if gazouillis(target, "migrate", stdout=subprocess.DEVNULL).wait():
        sys.exit("migration failed")

    sizes = audiences(args.followers_max)
    authors, followers = len(sizes), args.followers_max
    n = authors + followers  # positions: the authors first (0..authors-1), then follower i at authors + i
    rng = random.Random(SEED)
    world = World(Shape(accounts=n, posts=authors * args.author_posts), rng)
    labels = [label(s) for s in sizes]
    world.usernames = [f"fanout_{x.lower()}" for x in labels] + [f"follower{i}" for i in range(followers)]
    world.display_names = [f"Author with {x} followers" for x in labels] + [
        f"Follower {i}" for i in range(followers)
    ]
    world.language = bytearray(a % 2 for a in range(n))
    world.followers = array("i", sizes) + array("i", bytes(4 * followers))
    # Follower i follows every author whose audience is larger than i, the biggest first.
    world.offsets = array("q", [0]) * (authors + 1)
    for i in bar(range(followers), followers, "graph"):
        world.targets.extend(a for a in range(authors - 1, -1, -1) if i < sizes[a])
        world.offsets.append(len(world.targets))
    # Older posts, the authors in turn; the newest author_posts of each are in its followers' feeds.
    for k in range(authors * args.author_posts):
        world.author.append(k % authors)
    total = world.post_count
    for column in (world.parent, world.reblog_of):
        column.extend(array("i", [NONE]) * total)
    world.visibility = bytearray([PUBLIC]) * total
    for column in (world.replies, world.reblogs, world.likes_count):
        column.extend(array("i", bytes(4 * total)))
    world.statuses = array("i", [args.author_posts] * authors) + array("i", bytes(4 * followers))
    world.last_post = (
        array("i", [total - authors + a for a in range(authors)]) + array("i", [NONE]) * followers
    )

    now = int(time.time() * 1000)
    first, step = spread(n, now - 400 * DAY_MS, now - 31 * DAY_MS)
    account_ids = array("q", (first + k * step for k in range(n)))
    first_post, post_step = spread(total, now - 7 * DAY_MS, now - 60_000)
    post_ids = array("q", (first_post + k * post_step for k in range(total)))
    recent = [
        [post_ids[k] for k in range(total - 1, -1, -1) if world.author[k] == a][: args.feed_entries]
        for a in range(authors)
    ]
    # The tokens: every author, and each author's last follower (follower audience - 1).
    readers = list(range(authors)) + [authors + s - 1 for s in sizes]

    def feed_rows() -> Iterator[rows.Row]:
        for a in bar(range(n), n, "feeds"):
            mine = [(p, a) for p in recent[a]] if a < authors else []
            followed = [(p, t) for t in world.following(a) for p in recent[t]]
            for post, author in sorted(mine + followed, reverse=True):
                yield account_ids[a], post, account_ids[author], None

    phases = {"schema and graph in memory": time.perf_counter() - started}
    db = Database(Settings(database_url=target.database_url).resolved_database_url)
    try:
        with BulkLoader(db) as load:
            app_id = rows.write_application(load, now)
            rows.write_accounts(load, world, account_ids, post_ids, hash_password(PASSWORD), bar)
            rows.write_follows(load, world, account_ids, now - 30 * DAY_MS, now - 60_000, bar)
            tags = TagSet()
            writer = PostWriter(
                rng, base_url=f"http://127.0.0.1:{target.port}", usernames=world.usernames, tags=tags
            )
            tag_ids = rows.write_tags(load, tags, now)
            rows.write_posts(load, world, account_ids, post_ids, writer, tag_ids, bar)
            tokens = dict(
                zip(readers, rows.write_tokens(load, readers, account_ids, app_id, now), strict=True)
            )
            feed = rows.batched(load, "feed_entries", rows.FEED_COLUMNS, feed_rows())
        phases["rows"] = time.perf_counter() - started - sum(phases.values())
        analyze(db, LOADED_TABLES)
        phases["analyze"] = time.perf_counter() - started - sum(phases.values())
    finally:
        db.dispose()
    print(", ".join(f"{k} {v:.0f} s" for k, v in phases.items()), file=sys.stderr)
    return {
        "shape": shape_of(args),
        "phases_s": {k: round(v, 1) for k, v in phases.items()},
        "built_s": round(time.perf_counter() - started, 1),
        "follows": world.follow_count,
        "feed_entries": feed,
        "last_old_post": max(post_ids),
        "follower_ids": [account_ids[authors], step],  # follower i: first + i * step
        "authors": [
            {
                "label": labels[a],
                "followers": sizes[a],
                "id": account_ids[a],
                "token": tokens[a],
                "recent": recent[a],
                "last_status_ms": timestamp_ms(post_ids[world.last_post[a]]),
                "last_follower": {
                    "id": account_ids[authors + sizes[a] - 1],
                    "token": tokens[authors + sizes[a] - 1],
                },
            }
            for a in range(authors)
        ],
    }


def prepare(target: Target, args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    """The manifest of the data, built now unless an earlier build of the same shape can be reused."""
    stamp, path = DATA / f"{target.name}.built", DATA / f"{target.name}.json"
    if stamp.exists() and path.exists() and not args.rebuild:
        manifest = json.loads(path.read_text())
        if manifest["shape"] == shape_of(args):
            # Migrations added since the build (the server starts with --no-migrate).
            if gazouillis(target, "migrate", stdout=subprocess.DEVNULL).wait():
                sys.exit("migration failed")
            return manifest, f"reused; built in {manifest['built_s']:.0f} s"
    stamp.unlink(missing_ok=True)
    started = time.perf_counter()
    manifest = build(target, args)
    path.write_text(json.dumps(manifest, indent=1))
    stamp.write_text(target.database_url + "\n")
    return manifest, f"built in {time.perf_counter() - started:.0f} s"


def reset(target: Target, manifest: dict[str, Any]) -> int:
    """Take out what earlier probes added (posts, their feed entries, jobs) and put the authors' counters
    back, so every run starts from the same data. Returns the feed entries removed."""
    db = Database(Settings(database_url=target.database_url).resolved_database_url)
    mark = manifest["last_old_post"]
    try:
        with db.write() as session:
            removed = session.execute(delete(FeedEntry).where(FeedEntry.post_id > mark)).rowcount
            session.execute(delete(Post).where(Post.id > mark))  # mentions, tags… cascade
            session.execute(delete(Job))
            for author in manifest["authors"]:
                session.execute(
                    update(Account)
                    .where(Account.id == author["id"])
                    .values(
                        statuses_count=manifest["shape"]["author_posts"],
                        last_status_at=datetime.fromtimestamp(author["last_status_ms"] / 1000, UTC),
                    )
                )
        if removed:
            analyze(db, ("feed_entries", "posts", "jobs"))
    finally:
        db.dispose()
    return removed or 0


def prime_redis(url: str, manifest: dict[str, Any]) -> int:
    """Flush the bench's Redis database and give every account the feed it has in ``feed_entries``."""
    client = redis.Redis.from_url(url)
    client.flushdb()
    authors = manifest["authors"]
    first, step = manifest["follower_ids"]
    ttl = int(FEED_TTL.total_seconds())

    def blob(posts: Iterable[int]) -> bytes:
        return pack(Entry(x) for x in sorted(posts, reverse=True))

    pipe = client.pipeline(transaction=False)
    for a in authors:
        pipe.set(feed_key(a["id"]), blob(a["recent"]), ex=ttl)
    followers = manifest["shape"]["followers"]
    # Followers with the same authors have the same feed: one blob per audience band.
    for i in bar(range(followers), followers, "redis"):
        if i == 0 or any(i == a["followers"] for a in authors):
            current = blob(x for a in authors if i < a["followers"] for x in a["recent"])
        pipe.set(feed_key(first + i * step), current, ex=ttl)
        if len(pipe) >= 10_000:
            pipe.execute()
    pipe.execute()
    count = int(client.dbsize())
    client.close()
    return count


# -- the probes ---------------------------------------------------------------------------------------


@dataclass
class Trial:
    create_ms: float
    visible_ms: float | None  # None: not seen before the timeout
    done_ms: float | None  # the fan-out job's row gone; None: still there at the timeout


@dataclass
class AuthorResult:
    author: dict[str, Any]
    mode: str  # "fan-out" or "read-time merge"
    trials: list[Trial] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds per post
    polls: list[float] = field(default_factory=list)  # ms each home read of the poll loop took
    note: str = ""


class Jobs:
    """Counts the pending ``fanout.post`` jobs, straight from the database (one pooled connection)."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(Settings(database_url=url).resolved_database_url, pool_size=1)
        self.query = (
            select(func.count()).select_from(Job).where(Job.kind == "fanout.post", Job.dead.is_(False))
        )

    def pending(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(self.query).scalar() or 0)

    def dead(self) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(select(func.count()).select_from(Job).where(Job.dead.is_(True))).scalar() or 0
            )

    def drain(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self.pending():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def close(self) -> None:
        self.engine.dispose()


def postgres_cpu() -> float:
    """CPU seconds PostgreSQL has used so far: its live processes, plus the backends that have exited
    (counted in the postmaster's children time), so a connection that closes does not take its CPU away."""
    procs: dict[int, tuple[str, list[str]]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # (name) may hold spaces; then state, ppid, … utime (11), stime, cutime, cstime (14).
        procs[int(entry)] = (raw[raw.index("(") + 1 : raw.rindex(")")], raw[raw.rindex(")") + 2 :].split())
    total = 0.0
    for name, fields in procs.values():
        if name.startswith("postgres"):
            total += int(fields[11]) + int(fields[12])
            if not procs.get(int(fields[1]), ("",))[0].startswith("postgres"):  # the postmaster
                total += int(fields[13]) + int(fields[14])
    return total / TICKS


def cpu_now(services: Services, kind: str) -> dict[str, float]:
    return {
        "web": tree_cpu(services.server.pid),
        "worker": tree_cpu(services.worker.pid),
        "db": postgres_cpu() if kind == "postgresql" else 0.0,
        "redis": named_cpu("redis-server"),
    }


def probe(
    port: int,
    jobs: Jobs,
    author: dict[str, Any],
    mode: str,
    args: argparse.Namespace,
    services: Services,
    kind: str,
) -> AuthorResult:
    """Post ``args.trials`` times as ``author``, one post at a time; after each, poll the last follower's
    home timeline and the jobs table until the post is on top and the fan-out job is gone."""
    result = AuthorResult(author, mode)
    writer, reader = Client(port), Client(port)
    token = author["last_follower"]["token"]
    reader.call("GET", "/api/v1/timelines/home?limit=1", token)  # warm the connection and caches
    if not jobs.drain(args.timeout):
        result.note = "an earlier fan-out was still running"
        return result
    before, dead, errors = cpu_now(services, kind), jobs.dead(), 0
    for n in range(args.trials):
        form = urllib.parse.urlencode({"status": f"Fan-out probe {n} to {author['followers']} followers"})
        status, body, seconds = writer.call("POST", "/api/v1/statuses", author["token"], form)
        acked = time.perf_counter()
        if status != 200:
            sys.exit(f"POST /api/v1/statuses answered {status}: {body[:200]!r}")
        top = b'[{"id":"' + json.loads(body)["id"].encode() + b'"'
        visible = done = None
        while time.perf_counter() - acked < args.timeout:
            if visible is None:
                answer, page, took = reader.call("GET", "/api/v1/timelines/home?limit=1", token)
                result.polls.append(took * 1000)
                errors += answer != 200
                if page.startswith(top):
                    visible = (time.perf_counter() - acked) * 1000
            if done is None and not jobs.pending():
                done = (time.perf_counter() - acked) * 1000
            if visible is not None and done is not None:
                break
            time.sleep(args.poll_ms / 1000)
        result.trials.append(Trial(seconds * 1000, visible, done))
        if done is None:
            result.note = f"timed out after {args.timeout:.0f} s; later trials skipped"
            jobs.drain(args.timeout)
            break
    after = cpu_now(services, kind)
    result.cpu = {k: (after[k] - before[k]) / max(1, len(result.trials)) for k in before}
    if jobs.dead() > dead:
        result.note += "; a fan-out job failed: see the server log"
    if errors:
        result.note += f"; {errors} home reads answered an error"
    writer.close()
    reader.close()
    return result


def create_latency(port: int, jobs: Jobs, token: str, count: int, timeout: float) -> list[float]:
    """Milliseconds of ``count`` posts made one at a time (then waits for their fan-out jobs)."""
    client, times = Client(port), []
    for n in range(count):
        form = urllib.parse.urlencode({"status": f"Create latency probe {n}"})
        status, body, seconds = client.call("POST", "/api/v1/statuses", token, form)
        if status != 200:
            sys.exit(f"POST /api/v1/statuses answered {status}: {body[:200]!r}")
        times.append(seconds * 1000)
    client.close()
    jobs.drain(timeout)
    return times


@dataclass
class Config:
    name: str
    threshold: int
    results: list[AuthorResult] = field(default_factory=list)
    creates: dict[int, list[float]] = field(default_factory=dict)
    prepare_s: float = 0.0


def run_config(target: Target, manifest: dict[str, Any], config: Config, args: argparse.Namespace) -> None:
    started = time.perf_counter()
    print(f"[{config.name}] resetting the data…", file=sys.stderr)
    reset(target, manifest)
    if args.feed_store == "redis":
        prime_redis(args.redis_url, manifest)
    config.prepare_s = time.perf_counter() - started
    done = "data reset and Redis primed" if args.feed_store == "redis" else "data reset"
    print(f"[{config.name}] {done} in {config.prepare_s:.0f} s", file=sys.stderr)
    target.env["GAZOUILLIS_FANOUT_THRESHOLD"] = str(config.threshold)
    jobs = Jobs(target.database_url)
    services = Services(target, args.workers)
    try:
        for author in manifest["authors"]:
            mode = "fan-out" if author["followers"] < config.threshold else "read-time merge"
            print(f"[{config.name}] author with {author['label']} follower(s) ({mode})…", file=sys.stderr)
            config.results.append(probe(target.port, jobs, author, mode, args, services, target.kind))
        if args.posts_probe and config.threshold == DEFAULT_THRESHOLD:
            for author in (manifest["authors"][0], manifest["authors"][-1]):
                print(f"[{config.name}] create latency, {author['label']} follower(s)…", file=sys.stderr)
                config.creates[author["followers"]] = create_latency(
                    target.port, jobs, author["token"], args.posts_probe, args.timeout
                )
    finally:
        services.stop()
        jobs.close()


# -- the report ---------------------------------------------------------------------------------------


def code_version() -> str:
    """The commit measured, and whether the work tree differs from it (read-only git, no index refresh)."""
    git = ["git", "--no-optional-locks", "-C", str(Path(__file__).resolve().parent.parent)]
    try:
        head = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        )
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "code: unknown (not a git checkout)"
    changes = " with uncommitted changes" if dirty.stdout.strip() else ""
    return f"code: commit {head.stdout.strip()}{changes}"


def label(count: int) -> str:
    if count >= 1_000_000 and count % 1_000_000 == 0:
        return f"{count // 1_000_000}M"
    if count >= 1_000 and count % 1_000 == 0:
        return f"{count // 1_000}K"
    return f"{count:,}"


def ms(values: list[float | None], how: str, timeout: float) -> str:
    """Median or max of ``values`` in ms; a None (not seen before the timeout) counts as endless."""
    if not values:
        return "–"
    endless = [math.inf if v is None else v for v in values]
    value = statistics.median(endless) if how == "median" else max(endless)
    if value == math.inf:
        return f"timeout ({timeout:.0f} s)"
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def report(
    command: str,
    target: Target,
    manifest: dict[str, Any],
    how: str,
    configs: list[Config],
    args: argparse.Namespace,
) -> str:
    version = code_version()
    store = "Redis" if args.feed_store == "redis" else "SQL (`feed_entries`)"
    database = "PostgreSQL" if target.kind == "postgresql" else "SQLite"
    shape = manifest["shape"]
    lines = [
        f"`{command}`",
        "",
        f"### Fan-out latency on {database}, {store} feed store",
        "",
        f"{shape['followers']:,} follower accounts, authors followed by the first "
        f"{', '.join(label(a['followers']) for a in manifest['authors'])} of them "
        f"({manifest['follows']:,} follows, {manifest['feed_entries']:,} feed entries: "
        f"each follower's feed holds the last {shape['feed_entries']} posts of each author it follows; "
        f"data {how}); `gazouillis serve --workers {args.workers}` + 1 `gazouillis worker`; "
        f"{args.trials} posts per author, one at a time, each once the previous fan-out is done; "
        f"the last follower's `GET /api/v1/timelines/home?limit=1` polled every {args.poll_ms:g} ms; "
        f"{os.cpu_count()} cores, shared with whatever else runs on the machine; {version}.",
        "",
        "| fan-out threshold | author's followers | delivery | create ms (median) "
        "| ack → on last follower's home, median ms | max ms | ack → fan-out job done, median ms | max ms "
        "| home read ms (median) | CPU s per post: worker / db / redis / web |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for config in configs:
        for r in config.results:
            creates = [t.create_ms for t in r.trials]
            visible = [t.visible_ms for t in r.trials]
            done = [t.done_ms for t in r.trials]
            cpu = r.cpu
            db = f"{cpu['db']:.2f}" if target.kind == "postgresql" else "(in-process)"
            redis_cpu = f"{cpu['redis']:.2f}" if args.feed_store == "redis" else "–"
            note = f" ({r.note.strip('; ')})" if r.note else ""
            figures = [
                ms(list(creates), "median", args.timeout),
                *(ms(values, how, args.timeout) for values in (visible, done) for how in ("median", "max")),
                ms(list(r.polls), "median", args.timeout),
                f"{cpu.get('worker', 0):.2f} / {db} / {redis_cpu} / {cpu.get('web', 0):.2f}",
            ]
            lines.append(
                f"| {config.name} | {r.author['followers']:,} | {r.mode}{note} | {' | '.join(figures)} |"
            )
    for config in configs:
        if not config.creates:
            continue
        lines += [
            "",
            f"| create-post latency ({args.posts_probe} posts one at a time, threshold {config.threshold:,}) "
            "| followers | p50 ms | p99 ms |",
            "|---|---:|---:|---:|",
        ]
        for followers, times in config.creates.items():
            lines.append(
                f"| author with {label(followers)} follower{'s' if followers > 1 else ''} | {followers:,} "
                f"| {statistics.median(times):.1f} | {p(times, 0.99):.1f} |"
            )
        (small, small_t), *_, (big, big_t) = config.creates.items()
        lines.append(
            f"| ratio {label(big)} / {label(small)} | | "
            f"{statistics.median(big_t) / statistics.median(small_t):.2f} "
            f"| {p(big_t, 0.99) / p(small_t, 0.99):.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--feed-store", choices=("sql", "redis"), default="redis")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        help="a Redis database of the bench's own: it is flushed at the start of each configuration",
    )
    parser.add_argument(
        "--followers-max",
        type=int,
        default=DEFAULT_FOLLOWERS,
        help="follower accounts, and the largest audience (default: %(default)s)",
    )
    parser.add_argument("--author-posts", type=int, default=20, help="older posts per author")
    parser.add_argument(
        "--feed-entries", type=int, default=5, help="of each followed author's posts in every follower's feed"
    )
    parser.add_argument(
        "--configs",
        default="fanout,default",
        help="fanout: threshold above every audience; default: threshold 10,000 (comma-separated)",
    )
    parser.add_argument("--trials", type=int, default=5, help="posts per author and configuration")
    parser.add_argument(
        "--posts-probe", type=int, default=50, help="posts per create-latency probe (0: none)"
    )
    parser.add_argument("--poll-ms", type=float, default=5.0)
    parser.add_argument(
        "--timeout", type=float, default=300.0, help="seconds a post may take to be delivered"
    )
    parser.add_argument("--workers", type=int, default=2, help="web processes")
    parser.add_argument("--port", type=int, default=8710)
    parser.add_argument("--rebuild", action="store_true", help="build the data again even if it exists")
    parser.add_argument("--build-only", action="store_true", help="build (or check) the data, then stop")
    args = parser.parse_args()
    if args.followers_max < 2 or args.feed_entries > args.author_posts:
        parser.error("--followers-max must be at least 2, --feed-entries at most --author-posts")
    if any(c.strip() not in ("fanout", "default") for c in args.configs.split(",")):
        parser.error("--configs takes fanout, default or both")
    here = Path.cwd()
    python = Path(sys.executable)
    shown = python.relative_to(here) if python.is_relative_to(here) else python
    command = shlex.join([str(shown), *sys.argv])

    DATA.mkdir(parents=True, exist_ok=True)
    target = Target(profile="fanout", kind=args.database, port=args.port)
    target.env = bench_env(target, GAZOUILLIS_FEED_STORE=args.feed_store)
    # The database and Redis are the bench's own, whatever the caller's environment says.
    target.env.pop("GAZOUILLIS_DATABASE_URL", None)
    target.env.pop("GAZOUILLIS_REDIS_URL", None)
    if args.feed_store == "redis":
        target.env["GAZOUILLIS_REDIS_URL"] = args.redis_url
    if target.kind == "postgresql":
        target.env["GAZOUILLIS_DATABASE_URL"] = target.database_url
    manifest, how = prepare(target, args)
    print(f"data: {how}", file=sys.stderr)
    if args.build_only:
        return
    largest = max(a["followers"] for a in manifest["authors"])
    available = {"fanout": ("all fanned out", largest + 1), "default": ("default", DEFAULT_THRESHOLD)}
    configs = []
    try:
        for key in args.configs.split(","):
            name, threshold = available[key.strip()]
            configs.append(Config(f"{threshold:,} ({name})", threshold))
            run_config(target, manifest, configs[-1], args)
    finally:
        if args.feed_store == "redis":  # a million feeds: give the memory back
            redis.Redis.from_url(args.redis_url).flushdb()
    print(report(command, target, manifest, how, configs, args))


if __name__ == "__main__":
    main()
