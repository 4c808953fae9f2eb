"""Benchmark runner: build (or reuse) the bench data, serve it, drive it with wrk, print Markdown tables.

    .venv/bin/python bench/run.py --profile small --databases sqlite             # make bench-small
    .venv/bin/python bench/run.py --profile small --databases sqlite,postgresql  # make bench

For each database: ``gazouillis seed bench`` into a dedicated database (reused on later runs unless
``--rebuild``), then ``gazouillis serve --workers N`` with ``GAZOUILLIS_EMBEDDED_WORKER=false`` plus one
``gazouillis worker``, every reader's home timeline read once (warm), each wrk scenario in turn (the
ceiling first: the others are divided by it), the fan-out and create-post probes, and the tables.
Everything runs on 127.0.0.1, for bounded durations. See bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

from gazouillis.config import Settings
from gazouillis.seed_bench import PROFILES

sys.path.insert(0, str(Path(__file__).resolve().parent))
from procs import descendants, named_cpu, rss_mb, tree_cpu  # noqa: E402  (bench/ is a folder of scripts, not a package)

BENCH = Path(__file__).resolve().parent
DATA = BENCH / ".data"
BIN = Path(sys.executable).parent
PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
# (name, Lua script, ids file the script reads besides the tokens)
SCENARIOS = (
    ("ceiling", "ceiling.lua", None),
    ("home timeline", "home.lua", None),
    ("account timeline", "account.lua", "accounts_file"),
    ("thread context", "context.lua", "threads_file"),
    ("create post", "create.lua", None),
    ("mix 60/30/10", "mix.lua", "accounts_file"),
)
WRITES = ("create post", "mix 60/30/10")
POLL_S = 0.010
FANOUT_TIMEOUT_S = 30.0
DRAIN_TIMEOUT_S = 180.0


@dataclass
class Target:
    """One database the suite runs against, with the environment of every process that uses it."""

    profile: str
    kind: str  # sqlite or postgresql
    port: int
    redis: bool = False  # production mode: home feeds and the post cache in Redis
    env: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The data's name (the same data serves with or without Redis)."""
        return f"{self.profile}-{self.kind}"

    @property
    def label(self) -> str:
        return f"{self.kind} + Redis" if self.redis else self.kind

    @property
    def database_url(self) -> str:
        if self.kind == "sqlite":
            return f"sqlite:///{DATA / self.name / 'gazouillis.sqlite3'}"
        return PG_ADMIN.rsplit("/", 1)[0] + f"/gazouillis_bench_{self.profile}"

    @property
    def manifest_path(self) -> Path:
        return BENCH / f".bench-{self.name}.json"


def bench_env(target: Target, **extra: str) -> dict[str, str]:
    """The environment of every process serving ``target``: its own data, no embedded job runner."""
    return {
        **os.environ,
        "GAZOUILLIS_CONFIG_FILE": os.devnull,
        "GAZOUILLIS_DATA_DIR": str(DATA / target.name),
        "GAZOUILLIS_DOMAIN": f"127.0.0.1:{target.port}",
        "GAZOUILLIS_SECRET_KEY": "bench-only-secret",
        "GAZOUILLIS_EMBEDDED_WORKER": "false",
        **extra,
    }


def gazouillis(target: Target, *args: str, **kw: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(BIN / "gazouillis"), *args], env=target.env, **kw)


def prepare(target: Target, args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    """The manifest of the target's data, built now unless an earlier build can be reused."""
    stamp = DATA / f"{target.name}.built"
    wanted = (
        args.accounts or PROFILES[target.profile].accounts,
        args.posts or PROFILES[target.profile].posts,
    )
    if stamp.exists() and target.manifest_path.exists() and not args.rebuild:
        manifest = json.loads(target.manifest_path.read_text())
        if (manifest["accounts"], manifest["posts"]) == wanted:
            # Data built by an older version gets the newer tables (the server runs with --no-migrate).
            if gazouillis(target, "migrate", stdout=subprocess.DEVNULL).wait():
                sys.exit("migration failed")
            return manifest, "reused"
    stamp.unlink(missing_ok=True)
    if target.kind == "sqlite":
        shutil.rmtree(DATA / target.name, ignore_errors=True)
        (DATA / target.name).mkdir(parents=True)
    else:
        admin = create_engine(
            Settings(database_url=PG_ADMIN).resolved_database_url, isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "gazouillis_bench_{target.profile}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "gazouillis_bench_{target.profile}"'))
        admin.dispose()
    if gazouillis(target, "migrate", stdout=subprocess.DEVNULL).wait():
        sys.exit("migration failed")
    seed = ["seed", "bench", "--profile", target.profile, "--name", target.name, "--out-dir", str(BENCH)]
    if args.accounts:
        seed += ["--accounts", str(args.accounts)]
    if args.posts:
        seed += ["--posts", str(args.posts)]
    started = time.perf_counter()
    if gazouillis(target, *seed).wait():
        sys.exit("seed bench failed")
    stamp.write_text(target.database_url + "\n")
    return json.loads(target.manifest_path.read_text()), f"built in {time.perf_counter() - started:.0f} s"


class Client:
    """A keep-alive HTTP/1.1 connection to the server, for the warm-up and the probes."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method: str, path: str, token: str, form: str | None = None) -> tuple[int, bytes, float]:
        headers = {"Authorization": f"Bearer {token}"}
        if form is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=form, headers=headers)
                response = self.conn.getresponse()
                body = response.read()
                return response.status, body, time.perf_counter() - started
            except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
                # The server closes idle keep-alive connections (uvicorn: after 5 s): reconnect once.
                self.conn.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.conn.close()


class Services:
    """``gazouillis serve`` (N web processes, no embedded runner) and one ``gazouillis worker``."""

    def __init__(self, target: Target, workers: int) -> None:
        self.log_path = DATA / f"{target.name}-server.log"
        log = open(self.log_path, "ab")  # noqa: SIM115  (closed in stop())
        self.log = log
        self.server = gazouillis(
            target,
            "serve",
            "--port",
            str(target.port),
            "--workers",
            str(workers),
            "--no-migrate",
            stdout=log,
            stderr=log,
        )
        self.worker = gazouillis(target, "worker", stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", target.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    time.sleep(1.0)  # let every web process finish starting
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        sys.exit(f"the server did not answer on port {target.port}; see {log.name}")

    def stop(self) -> None:
        for proc in (self.server, self.worker):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in (self.server, self.worker):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.log.close()


def warm(port: int, tokens: list[str]) -> tuple[int, float]:
    """Read every reader's home timeline once (a missing feed is built on first read); returns the
    number of empty timelines and the mean page size in bytes."""

    def read(chunk: list[str]) -> list[int]:
        client, sizes = Client(port), []
        for token in chunk:
            status, body, _ = client.call("GET", "/api/v1/timelines/home", token)
            sizes.append(len(body) if status == 200 and body != b"[]" else 0)
        client.close()
        return sizes

    chunks = [tokens[i::8] for i in range(8)]
    with ThreadPoolExecutor(8) as pool:
        sizes = [s for part in pool.map(read, chunks) for s in part]
    full = [s for s in sizes if s]
    return len(sizes) - len(full), statistics.mean(full) if full else 0.0


_engines: dict[str, Engine] = {}


def pending_jobs(url: str) -> int:
    if url not in _engines:
        _engines[url] = create_engine(Settings(database_url=url).resolved_database_url, poolclass=NullPool)
    with _engines[url].connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM jobs WHERE NOT dead")).scalar() or 0)


def drain(url: str) -> float:
    """Wait (bounded) until the worker has run every pending job; returns the seconds waited."""
    started = time.monotonic()
    while pending_jobs(url) and time.monotonic() - started < DRAIN_TIMEOUT_S:
        time.sleep(0.2)
    return time.monotonic() - started


def cpu_now(services: Services, kind: str) -> dict[str, float]:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "server": tree_cpu(services.server.pid),
        "worker": tree_cpu(services.worker.pid),
        "db": named_cpu("postgres") if kind == "postgresql" else 0.0,
        "driver": children.ru_utime + children.ru_stime,  # wrk, once it has exited
    }


def run_scenario(
    target: Target,
    services: Services,
    manifest: dict[str, Any],
    script: str,
    ids: str | None,
    args: Any,
    *,
    duration: int | None = None,
) -> dict[str, Any]:
    """One wrk run (``duration`` seconds, the --duration by default); the result line of the Lua
    ``done``, plus CPU used per second of the run."""
    duration = duration or args.duration
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "30s",
        "-s",
        str(BENCH / script),
        f"http://127.0.0.1:{target.port}",
        "--",
        manifest["tokens_file"],
    ]
    if ids:
        command.append(manifest[ids])
    log_from = services.log_path.stat().st_size
    before, started = cpu_now(services, target.kind), time.monotonic()
    out = subprocess.run(command, capture_output=True, text=True, timeout=duration + 120, check=False)
    drained = drain(target.database_url) if script in ("create.lua", "mix.lua") else 0.0
    after, wall = cpu_now(services, target.kind), time.monotonic() - started
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        sys.exit(f"wrk gave no result:\n{out.stdout}\n{out.stderr}")
    result: dict[str, Any] = json.loads(line.removeprefix("BENCH_JSON "))
    result["cpu"] = {k: (after[k] - before[k]) / wall for k in before}
    result["drain_s"] = drained
    # wrk only sees the answers that arrive before it stops; the server's log sees every one.
    result["server_5xx"] = server_errors(services.log_path, log_from)
    return result


def server_errors(log: Path, offset: int) -> int:
    """5xx answers the server logged after ``offset`` (its access log is one JSON object a line)."""
    count = 0
    with log.open("rb") as f:
        f.seek(offset)
        for line in f:
            if b'"status": 5' in line:
                count += 1
    return count


def fanout_latency(port: int, role: dict[str, Any], trials: int) -> list[float]:
    """Milliseconds from create-post acknowledged to the post on top of the last follower's home."""
    follower, author = Client(port), Client(port)
    reader = role["last_follower"]["token"]
    follower.call("GET", "/api/v1/timelines/home", reader)  # warm: measure delivery, not a rebuild
    seen = []
    for n in range(trials):
        status, body, _ = author.call("POST", "/api/v1/statuses", role["token"], f"status=Fan-out+probe+{n}")
        acked = time.perf_counter()
        assert status == 200, body[:200]
        post_id = json.loads(body)["id"]
        while time.perf_counter() - acked < FANOUT_TIMEOUT_S:
            _, page, _ = follower.call("GET", "/api/v1/timelines/home?limit=1", reader)
            if page.startswith(b'[{"id":"' + post_id.encode() + b'"'):
                seen.append((time.perf_counter() - acked) * 1000)
                break
            time.sleep(POLL_S)
        else:
            seen.append(float("inf"))
    follower.close()
    author.close()
    return seen


def create_latency(port: int, token: str, count: int) -> list[float]:
    client = Client(port)
    times = []
    for n in range(count):
        status, body, seconds = client.call(
            "POST", "/api/v1/statuses", token, f"status=Latency+probe+{n}+%23bench"
        )
        assert status == 200, body[:200]
        times.append(seconds * 1000)
    client.close()
    return times


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def run_target(target: Target, args: argparse.Namespace) -> str:
    manifest, how = prepare(target, args)
    tokens = Path(manifest["tokens_file"]).read_text().split()
    services = Services(target, args.workers)
    try:
        started = time.monotonic()
        empty, page_bytes = warm(target.port, tokens)
        warm_s = time.monotonic() - started
        results = {}
        for name, script, ids in SCENARIOS:
            if name != "ceiling" and args.scenarios and name.split()[0] not in args.scenarios:
                continue
            print(f"[{target.name}] {name}…", file=sys.stderr)
            if args.warm_seconds and name not in WRITES:
                # An untimed pass first: every web process sees each reader (a connection sticks to one
                # process, and each keeps its own caches), as a server that has been up a while has.
                run_scenario(target, services, manifest, script, ids, args, duration=args.warm_seconds)
            results[name] = run_scenario(target, services, manifest, script, ids, args)
        drain(target.database_url)
        roles = manifest["roles"]
        fanout = {
            r: fanout_latency(target.port, roles[r], args.trials) for r in ("around_1k", "around_5k", "top")
        }
        creates = {}
        for role in ("top", "one_follower"):
            # One after the other, each once the other's fan-out is done: the worker's writes would
            # otherwise slow the next author's posts down.
            creates[role] = create_latency(target.port, roles[role]["token"], args.posts_probe)
            drain(target.database_url)
        web = descendants(services.server.pid)  # uvicorn's supervisor has no request to serve
        memory = {
            "web peak": [rss_mb(pid) for pid in web],
            "web now": [rss_mb(pid, "VmRSS") for pid in web],
            "worker peak": [rss_mb(services.worker.pid)],
        }
    finally:
        services.stop()
    report_args = (results, fanout, creates, (empty, page_bytes, warm_s), memory)
    return report(target, args, manifest, how, *report_args)


def report(
    target: Target,
    args: argparse.Namespace,
    manifest: dict[str, Any],
    how: str,
    results: dict[str, dict[str, Any]],
    fanout: dict[str, list[float]],
    creates: dict[str, list[float]],
    warmed: tuple[int, float, float],
    memory: dict[str, list[float]],
) -> str:
    empty, page_bytes, warm_s = warmed
    ceiling = results["ceiling"]["rps"]
    lines = [
        f"### {target.profile} profile on {target.label}",
        "",
        f"{manifest['accounts']:,} accounts, {manifest['posts']:,} posts, {manifest['follows']:,} follows "
        f"(data {how}); `gazouillis serve --workers {args.workers}` + 1 `gazouillis worker`; "
        f"wrk {args.threads} threads × {args.connections} connections × {args.duration} s per scenario "
        f"(read scenarios after {args.warm_seconds} s untimed); "
        f"{len(manifest['readers']):,} reader tokens, warmed in {warm_s:.0f} s "
        f"({empty} empty home timelines); "
        f"home page {page_bytes / 1000:.1f} kB on average, ceiling body "
        f"{results['ceiling']['bytes'] / max(1, results['ceiling']['requests']) / 1000:.1f} kB.",
        "",
        "| scenario | requests/s | p50 ms | p90 ms | p99 ms | errors (server 5xx) | ratio to ceiling | "
        "CPU cores server / worker / db / driver |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, r in results.items():
        cpu = r["cpu"]
        db = f"{cpu['db']:.2f}" if target.kind == "postgresql" else "(in server)"
        note = f" (+{r['drain_s']:.1f} s fan-out backlog)" if name in WRITES and r["drain_s"] >= 0.5 else ""
        lines.append(
            f"| {name}{note} | {r['rps']:,.0f} | {r['p50_ms']:.1f} | {r['p90_ms']:.1f} | {r['p99_ms']:.1f} | "
            f"{r['non2xx'] + r['socket_errors']} ({r['server_5xx']}) | {r['rps'] / ceiling:.3f} | "
            f"{cpu['server']:.2f} / {cpu['worker']:.2f} / {db} / {cpu['driver']:.2f} |"
        )
    roles = manifest["roles"]
    lines += [
        "",
        "| fan-out: create acknowledged → on the last follower's home | followers | median ms | max ms |",
        "|---|---:|---:|---:|",
    ]
    for role, times in fanout.items():
        median, worst = (
            f"{x:.0f}" if x != float("inf") else "not seen in 30 s"
            for x in (statistics.median(times), max(times))
        )
        lines.append(f"| {role} | {roles[role]['followers']:,} | {median} | {worst} |")
    lines += [
        "",
        f"| create-post latency ({args.posts_probe} posts, one at a time) | followers | median ms | p99 ms |",
        "|---|---:|---:|---:|",
    ]
    for role, times in creates.items():
        lines.append(
            f"| {role} | {roles[role]['followers']:,} | {statistics.median(times):.1f} "
            f"| {p(times, 0.99):.1f} |"
        )
    peak, now = (" / ".join(f"{mb:.0f}" for mb in memory[k]) for k in ("web peak", "web now"))
    lines += [
        "",
        f"Resident memory (MB): web processes {now} at the end, {peak} at their peak (uvicorn's "
        f"supervisor first); worker {memory['worker peak'][0]:.0f} at its peak.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--profile", choices=("small", "large"), default="small")
    parser.add_argument(
        "--databases",
        default="sqlite",
        help="comma-separated: sqlite, postgresql, postgresql+redis (feeds and post cache in Redis)",
    )
    parser.add_argument("--accounts", type=int, help="override the profile's number of accounts")
    parser.add_argument("--posts", type=int, help="override the profile's number of posts")
    parser.add_argument("--rebuild", action="store_true", help="build the data again even if it exists")
    parser.add_argument("--workers", type=int, default=2, help="web processes")
    parser.add_argument("--duration", type=int, default=10, help="seconds per scenario")
    parser.add_argument(
        "--warm-seconds", type=int, default=5, help="untimed seconds of each read scenario first (0: none)"
    )
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--trials", type=int, default=5, help="fan-out probes per author")
    parser.add_argument("--posts-probe", type=int, default=50, help="posts per create-latency probe")
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument(
        "--scenarios",
        type=lambda v: set(v.split(",")),
        default=set(),
        help="comma-separated first words of the scenarios to run (home, account, thread, create, mix); "
        "the ceiling always runs; default: all",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    DATA.mkdir(parents=True, exist_ok=True)
    tables = []
    for choice in args.databases.split(","):
        kind, _, extra = choice.strip().partition("+")
        target = Target(profile=args.profile, kind=kind, port=args.port, redis=extra == "redis")
        target.env = bench_env(target, GAZOUILLIS_BENCH_ENDPOINTS="true")
        if target.kind == "postgresql":
            target.env["GAZOUILLIS_DATABASE_URL"] = target.database_url
        if target.redis:
            redis.Redis.from_url(BENCH_REDIS_URL).flushdb()  # feeds are rebuilt by the warm-up
            target.env["GAZOUILLIS_REDIS_URL"] = BENCH_REDIS_URL
            target.env["GAZOUILLIS_FEED_STORE"] = "redis"
        tables.append(run_target(target, args))
    print("\n\n".join(tables))


if __name__ == "__main__":
    main()
