"""Screens use the app through the typed session (clerk_tui/session.py), not by reaching into
`ClerkApp`: no `self.app.db`, `app.actor`, `self.clerk_app.confirm(...)` with a
`type: ignore[attr-defined]`, and no `getattr(self.app, ...)` duck typing."""

from __future__ import annotations

import re
from pathlib import Path

SCREENS = Path(__file__).resolve().parent.parent / "clerk_tui" / "screens"

# What the session offers: reaching for these on the app is what this test forbids.
SESSION_NAMES = ("db", "actor", "station", "rules", "workstation", "sandbox", "confirm",
                 "run_with_override", "with_override", "open_counter", "leave_screen",
                 "refresh_drawer_state", "refresh_status", "report_station_result",
                 "role_label", "may_open", "scan_log", "wedge_timing", "note_drawer_state",
                 "record_drawer_kick", "action_sign_out")
REACH_IN = re.compile(r"(?<![\w.\"'])(?:self\.app|self\.clerk_app|app)\.(" +
                      "|".join(SESSION_NAMES) + r")\b")
DUCK = re.compile(r"getattr\(self\.app\b")
# The print helpers take any Textual App (a bare one has no station): documented there.
ALLOWED = {"station_calls.py"}


def test_screens_reach_the_app_only_through_the_session() -> None:
    found = []
    for path in sorted(SCREENS.rglob("*.py")):
        if path.name in ALLOWED:
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            if REACH_IN.search(code) or DUCK.search(code):
                found.append(f"{path.relative_to(SCREENS)}:{n}: {line.strip()}")
    assert found == [], "\n".join(found)


def test_every_screen_using_the_session_has_it() -> None:
    """`self.session` comes from `UsesSession` (ClerkScreen, AsksBeforeDiscarding or mixed in
    directly): a dialog that uses it without would fail only when it opens."""
    import importlib
    import inspect
    import pkgutil

    import clerk_tui.screens

    missing = []
    for info in pkgutil.walk_packages(clerk_tui.screens.__path__, "clerk_tui.screens."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and obj.__module__ == module.__name__ \
                    and "self.session" in inspect.getsource(obj) \
                    and not hasattr(obj, "session"):
                missing.append(f"{module.__name__}.{name}")
    assert missing == []
