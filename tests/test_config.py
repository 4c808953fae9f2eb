"""Settings come from GAZOUILLIS_* variables and an optional TOML file; variables win."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from anyio import to_thread
from pydantic import ValidationError
from starlette.testclient import TestClient

from gazouillis.app import create_app
from gazouillis.config import Settings
from gazouillis.storage import process_pool_size


def test_toml_file_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "gazouillis.toml"
    config.write_text('title = "Le Fil"\nmax_post_length = 500\nregistrations = "approval"\n')
    monkeypatch.setenv("GAZOUILLIS_CONFIG_FILE", str(config))
    monkeypatch.setenv("GAZOUILLIS_MAX_POST_LENGTH", "1000")
    s = Settings()
    assert s.title == "Le Fil" and s.registrations == "approval" and s.max_post_length == 1000


def test_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GAZOUILLIS_CONFIG_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("GAZOUILLIS_REGISTRATIONS", "sometimes")
    with pytest.raises(ValidationError):
        Settings()


def test_defaults_and_derived_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAZOUILLIS_CONFIG_FILE", str(tmp_path / "none.toml"))
    s = Settings(data_dir=tmp_path)
    assert s.resolved_database_url == f"sqlite:///{tmp_path / 'gazouillis.sqlite3'}"
    assert (
        Settings(database_url="postgresql://u@h:5432/d").resolved_database_url
        == "postgresql+psycopg://u@h:5432/d"
    )
    assert (
        s.base_url == "http://127.0.0.1:8000"
        and Settings(https=True, domain="x.org").streaming_url == "wss://x.org"
    )
    # The secret key is generated once and kept.
    key = s.resolved_secret_key()
    assert len(key) > 40 and Settings(data_dir=tmp_path).resolved_secret_key() == key
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_pool_sizes_follow_the_request_threads() -> None:
    assert process_pool_size(7, web_processes=2, request_threads=8) == 7  # configured wins
    assert process_pool_size(0, web_processes=None, request_threads=8) == 3  # a worker
    assert process_pool_size(0, web_processes=2, request_threads=8) == 10  # no more than its threads use
    assert process_pool_size(0, web_processes=1, request_threads=40) == 42
    assert process_pool_size(0, web_processes=4, request_threads=40) == 15  # its share of the budget
    assert process_pool_size(0, web_processes=30, request_threads=8) == 4  # never fewer than 4


def test_the_app_serves_requests_on_its_request_threads(settings: Settings, db: Any) -> None:
    async def tokens() -> float:
        return to_thread.current_default_thread_limiter().total_tokens

    app = create_app(settings.model_copy(update={"request_threads": 3}), database=db)
    with TestClient(app) as client:
        assert client.portal.call(tokens) == 3
