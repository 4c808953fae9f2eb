"""What a web process loads: an instance on SQLite without Redis never imports psycopg or redis, and
no web process loads the command line's migration and seeding tools."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROBE = """
import sys
from starlette.testclient import TestClient
from gazouillis.app import create_app
from gazouillis.config import Settings
from gazouillis import migrate

url = "sqlite:///{path}"
migrate.upgrade(url)
app = create_app(Settings(database_url=url, embedded_worker=True))
with TestClient(app) as client:
    assert client.get("/api/v1/instance").status_code == 200
    assert client.get("/api/v1/timelines/public").status_code == 200
print(sorted(m for m in ("psycopg", "redis") if m in sys.modules))
"""


def test_sqlite_without_redis_loads_neither_driver(tmp_path: Path) -> None:
    # ~15 MB of every process (measured: psycopg 9, redis 6) that a one-box instance has no use for.
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(path=tmp_path / "probe.sqlite3")],
        capture_output=True,
        text=True,
        check=True,
        env={"GAZOUILLIS_CONFIG_FILE": "/dev/null", "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_web_processes_do_not_load_the_command_lines_tools() -> None:
    # `serve --workers N` spawns processes that import the command line module as their __main__:
    # migrations (Alembic, Mako), the seeders and their progress bars stay out of them (6 MB each).
    probe = (
        "import sys, gazouillis.cli; "
        "print(sorted(m for m in ('alembic', 'mako', 'tqdm', 'gazouillis.seed_bench', 'gazouillis.seeding') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_server_processes_freeze_their_start_up_objects(tmp_path: Path) -> None:
    # What start-up built stays out of the collector's full collections (their pauses: 64–111 ms → 16–20
    # ms, bench/gcpause.py); the ORM's mappers are configured before, or they would be built after.
    probe = (
        "import gc; from gazouillis.app import app_from_environment; "
        "before = gc.get_freeze_count(); app_from_environment(); "
        "from gazouillis.accounts.tables import Account; "
        "print(before, gc.get_freeze_count(), Account.__mapper__.configured)"
    )
    env = {
        "GAZOUILLIS_CONFIG_FILE": "/dev/null",
        "GAZOUILLIS_DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}",
        "GAZOUILLIS_SECRET_KEY": "probe",
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    before, frozen, configured = out.stdout.split()
    assert int(before) == 0
    assert int(frozen) > 50_000  # the modules' functions and classes alone are ~100,000 objects
    assert configured == "True"
