"""How long each process holds SQLite's write lock, by the code that took it: a probe for benchmarks.

Python imports ``sitecustomize`` at start-up from ``sys.path``, so putting this directory on
``PYTHONPATH`` loads it into every process started with that environment (web processes, their
spawned children, the worker)::

    PYTHONPATH=bench/lockhold BENCH_LOCKHOLD_DIR=/tmp/lockhold gazouillis serve --workers 2 ...

Each process wraps ``gazouillis.storage._begin_immediate`` (the wait for the lock) and the engines'
commit and rollback events (its release), and every 2 s writes ``lockhold-PID.txt`` there: per place
in gazouillis that began the write transaction, how many, the lock held (total, mean, p50, p99) and the
wait for it. Off unless BENCH_LOCKHOLD_DIR is set; never loaded by gazouillis itself.
"""

from __future__ import annotations

import os

if os.environ.get("BENCH_LOCKHOLD_DIR"):
    import threading
    import time
    import traceback
    from collections import defaultdict
    from pathlib import Path
    from typing import Any

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from gazouillis import storage

    _out = Path(os.environ["BENCH_LOCKHOLD_DIR"])
    _out.mkdir(parents=True, exist_ok=True)
    _held: dict[str, list[tuple[float, float]]] = defaultdict(list)
    _take = storage._begin_immediate

    def _where() -> str:
        for frame in reversed(traceback.extract_stack()[:-3]):
            path = frame.filename
            if "/gazouillis/" in path and not path.endswith(("storage.py", "hot.py")):
                return f"{path.split('/gazouillis/')[-1]}:{frame.lineno} {frame.name}"
        return "?"

    def _begin_immediate(conn: Any) -> None:
        asked = time.perf_counter()
        _take(conn)
        taken = time.perf_counter()
        conn.info["lockhold"] = (taken, _where(), taken - asked)

    def _released(conn: Any) -> None:
        held = conn.info.pop("lockhold", None)
        if held is not None:
            _held[held[1]].append((time.perf_counter() - held[0], held[2]))

    def _write() -> None:
        lines = []
        for where, runs in sorted(_held.items(), key=lambda kv: -sum(h for h, _ in kv[1])):
            holds, waits = sorted(h for h, _ in runs), sorted(w for _, w in runs)
            n = len(holds)
            lines.append(
                f"{where}: n={n} held {sum(holds):.2f} s, mean {1000 * sum(holds) / n:.2f} ms, "
                f"p50 {1000 * holds[n // 2]:.2f}, p99 {1000 * holds[int(n * 0.99)]:.2f}; "
                f"waited mean {1000 * sum(waits) / n:.2f} ms, p99 {1000 * waits[int(n * 0.99)]:.2f}"
            )
        (_out / f"lockhold-{os.getpid()}.txt").write_text("\n".join(lines) + "\n")

    def _every_two_seconds() -> None:
        # Not atexit: multiprocessing's children (uvicorn's web processes) leave by os._exit.
        while True:
            time.sleep(2)
            _write()

    storage._begin_immediate = _begin_immediate
    event.listen(Engine, "commit", _released)
    event.listen(Engine, "rollback", _released)
    threading.Thread(target=_every_two_seconds, name="lockhold", daemon=True).start()
