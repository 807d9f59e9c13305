"""F1 lists every key of the screen, including those that only work later (after posting)."""

from __future__ import annotations

import re
from collections.abc import Callable

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.screens.help import HelpScreen
from clerk_tui.screens.payment import PaymentScreen
from tests.conftest import PINS
from tests.ui.conftest import SIZE, goto, sign_in


async def test_f1_on_payments_lists_the_keys_after_posting(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor],
        db: Database) -> None:
    make_clerk("csr2")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        await goto(pilot, "f3", PaymentScreen)
        help_screen = await goto(pilot, "f1", HelpScreen)
        text = help_screen.text.plain
        for key, what in (("V", "Void"), ("R", "Reprint"), ("N", "New sale")):
            assert re.search(rf"^{key} +{what} \(after posting\)$", text, re.M), text
        # Every counter's name stands apart from what it does.
        assert re.search(r"^F11 / U +Utility desk +Service orders", text, re.M), text
        assert "deskService" not in text
