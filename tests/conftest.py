"""Shared fixtures: every test gets a real SQLite file in its own temp dir."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from clerk_tui.db import Database, open_database
from clerk_tui.domain import auth, setup
from clerk_tui.domain.actor import SYSTEM, Actor

PINS = {"trainee": "1111", "csr1": "2222", "csr2": "3333", "csr3": "4444",
        "supervisor": "5555", "admin": "9999"}


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the sandbox and config dirs of a test inside its temp dir."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("CLERK_TUI_SANDBOX_DB", raising=False)
    monkeypatch.delenv("CLERK_WORKSTATION", raising=False)
    monkeypatch.delenv("SSH_CLIENT", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "counter.db"


@pytest.fixture
def db_kind() -> str:
    """The kind of the `db` fixture. Trainee clerks exist only in training databases, so a
    test with a trainee says `@pytest.mark.parametrize("db_kind", ["training"])`."""
    return "production"


@pytest.fixture
def db(db_path: Path, db_kind: str) -> Iterator[Database]:
    """A fresh database (production unless `db_kind` says training) with an admin (PIN 9999)."""
    d = open_database(db_path, create=True, migrate=True)
    setup.initialize(d, db_kind, admin_pin=PINS["admin"])
    yield d
    d.close()


@pytest.fixture
def make_clerk(db: Database) -> Callable[..., Actor]:
    """make_clerk('csr1') -> an Actor of that role (username = role, PIN from PINS), issued by
    auth as the domain demands (`auth.clerk_actor`: no PIN round trip, no sign-in audit row)."""

    def make(role: str, username: str | None = None, workstation: str = "ws-test") -> Actor:
        name = username or role
        if not (role == "admin" and name == "admin"):
            auth.add_clerk(db, SYSTEM, name, f"Test {role}", role, PINS[role])
        return auth.clerk_actor(db, name, workstation)

    return make


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_tool(name: str) -> str:
    """Path of a system tool; skip locally when missing, but fail in CI (it must be installed)."""
    import shutil

    path = shutil.which(name)
    if path:
        return path
    if in_ci():
        pytest.fail(f"{name} is required in CI but is not installed (see .ci/run)")
    pytest.skip(f"{name} not installed")
    raise AssertionError("unreachable")
