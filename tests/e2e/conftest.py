"""The real ``gazouillis serve`` process on a free port, over the test database of each kind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import pytest
from mastodon import Mastodon

from gazouillis.storage import Database
from tests.conftest import PASSWORD


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Child:
    """A gazouillis process a test started: stopped gently, or killed."""

    process: subprocess.Popen[bytes] | None
    stop_seconds = 10

    def kill(self) -> None:
        """``kill -9``: no shutdown hook runs."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(self.stop_seconds)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Server(Child):
    url: str
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self, **extra_env: str) -> None:
        port = self.url.rsplit(":", 1)[1]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gazouillis", "serve", "--port", port],
                env=self.env | extra_env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-3000:]}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log.read_text()[-3000:]}")

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "gazouillis", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def create_user(self, username: str) -> str:
        email = f"{username}@example.org"
        done = self.cli("user", "create", username, "--email", email, "--password", PASSWORD)
        assert done.returncode == 0, done.stderr
        return email

    def mastodon(self, email: str, **options: str) -> Mastodon:
        """A Mastodon.py client logged in as ``email``, through an app of its own."""
        client_id, client_secret = Mastodon.create_app("gazouillis e2e", api_base_url=self.url)
        m = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=self.url, **options)
        m.log_in(email, PASSWORD)
        return m

    def token(self, email: str, scopes: str = "read write follow") -> str:
        """A user token for ``email`` (password grant), for clients that send plain HTTP."""
        app = httpx.post(
            self.url + "/api/v1/apps",
            data={"client_name": "e2e", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": scopes},
        ).json()
        r = httpx.post(
            self.url + "/oauth/token",
            data={
                "grant_type": "password",
                "client_id": app["client_id"],
                "client_secret": app["client_secret"],
                "username": email,
                "password": PASSWORD,
                "scope": scopes,
            },
        )
        assert r.status_code == 200, r.text
        return str(r.json()["access_token"])


@pytest.fixture
def server_env(db: Database, database_url: str, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GAZOUILLIS_")}
    return env | {
        "GAZOUILLIS_DATA_DIR": str(tmp_path / "data"),
        "GAZOUILLIS_DATABASE_URL": database_url,
        "GAZOUILLIS_LOG_FORMAT": "text",
        "GAZOUILLIS_CONFIG_FILE": str(tmp_path / "absent.toml"),
    }


@pytest.fixture
def server(server_env: dict[str, str], tmp_path: Path) -> Iterator[Server]:
    srv = Server(url=f"http://127.0.0.1:{free_port()}", env=server_env, log=tmp_path / "server.log")
    srv.start()
    yield srv
    srv.stop()


def wait_for(predicate: object, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False
