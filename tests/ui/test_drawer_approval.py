"""Approving a drawer beyond tolerance: an empty note keeps the dialog open with the reason."""

from __future__ import annotations

from collections.abc import Callable

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import DrawerCount, get_session, open_session, submit_count
from clerk_tui.screens.drawer import DrawerScreen
from clerk_tui.screens.prompts import TextPrompt
from tests.conftest import PINS
from tests.ui.cashier_support import (
    answer,
    fixed_clock,  # noqa: F401  (fixture)
)
from tests.ui.conftest import SIZE, goto, press_each, screen_text, sign_in


async def test_empty_note_beyond_tolerance_keeps_the_dialog_open(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    clerk = make_clerk("csr2")
    session = open_session(db, clerk)
    result = submit_count(db, clerk, DrawerCount({"twenties": 6, "tens": 1}))
    assert result.needs_approval  # $20.00 short of the $150.00 bank: beyond tolerance
    make_clerk("supervisor", "sup")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sup", PINS["supervisor"])
        await goto(pilot, "f8", DrawerScreen)
        await press_each(pilot, "a", "enter")  # the one drawer waiting
        assert isinstance(app.screen, TextPrompt)
        await answer(pilot, "")  # Enter on the empty note
        assert isinstance(app.screen, TextPrompt), screen_text(app)
        assert "Say why the over/short is accepted." in screen_text(app)
        assert get_session(db, session.id).state == "balancing"
        await answer(pilot, "Recounted with the clerk")
        assert isinstance(app.screen, DrawerScreen), screen_text(app)
        assert "approved" in screen_text(app)
        assert get_session(db, session.id).state == "approved"
