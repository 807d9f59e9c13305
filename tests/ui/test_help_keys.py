"""F1 lists every key of the screen, including those that only work later (after posting)."""

from __future__ import annotations

import re

from clerk_tui.db import Database
from clerk_tui.screens.help import HelpScreen
from clerk_tui.screens.payment import PaymentScreen
from tests.ui.conftest import SignedIn, goto


async def test_f1_on_payments_lists_the_keys_after_posting(
        signed_in: SignedIn,
        db: Database) -> None:
    async with signed_in("csr2") as (app, pilot):
        await goto(pilot, "f3", PaymentScreen)
        help_screen = await goto(pilot, "f1", HelpScreen)
        text = help_screen.text.plain
        for key, what in (("V", "Void"), ("R", "Reprint"), ("N", "New sale")):
            assert re.search(rf"^{key} +{what} \(after posting\)$", text, re.M), text
        # Every counter's name stands apart from what it does.
        assert re.search(r"^F11 / U +Utility desk +Service orders", text, re.M), text
        assert "deskService" not in text
