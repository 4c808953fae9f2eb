"""The ``toot`` command line, unmodified, against the real server process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import PASSWORD
from tests.e2e.conftest import Server

TOOT = str(Path(sys.executable).with_name("toot"))


def test_toot_logs_in_posts_and_reads(server: Server, tmp_path: Path) -> None:
    email = server.create_user("tooter")
    env = server.env | {"XDG_CONFIG_HOME": str(tmp_path / "config"), "TERM": "dumb"}

    def toot(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([TOOT, *args], env=env, capture_output=True, text=True, timeout=60)

    login = toot("login_cli", "--instance", server.url, "--email", email, "--password", PASSWORD)
    assert login.returncode == 0, login.stdout + login.stderr
    assert "Successfully logged in" in login.stdout

    who = toot("whoami", "--json")
    assert who.returncode == 0, who.stderr
    assert json.loads(who.stdout)["username"] == "tooter"

    posted = toot("post", "Hello from toot ✨ #cli")
    assert posted.returncode == 0, posted.stderr
    assert "Toot posted" in posted.stdout

    timeline = toot("timelines", "home", "--json", "--no-pager")
    assert timeline.returncode == 0, timeline.stderr
    statuses = json.loads(timeline.stdout)
    assert "Hello from toot ✨" in statuses[0]["content"]

    public = toot("timelines", "public", "--no-pager", "--no-clear")
    assert public.returncode == 0, public.stderr
    assert "Hello from toot" in public.stdout
