"""The cyclic garbage collector's pauses in a web process, with and without the start-up freeze.

    export GAZOUILLIS_DATABASE_URL=sqlite:///bench/.data/small-sqlite/gazouillis.sqlite3
    .venv/bin/python bench/gcpause.py --data small-sqlite --requests 4000 --rounds 2

Serves the data ``bench/run.py`` built in-process (as bench/hotspots.py does), once as a plain
``create_app`` and once followed by :func:`gazouillis.memory.freeze_startup_objects`, as ``gazouillis
serve`` and ``gazouillis worker`` do, each in a fresh interpreter and in turn (the machine drifts). After
every reader's home timeline has been read once, it times ``--requests`` more and records every
collection: how many per generation, their total and their longest pause. A full collection pauses every
request in flight in that process, so its longest pause is what a p99 sees.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import hotspots  # noqa: E402  (bench/ is a folder of scripts, not a package)


def measure(data: str, path: str, requests: int, readers: int, freeze: bool) -> dict[str, Any]:
    """One interpreter's run: the mean time per request and the collector's work meanwhile."""
    from gazouillis.app import create_app  # noqa: PLC0415
    from gazouillis.config import Settings  # noqa: PLC0415
    from gazouillis.memory import freeze_startup_objects  # noqa: PLC0415

    tokens = (BENCH / f".tokens-{data}.txt").read_text().split()[:readers]
    app = create_app(Settings(embedded_worker=False, bench_endpoints=True))
    if freeze:
        freeze_startup_objects()
    pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
    started: list[float] = []

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(time.perf_counter())
        else:
            pauses[info["generation"]].append((time.perf_counter() - started.pop()) * 1000)

    async def go() -> float:
        async with app.router.lifespan_context(app):
            await hotspots.run(app, path, tokens, len(tokens))  # warm: feeds, caches
            gc.callbacks.append(watch)
            mean = await hotspots.run(app, path, tokens, requests)
            gc.callbacks.remove(watch)
            return mean

    mean = asyncio.run(go())
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return {
        "peak_mb": int(status["VmHWM"].split()[0]) / 1024,
        "ms_per_request": mean * 1000,
        "tracked": len(gc.get_objects()),
        "frozen": gc.get_freeze_count(),
        "generations": {g: (len(p), sum(p), max(p, default=0.0)) for g, p in pauses.items()},
    }


def main() -> None:
    parser = hotspots.arguments(__doc__, requests=4000, readers=2000)
    parser.add_argument("--rounds", type=int, default=2, help="pairs of runs, plain and frozen in turn")
    parser.add_argument("--one", choices=("plain", "frozen"), help=argparse.SUPPRESS)  # a child's run
    args = parser.parse_args()
    if args.one:
        result = measure(args.data, args.path, args.requests, args.readers, args.one == "frozen")
        print(json.dumps(result))
        return
    rows = []
    for _ in range(args.rounds):
        for mode in ("plain", "frozen"):
            child = [sys.executable, __file__, "--one", mode, *sys.argv[1:]]
            out = subprocess.run(child, capture_output=True, text=True, check=True, env=os.environ)
            rows.append((mode, json.loads(out.stdout.strip().splitlines()[-1])))
    print(f"{args.path}, {args.requests} requests after warming {args.readers} readers, one thread\n")
    print(
        "| start-up objects | ms per request | tracked / frozen | collections gen 0 / 1 / 2 | GC ms in all "
        "| longest full collection ms | peak MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for mode, r in rows:
        gens = r["generations"]
        counts = " / ".join(str(gens[str(g)][0]) for g in range(3))
        total = sum(gens[str(g)][1] for g in range(3))
        print(
            f"| {mode} | {r['ms_per_request']:.3f} | {r['tracked']:,} / {r['frozen']:,} | {counts} "
            f"| {total:.0f} | {gens['2'][2]:.1f} | {r['peak_mb']:.0f} |"
        )
    figures = {
        "time per request": lambda r: r["ms_per_request"],
        "GC time": lambda r: sum(g[1] for g in r["generations"].values()),
        "longest full collection": lambda r: r["generations"]["2"][2],
    }
    ratios = []
    for name, figure in figures.items():
        plain = sum(figure(r) for m, r in rows if m == "plain")
        frozen = sum(figure(r) for m, r in rows if m == "frozen")
        ratios.append(f"{name} {frozen / plain:.3f}" if plain else f"{name} -")
    print("\nfrozen / plain: " + ", ".join(ratios))


if __name__ == "__main__":
    main()
