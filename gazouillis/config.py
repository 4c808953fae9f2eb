"""One typed settings object, read from ``GAZOUILLIS_*`` environment variables and an optional TOML file."""

from __future__ import annotations

import os
import secrets
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


class Settings(BaseSettings):
    """Every knob of an instance. Each field is documented in docs/settings.md (a test checks it)."""

    model_config = SettingsConfigDict(env_prefix="GAZOUILLIS_", extra="ignore")

    # Folder holding the SQLite database, the generated secret key and other local state.
    data_dir: Path = Path("data")
    # SQLAlchemy URL of the database; empty means a SQLite file in the data directory.
    # PostgreSQL: postgresql://user@host:5432/name
    database_url: str = ""
    # Public host name (with port when not 80/443) that appears in links, handles and the instance API.
    domain: str = "127.0.0.1:8000"
    # Whether the public address is served over https (behind a TLS-terminating proxy).
    https: bool = False
    # Name of the instance shown to visitors and clients.
    title: str = "gazouillis"
    # One-paragraph description of the instance.
    description: str = "A small corner of the conversation."
    # Address people can write to about this instance.
    contact_email: str = ""
    # Who may sign up: open (anyone), approval (an admin approves each account) or closed.
    registrations: Literal["open", "approval", "closed"] = "open"
    # Maximum weighted length of a post (twitter-text rules: most scripts count 1, CJK and emoji 2).
    max_post_length: int = Field(default=280, ge=1, le=100_000)
    # Secret used to sign forms and sessions; generated once and kept in the data directory when empty.
    secret_key: str = ""
    # Run the job runner inside each web process (turn off when separate `gazouillis worker` processes run).
    embedded_worker: bool = True
    # Largest request body accepted by the API, in bytes.
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    # Lifetime of OAuth access tokens in seconds; 0 keeps them until revoked, as Mastodon does.
    token_lifetime: int = Field(default=0, ge=0)
    # Log level (DEBUG, INFO, WARNING, ERROR).
    log_level: str = "INFO"
    # Log format: json (one object per line, for collectors) or text.
    log_format: Literal["json", "text"] = "json"
    # Path of an optional TOML settings file; environment variables win over it.
    config_file: str = "gazouillis.toml"
    # Serve the benchmark's reference route GET /bench/ceiling (bench/README.md); off in production.
    bench_endpoints: bool = False
    # URL of the Redis (or Valkey) server, e.g. redis://127.0.0.1:6379/0; empty means no Redis.
    redis_url: str = ""
    # Where home feeds live: sql (a table of the database, the embedded default) or redis (needs redis_url).
    feed_store: Literal["sql", "redis"] = "sql"
    # Entries kept per home feed; older ones are trimmed and fall off the end of the home timeline.
    feed_cap: int = Field(default=800, ge=1, le=100_000)
    # Authors with at least this many followers are not fanned out: their recent posts are merged into
    # their followers' home timelines when those are read (the hybrid Twitter uses for big accounts).
    fanout_threshold: int = Field(default=10_000, ge=0)
    # Followers one fan-out job delivers to, in one transaction; 0: 250 on SQLite (each batch holds the
    # only write lock, and new posts wait for it), 1,000 on PostgreSQL.
    fanout_batch_size: int = Field(default=0, ge=0)
    # Most PostgreSQL connections one process opens; 0 computes it (docs/settings.md, "Processes"):
    # web processes x pool + workers x pool must stay under the server's max_connections.
    database_pool_size: int = Field(default=0, ge=0, le=1000)
    # Requests one web process serves at once (the synchronous domain code runs in this many threads):
    # requests are CPU-bound under the GIL, so more only make them wait for each other and hold more
    # memory; 2 served the most on the benchmark machine (docs/performance.md). More processes use more
    # cores; more threads help only when requests wait on a distant database.
    request_threads: int = Field(default=2, ge=1, le=1000)
    # How long a job runner holds a job it claimed; a runner that died holds its jobs this long.
    job_lease_seconds: int = Field(default=120, ge=1)
    # How often an idle runner looks for jobs without being woken (retries that became due, expired leases).
    job_poll_seconds: float = Field(default=1.0, gt=0)
    # How much `gazouillis worker` lowers its own CPU priority (nice), so that on a shared machine the web
    # processes answering requests go first and fan-outs take the rest; 0 keeps the default priority.
    worker_nice: int = Field(default=10, ge=0, le=19)
    # Posts whose fixed parts (mentions, hashtags, application) each process keeps in memory; shared
    # through Redis too when redis_url is set. About 300 bytes a post.
    post_cache_size: int = Field(default=50_000, ge=0)
    # Megabytes of rendered home and account pages kept, served only while nothing they show has changed
    # (gazouillis.changes); 0 turns the page cache off. Unset: 128 on a SQLite file, in a file beside it
    # that the web processes share; off on PostgreSQL (there each lookup is a round trip, which cost more
    # than the pages saved in the benches), where each process keeps its own when set.
    home_cache_mb: float | None = Field(default=None, ge=0)
    # Seconds between the heartbeat comments (":thump") of a server-sent events stream (Mastodon: 15).
    streaming_heartbeat_seconds: float = Field(default=15.0, gt=0)
    # Events waiting for one streaming connection; a client that stops reading fills it and is dropped.
    streaming_queue_size: int = Field(default=500, ge=1)

    @model_validator(mode="after")
    def _feed_store_needs_redis(self) -> Settings:
        if self.feed_store == "redis" and not self.redis_url:
            raise ValueError("feed_store = redis needs redis_url (e.g. redis://127.0.0.1:6379/0)")
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_path = os.environ.get("GAZOUILLIS_CONFIG_FILE", "gazouillis.toml")
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=toml_path))

    @property
    def base_url(self) -> str:
        return _base_url(self.https, self.domain)

    @property
    def streaming_url(self) -> str:
        return f"{'wss' if self.https else 'ws'}://{self.domain}"

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            url = self.database_url
            # Accept the libpq form and point SQLAlchemy at psycopg 3.
            if url.startswith("postgres://"):
                url = "postgresql://" + url.removeprefix("postgres://")
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
            return url
        return f"sqlite:///{(self.data_dir / 'gazouillis.sqlite3').resolve()}"

    def resolved_secret_key(self) -> str:
        """The configured secret, or one generated on first use and kept in the data directory."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(key)
        return key


@cache
def _base_url(https: bool, domain: str) -> str:
    # One string for every call: the caches' keys hold it (a copy each was 0.6 MB on the large profile).
    return f"{'https' if https else 'http'}://{domain}"
