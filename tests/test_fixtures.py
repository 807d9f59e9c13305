"""The suite's own machinery: the `db` fixture is a copy of a per-session template that behaves
like a database made fresh (private file, its own copy of the site secret, a verifying audit
chain, nothing shared between tests), and PINs are hashed at the cheap test cost."""

from __future__ import annotations

import contextlib
import inspect
import stat
from pathlib import Path

import pytest

from clerk_tui import site_secret
from clerk_tui.db import Database
from clerk_tui.domain import audit, auth
from tests.conftest import PINS, TEST_SCRYPT_N

_seen: dict[str, object] = {}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("db_kind", ["production", "training"])
def test_db_is_a_private_copy_with_its_secret(db: Database, db_path: Path, db_kind: str) -> None:
    secret = site_secret.default_path(db_path)
    assert _mode(db_path) == 0o600 and _mode(secret) == 0o600
    assert site_secret.load(secret) == db.secret
    assert db.kind() == db_kind
    assert audit.verify(db).ok
    admin = auth.sign_in(db, "admin", PINS["admin"], "ws")
    assert admin.role == "admin"
    # The template's admin was hashed at the test cost: the suite does not pay 2**14 per test.
    stored = db.scalar("SELECT pin_hash FROM clerks WHERE username = 'admin'")
    assert stored.split("$")[1] == str(TEST_SCRYPT_N)


@pytest.mark.parametrize("step", ["first", "second"])
def test_each_test_gets_its_own_file(db: Database, db_path: Path, step: str) -> None:
    """The first test writes into its copy; the second still sees the template untouched."""
    assert db.scalar("SELECT count(*) FROM clerks") == 1
    assert db_path not in _seen.values()
    _seen[step] = db_path
    auth.add_clerk(db, auth.shell_actor("admin", "ws"), "extra", "Extra Clerk", "csr1",
                   PINS["csr1"])
    assert db.scalar("SELECT count(*) FROM clerks") == 2


UI_SIGNS = ("run_test(", "LiveApp(", "PtySession(", 'require_tool("tmux")')


def test_tests_that_drive_the_app_are_marked_ui(request: pytest.FixtureRequest) -> None:
    """Every test collected with this one that drives the app (in its own body or a fixture it
    uses) carries `ui`, so the fast loop (`-m "not slow and not ui"`) never runs one. Useful
    when run with the rest of the suite; alone it sees only this file."""
    unmarked = []
    for item in request.session.items:
        if not isinstance(item, pytest.Function) or item.get_closest_marker("ui"):
            continue
        funcs = [item.function] + [d.func for defs in item._fixtureinfo.name2fixturedefs.values()
                                   for d in defs]
        source = ""
        for func in funcs:
            with contextlib.suppress(OSError, TypeError):
                source += inspect.getsource(func)
        if any(sign in source for sign in UI_SIGNS):
            unmarked.append(item.nodeid)
    assert unmarked == [], f"mark these @pytest.mark.ui: {unmarked}"
