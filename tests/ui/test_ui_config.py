"""`[ui]` in the workstation config: theme, ASCII borders and a keymap the app applies; a bad
key is refused at start-up with the file and line."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clerk_tui.app import ClerkApp
from clerk_tui.config import parse_config
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.errors import ValidationError
from tests.conftest import PINS
from tests.ui.conftest import SIZE, settle, sign_in

GOOD = """\
[ui]
theme = "textual-light"
ascii_borders = true

[ui.keymap]
"counter.payments" = "f12"
"app.diagnostics" = "f11, ctrl+y"
"""


async def test_ui_settings_are_checked_and_applied(db: Database,
                                                   make_clerk: Callable[..., Actor]) -> None:
    config = parse_config(GOOD, "ws.toml")
    assert config.keymap == {"counter.payments": "f12", "app.diagnostics": "f11,ctrl+y"}
    make_clerk("csr2")
    app = ClerkApp(db, workstation="ws-test", config=config, environ={"TERM": "xterm"},
                   drawer_state=lambda db, actor: None)
    assert app.theme == "textual-light" and app.has_class("-ascii")
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        await pilot.press("f12")
        await settle(pilot)
        assert app.screen.counter.id == "payments"  # type: ignore[attr-defined]
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert app.screen.title == "Diagnostics"

    for text, line, says in (
            ('[ui]\ntheme = "ansi-dark"\n\n[ui.keymap]\n"app.lock" = "crtl+l"\n', 5, "crtl+l"),
            ('[ui]\nascii_borders = "yes"\n', 2, "must be bool"),
            ('[ui]\nkeys = {}\n', 2, "unknown setting 'ui.keys'"),
            ('[ui.keymap]\n"Payments" = "f3"\n', 2, "not a key binding id")):
        with pytest.raises(ValidationError) as err:
            parse_config(text, "ws.toml")
        assert str(err.value).startswith(f"ws.toml, line {line}:"), str(err.value)
        assert says in str(err.value)
    # A theme that is not installed falls back to the terminal's, not a crash at start-up.
    odd = ClerkApp(db, workstation="ws-test", config=parse_config('[ui]\ntheme = "neon"\n'),
                   environ={"TERM": "xterm"})
    assert odd.theme == "clerk-ansi"
