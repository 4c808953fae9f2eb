"""What a web process loads: an instance on SQLite without Redis never imports psycopg or redis."""

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
