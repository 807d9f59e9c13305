"""Text from people is shown as typed: markup stays text, escape codes become visible symbols,
and nothing is triggered (no click action, no terminal control)."""

from __future__ import annotations

from collections.abc import Callable

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain import auth
from clerk_tui.domain.actor import SYSTEM
from clerk_tui.screens.home import HomeScreen
from clerk_tui.screens.login import LoginScreen
from clerk_tui.widgets.literal import LiteralLabel
from clerk_tui.widgets.statusbar import StatusBar
from tests.conftest import PINS
from tests.ui.conftest import SIZE, screen_text, sign_in

MARKUP_NAME = "[bold]x[/] [@click=app.quit]y"


async def test_markup_in_a_name_is_shown_literally_and_does_nothing(
        make_app: Callable[..., ClerkApp], db: Database) -> None:
    auth.add_clerk(db, SYSTEM, "mallory", MARKUP_NAME, "csr1", PINS["csr1"])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "mallory", PINS["csr1"])
        assert isinstance(app.screen, HomeScreen)
        bar = app.screen.query_one(StatusBar)
        assert MARKUP_NAME in bar.plain
        assert MARKUP_NAME in app.screen.query_one("#home-welcome", LiteralLabel).plain
        text = screen_text(app)
        assert MARKUP_NAME in text.splitlines()[0]  # the status bar as the clerk sees it
        assert MARKUP_NAME in text
        # No style or action leaked out of the name: click right on the "link".
        rendered = bar.render()
        assert not any("@click" in str(span.style) for span in rendered.spans)
        column = text.splitlines()[0].index("[@click")
        await pilot.click(StatusBar, offset=(column + 3, 0))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, HomeScreen)


async def test_escape_codes_in_stored_name_are_made_visible(
        make_app: Callable[..., ClerkApp], db: Database) -> None:
    # clean_text refuses control characters on input, so plant the legacy row directly.
    auth.add_clerk(db, SYSTEM, "legacy", "placeholder", "csr1", PINS["csr1"])
    with db.write():
        db.execute("UPDATE clerks SET full_name = ? WHERE username = 'legacy'",
                   ["\x1b[31mred\x1b[0m \x07bell"])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "legacy", PINS["csr1"])
        assert isinstance(app.screen, HomeScreen)
        shown = "␛[31mred␛[0m ␇bell"
        assert shown in app.screen.query_one(StatusBar).plain
        text = screen_text(app)
        assert shown in text
        assert "\x1b" not in text  # nothing raw reaches the terminal
        assert "\x1b[31mred" not in text
        assert app.is_running


async def test_typed_username_in_an_error_is_literal(
        make_app: Callable[..., ClerkApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "[bold]x", "1234")
        assert isinstance(app.screen, LoginScreen)
        message = app.screen.query_one("#login-message", LiteralLabel).plain
        assert message == "Username or PIN not recognised."  # the name is not echoed back
        assert "[bold]x" in screen_text(app)  # and stays literal in its field
