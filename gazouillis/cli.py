"""The ``gazouillis`` command line: serve, worker, migrate, user and seed."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import uvicorn

from gazouillis import logs
from gazouillis.accounts import service as accounts
from gazouillis.changes import stores as page_store
from gazouillis.config import Settings
from gazouillis.errors import DomainError
from gazouillis.events import relay
from gazouillis.jobs.process import Background
from gazouillis.memory import freeze_startup_objects
from gazouillis.storage import Database, process_pool_size, sqlite_file
from gazouillis.timelines import fanout  # noqa: F401  (registers the fan-out job handlers)
from gazouillis.timelines.feeds import attach_from_settings

# Alembic, the seeders and their progress bars are imported where used: every web process that
# ``serve --workers N`` spawns imports this module as its __main__, and had them loaded for nothing (6 MB).


def _prepare(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)


def _upgrade(settings: Settings) -> None:
    from gazouillis import migrate

    migrate.upgrade(settings.resolved_database_url)


def cmd_migrate(settings: Settings, _args: argparse.Namespace) -> int:
    _prepare(settings)
    _upgrade(settings)
    print("database is up to date")
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    _prepare(settings)
    if not args.no_migrate:
        _upgrade(settings)
    # Links and handles follow the address actually served unless a public domain was configured.
    if "GAZOUILLIS_DOMAIN" not in os.environ:
        os.environ["GAZOUILLIS_DOMAIN"] = f"{args.host}:{args.port}"
    settings.resolved_secret_key()  # create it once, before several processes race to
    database_file = sqlite_file(settings.resolved_database_url)
    if database_file is not None:
        page_store.reset(database_file)  # before any web process opens it
    # Each web process's share of the PostgreSQL connections, handed down through the environment.
    os.environ["GAZOUILLIS_DATABASE_POOL_SIZE"] = str(
        process_pool_size(
            settings.database_pool_size, web_processes=args.workers, request_threads=settings.request_threads
        )
    )
    logs.configure(settings.log_level, settings.log_format)
    uvicorn.run(
        "gazouillis.app:app_from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,
        access_log=False,
        proxy_headers=True,
    )
    return 0


def cmd_worker(settings: Settings, _args: argparse.Namespace) -> int:
    logs.configure(settings.log_level, settings.log_format)
    if settings.worker_nice:
        os.nice(settings.worker_nice)  # background work yields the CPU to requests (worker_nice setting)
    db = Database(
        settings.resolved_database_url,
        pool_size=process_pool_size(
            settings.database_pool_size, web_processes=None, request_threads=settings.request_threads
        ),
        max_overflow=0,
    )
    store = attach_from_settings(db, settings)
    # What jobs emit (notifications…) reaches the web processes' streams through Redis or PostgreSQL.
    bus = relay.attach_from_settings(db, settings)
    bus.start()
    background = Background(db, settings, run_jobs=True)
    freeze_startup_objects()
    signal.signal(signal.SIGTERM, lambda *_: background.interrupt())
    try:
        with contextlib.suppress(KeyboardInterrupt):
            background.run()
    finally:
        bus.close()
        store.close()
        db.dispose()
    return 0


def cmd_user_create(settings: Settings, args: argparse.Namespace) -> int:
    password = args.password
    if password is None:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != password:
            print("The passwords do not match.", file=sys.stderr)
            return 2
    with _database(settings) as db, db.write() as session:
        account = accounts.create_account(
            session, username=args.username, email=args.email, password=password, admin=args.admin
        )
    print(f"created @{account.username} (id {account.id}){' as admin' if args.admin else ''}")
    return 0


def cmd_user_list(settings: Settings, _args: argparse.Namespace) -> int:
    with _database(settings) as db, db.read() as session:
        rows = accounts.list_users(session)
    print(f"{'id':<20} {'username':<30} {'email':<40} flags")
    for account, user in rows:
        flags = ",".join(
            f
            for f, on in (("admin", user.admin), ("pending", not user.approved), ("disabled", user.disabled))
            if on
        )
        print(f"{account.id:<20} {account.username:<30} {user.email:<40} {flags}")
    return 0


def cmd_user_approve(settings: Settings, args: argparse.Namespace) -> int:
    with _database(settings) as db, db.write() as session:
        accounts.approve(session, args.username)
    print(f"approved @{args.username}")
    return 0


def cmd_seed_demo(settings: Settings, args: argparse.Namespace) -> int:
    from gazouillis.seed import seed_demo

    with _database(settings) as db:
        print(seed_demo(db, settings, password=args.password))
    return 0


def cmd_seed_bench(settings: Settings, args: argparse.Namespace) -> int:
    from gazouillis.seed_bench import seed_bench

    with _database(settings) as db:
        summary = seed_bench(
            db,
            settings,
            profile=args.profile,
            accounts=args.accounts,
            posts=args.posts,
            name=args.name,
            out_dir=args.out_dir,
            seed=args.seed,
            prime_feeds=args.prime_feeds,
        )
    print(summary)
    return 0


@contextlib.contextmanager
def _database(settings: Settings) -> Iterator[Database]:
    db = Database(settings.resolved_database_url)
    store = attach_from_settings(db, settings)
    try:
        yield db
    finally:
        store.close()
        db.dispose()


def build_parser() -> argparse.ArgumentParser:
    from gazouillis.seed_bench import PROFILES, SEED

    parser = argparse.ArgumentParser(prog="gazouillis", description="A self-hostable microblogging service.")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the web server (migrates the database first)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="number of web processes")
    serve.add_argument("--no-migrate", action="store_true", help="do not migrate the database on start")
    serve.set_defaults(fn=cmd_serve)

    sub.add_parser("worker", help="run background jobs (fan-out…) in this process").set_defaults(
        fn=cmd_worker
    )
    sub.add_parser("migrate", help="create or upgrade the database schema").set_defaults(fn=cmd_migrate)

    user = sub.add_parser("user", help="manage accounts").add_subparsers(dest="user_command", required=True)
    create = user.add_parser("create", help="create an account")
    create.add_argument("username")
    create.add_argument("--email", required=True)
    create.add_argument("--password", help="asked for when missing")
    create.add_argument("--admin", action="store_true")
    create.set_defaults(fn=cmd_user_create)
    user.add_parser("list", help="list local accounts").set_defaults(fn=cmd_user_list)
    approve = user.add_parser("approve", help="approve an account waiting for approval")
    approve.add_argument("username")
    approve.set_defaults(fn=cmd_user_approve)

    seed = sub.add_parser("seed", help="fill the database with sample data").add_subparsers(
        dest="seed_command", required=True
    )
    demo = seed.add_parser("demo", help="a small living community: ~20 accounts and a few hundred posts")
    demo.add_argument("--password", default="gazouillis-demo", help="password of every demo account")
    demo.set_defaults(fn=cmd_seed_demo)
    bench = seed.add_parser("bench", help="a large instance for the benchmarks in bench/ (empty database)")
    bench.add_argument("--profile", choices=sorted(PROFILES), default="small", help="size (default: small)")
    bench.add_argument("--accounts", type=int, help="number of accounts, instead of the profile's")
    bench.add_argument("--posts", type=int, help="number of posts, reposts included")
    bench.add_argument("--name", help="name of the driver files (default: the profile)")
    bench.add_argument("--out-dir", type=Path, default=Path("bench"), help="where the driver files go")
    bench.add_argument("--seed", type=int, default=SEED, help="seed of the random choices")
    bench.add_argument(
        "--prime-feeds",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="fill the readers' home feeds (default: only if the feed store cannot rebuild them)",
    )
    bench.set_defaults(fn=cmd_seed_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.fn(Settings(), args))
    except DomainError as exc:  # bad input from the command line: the message, not a traceback
        print(exc.message, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
