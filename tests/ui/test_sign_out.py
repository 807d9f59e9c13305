"""Ctrl+Q signs out from wherever the clerk is, even with a screen open over a counter."""

from __future__ import annotations

import pytest

from clerk_tui.db import Database
from clerk_tui.screens.confirm import ConfirmScreen
from clerk_tui.screens.count import CountScreen
from clerk_tui.screens.login import LoginScreen
from tests.conftest import PINS
from tests.ui.cashier_support import open_drawer, press_keys, type_and_settle
from tests.ui.conftest import SignedIn, finish_work, goto, screen_text, sign_in


@pytest.mark.parametrize(("opened", "key", "typed"), [
    (False, "k", ""),    # the opening count, untouched
    (False, "k", "3"),   # ... with a quantity typed: asks first
    (True, "c", ""),     # the blind closing count
    (True, "c", "2"),
])
async def test_ctrl_q_over_a_drawer_count(signed_in: SignedIn,
                                          db: Database,
                                          opened: bool, key: str, typed: str) -> None:
    async with signed_in("csr2") as (app, pilot):
        if opened:
            await open_drawer(pilot)
        await press_keys(pilot, "f8")
        await goto(pilot, key, CountScreen)
        if typed:
            await type_and_settle(pilot, typed)
        await press_keys(pilot, "ctrl+q")
        if typed:
            assert isinstance(app.screen, ConfirmScreen), screen_text(app)
            await press_keys(pilot, "y")
        await finish_work(pilot)
        assert app.return_code is None and app.is_running
        assert isinstance(app.screen, LoginScreen), screen_text(app)
        assert app.actor is None
        # Signed out for real: the audit row is written and a new sign-in works.
        assert db.scalar("SELECT count(*) FROM audit_log WHERE action = 'signout'") == 1
        await sign_in(pilot, "csr2", PINS["csr2"])
        assert app.actor is not None and app.actor.username == "csr2"
