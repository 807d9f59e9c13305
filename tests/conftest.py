"""Shared fixtures: every test gets a real SQLite file in its own temp dir."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from clerk_tui import files, site_secret
from clerk_tui.db import Database, open_database
from clerk_tui.domain import auth, setup
from clerk_tui.domain.actor import SYSTEM, Actor

PINS = {"trainee": "1111", "csr1": "2222", "csr2": "3333", "csr3": "4444",
        "supervisor": "5555", "admin": "9999"}

TEST_SCRYPT_N = 2**4
"""PIN hashes in tests use this scrypt cost (production: 2**14). A test about scrypt's cost
asks for the `production_scrypt_cost` fixture."""

# Set at import, before any fixture or test module hashes a PIN. Child processes (tmux, e2e,
# reliability writers) are production code and keep the real cost.
auth.set_scrypt_cost_for_tests(TEST_SCRYPT_N)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Folders that are UI through and through get `ui` (and e2e also `slow`) by path, so a
    new test there cannot slip into the fast loop (`pytest -m "not slow and not ui"`)."""
    for item in items:
        where = str(item.fspath).replace("\\", "/")
        if "/tests/ui/" in where or "/tests/e2e/" in where:
            item.add_marker(pytest.mark.ui)
        if "/tests/e2e/" in where:
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def production_scrypt_cost() -> Iterator[None]:
    """The real scrypt cost for one test (timing tests: at the test cost scrypt is too quick
    for the time of a sign-in to say anything)."""
    auth.set_scrypt_cost_for_tests(auth.PRODUCTION_SCRYPT_N)
    try:
        yield
    finally:
        auth.set_scrypt_cost_for_tests(TEST_SCRYPT_N)


def copy_database(src: Path, dest: Path) -> Path:
    """Copy a closed database and its site secret, with the modes a new one would get there
    (the folder's private mode for the file, 0600 for the secret)."""
    wal = Path(f"{src}-wal")
    if wal.exists() and wal.stat().st_size:
        raise AssertionError(f"{src} is still open (its WAL holds data): close it first")
    pairs = ((src, dest, None),
             (site_secret.default_path(src), site_secret.default_path(dest), 0o600))
    for source, target, mode in pairs:
        with open(source, "rb") as inp, os.fdopen(files.create_private(target, mode), "wb") as out:
            shutil.copyfileobj(inp, out)
    return dest


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """template_database(key, build) -> a database built once per session by `build(db)` on a
    new migrated file, closed; tests copy it with `copy_database` instead of building again."""
    built: dict[str, Path] = {}

    def get(key: str, build: Callable[[Database], object]) -> Path:
        if key not in built:
            path = tmp_path_factory.mktemp("template") / f"{key}.db"
            d = open_database(path, create=True, migrate=True)
            try:
                build(d)
                d.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
            finally:
                d.close()
            built[key] = path
        return built[key]

    return get


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
def db(db_path: Path, db_kind: str, template_database: Callable[..., Path]
       ) -> Iterator[Database]:
    """A fresh database (production unless `db_kind` says training) with an admin (PIN 9999):
    a copy of one built once per session."""
    template = template_database(
        f"init-{db_kind}",
        lambda d: setup.initialize(d, db_kind, admin_pin=PINS["admin"]))
    d = open_database(copy_database(template, db_path))
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
