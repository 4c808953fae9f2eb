"""The command line: migrate, user create / list / approve, with clear errors and no traceback."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest

from gazouillis.cli import main
from gazouillis.storage import Database


@pytest.fixture
def env(db: Database, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAZOUILLIS_DATABASE_URL", database_url)
    monkeypatch.setenv("GAZOUILLIS_DATA_DIR", str(tmp_path))


@pytest.mark.usefixtures("env")
def test_user_commands(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["migrate"]) == 0
    assert (
        main(
            [
                "user",
                "create",
                "Admin_1",
                "--email",
                "admin@example.org",
                "--password",
                "a long passphrase",
                "--admin",
            ]
        )
        == 0
    )
    answers = iter(["another passphrase", "another passphrase"])
    monkeypatch.setattr(getpass, "getpass", lambda _prompt="": next(answers))
    assert main(["user", "create", "bob", "--email", "bob@example.org"]) == 0
    capsys.readouterr()
    assert main(["user", "list"]) == 0
    listing = capsys.readouterr().out
    assert "Admin_1" in listing and "admin@example.org" in listing and "admin" in listing.split("Admin_1")[1]
    assert "bob@example.org" in listing


@pytest.mark.usefixtures("env")
def test_bad_input_gives_a_message_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["user", "create", "bob", "--email", "bob@example.org", "--password", "short"]) == 2
    assert "too short" in capsys.readouterr().err
    answers = iter(["first passphrase", "second passphrase"])
    monkeypatch.setattr(getpass, "getpass", lambda _prompt="": next(answers))
    assert main(["user", "create", "bob", "--email", "bob@example.org"]) == 2
    assert "do not match" in capsys.readouterr().err
    assert main(["user", "approve", "nobody"]) == 2
    assert "No account named nobody" in capsys.readouterr().err
    main(["user", "list"])
    assert "bob" not in capsys.readouterr().out
