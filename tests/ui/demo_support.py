"""The sandbox's demo data for Pilot tests: what a trainee sees after `clerk-tui --sandbox`.

The training database is built once per test session (800 accounts, about two seconds) and each
test gets its own copy of the file, so every test starts from fresh demo data, as a new
trainee does. The demo history runs up to today, so these tests use the real clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.sandbox import open_sandbox
from tests.conftest import copy_database


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "training.db"
    open_sandbox(path).close()
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A fresh copy of the sandbox's training database, opened as the sandbox opens it."""
    path = tmp_path / "training.db"
    copy_database(demo_template, path)  # with its site secret: the audit chain is keyed with it
    db = open_sandbox(path)
    yield db
    db.close()


@pytest.fixture
def demo_app(demo_db: Database) -> Callable[..., ClerkApp]:
    """The app as `clerk-tui --sandbox` runs it (simulated devices), on the demo data."""

    def make(**kwargs: object) -> ClerkApp:
        kwargs.setdefault("workstation", "ws-test")
        kwargs.setdefault("sandbox", True)
        kwargs.setdefault("theme", "ansi-dark")
        kwargs.setdefault("ascii_borders", False)
        kwargs.setdefault("environ", {})
        return ClerkApp(demo_db, **kwargs)  # type: ignore[arg-type]

    return make
