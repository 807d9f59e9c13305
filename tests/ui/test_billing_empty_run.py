"""A billing run that bills nobody says so; it never offers to finalize "0 bills, $0.00"."""

from __future__ import annotations

from clerk_tui.db import Database
from clerk_tui.screens.confirm import ConfirmScreen
from clerk_tui.screens.kit import ReportScreen
from clerk_tui.screens.utility.billing import BillingRunForm
from tests.ui.cashier_support import (
    answer,
    fixed_clock,  # noqa: F401  (fixture)
    press_keys,
)
from tests.ui.conftest import SignedIn, finish_work, goto, screen_text


async def test_a_run_with_no_bills_has_nothing_to_finalize(
        signed_in: SignedIn, db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    async with signed_in("supervisor") as (app, pilot):
        await press_keys(pilot, "f11")
        await goto(pilot, "b", BillingRunForm)
        await answer(pilot, "1", "")  # cycle 1, period end today: nobody to bill
        assert isinstance(app.screen, ReportScreen), screen_text(app)
        await press_keys(pilot, "escape")
        await finish_work(pilot)
        assert not isinstance(app.screen, ConfirmScreen), screen_text(app)
        assert isinstance(app.screen, BillingRunForm)
        text = screen_text(app)
        assert "Finalize" not in text
        assert "nothing to finalize" in text, text
        assert db.scalar("SELECT status FROM billing_runs") == "cancelled"
        assert db.scalar("SELECT count(*) FROM bills") == 0
