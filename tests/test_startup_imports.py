"""Start-up stays light: what `clerk-tui` imports on its way to the sign-in screen.

sqlite-utils (click, dateutil, plugin discovery), tabulate, pyserial and the cashier domain are
needed only later (bulk loads and exports, reports, a serial device, the first payment), and
each cost start-up time and memory when they were imported at once (issue 12). Each check runs
in a fresh interpreter, so whatever this test process has imported already does not hide an
import.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

KEPT_OFF = ("sqlite_utils", "tabulate", "serial", "click", "dateutil",
            "clerk_tui.domain.cashier")
"""Modules (and their submodules) that must not be imported before the sign-in screen."""

REPORT = f"""
import json, sys
kept_off = {KEPT_OFF!r}
print(json.dumps(sorted(m for m in sys.modules
                        if any(m == k or m.startswith(k + ".") for k in kept_off))))
"""


def _imported(code: str, *args: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code + REPORT, *args], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_start_path_imports_nothing_it_does_not_need() -> None:
    code = "import clerk_tui.cli, clerk_tui.sandbox, clerk_tui.app\n"
    assert _imported(code) == []


def test_the_kept_off_modules_are_found_when_imported() -> None:
    """The check itself can fail: importing what start-up must not import is reported."""
    code = "import clerk_tui.cli, clerk_tui.app, clerk_tui.domain.cashier, sqlite_utils\n"
    found = _imported(code)
    assert "sqlite_utils" in found and "tabulate" in found
    assert "clerk_tui.domain.cashier" in found


@pytest.mark.ui
@pytest.mark.timeout(120)
def test_up_to_the_drawn_sign_in_screen(tmp_path: Path) -> None:
    """The app itself, run headless until its sign-in screen is drawn (the screens' own
    imports at compose and mount count too), on a training database built beforehand."""
    from clerk_tui.sandbox import open_sandbox

    path = tmp_path / "training.db"
    open_sandbox(path).close()
    code = """
import asyncio, sys
from pathlib import Path
from clerk_tui.app import ClerkApp
from clerk_tui.sandbox import open_sandbox
from clerk_tui.screens.login import LoginScreen

db = open_sandbox(Path(sys.argv[1]))

async def run():
    app = ClerkApp(db, workstation="ws-test", sandbox=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen), app.screen
        app.screen.query_one("#login-pin")

asyncio.run(run())
db.close()
"""
    assert _imported(code, str(path)) == []
