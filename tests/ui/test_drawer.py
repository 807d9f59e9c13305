"""Drawer (F8) and reports (F9): counted bank, paid-out over the limit, X report, a short
blind count, supervisor approval and the deposit slip."""

from __future__ import annotations

from collections.abc import Callable

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import DrawerCount, current_session, open_session, submit_count
from clerk_tui.screens.count import CountScreen
from clerk_tui.screens.drawer import DrawerScreen
from clerk_tui.screens.kit import ReportScreen
from clerk_tui.screens.override import OverrideScreen
from clerk_tui.screens.reports import ReportsScreen
from tests.conftest import PINS
from tests.ui.cashier_support import (
    answer,
    approve_override,
    fixed_clock,  # noqa: F401  (fixture)
)
from tests.ui.conftest import SIZE, SignedIn, goto, press_each, screen_text, sign_in, type_text


async def test_counted_bank_paid_out_override_x_report_and_short_count(
        signed_in: SignedIn, make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    actor = make_clerk("csr1")
    make_clerk("supervisor", "sup")
    async with signed_in("csr1") as (app, pilot):
        drawer = await goto(pilot, "f8", DrawerScreen)
        assert app.focused is drawer.query_one("#drawer-actions")
        await goto(pilot, "k", CountScreen)
        await type_text(pilot, "5")  # 5 twenties
        await pilot.press("shift+tab")
        await type_text(pilot, "x")  # refused by the field (digits only)
        await type_text(pilot, "10")  # 10 tens
        await goto(pilot, "ctrl+y", DrawerScreen)
        s = current_session(db, actor)
        assert s is not None and s.opening_bank_cents == 20000

        # Paid-out over a CSR I's $20 limit: a supervisor approves at the point of action.
        await press_each(pilot, "u")
        await answer(pilot, "25", "Stamps", "V-17")
        assert isinstance(app.screen, OverrideScreen)
        await approve_override(pilot, "sup")
        assert isinstance(app.screen, DrawerScreen)
        assert "Paid-out of $25.00 recorded" in screen_text(app)

        # A bad amount in the prompt: the domain's message, nothing recorded.
        await press_each(pilot, "i")
        await answer(pilot, "1e3")
        assert "is not an amount" in screen_text(app)
        await press_each(pilot, "escape", "y")  # Esc asks before dropping what was typed

        report = await goto(pilot, "x", ReportScreen)
        assert "X REPORT" in report.text and "Stamps" in report.text
        await press_each(pilot, "escape")

        # Count $10 short of the $175.00 expected: beyond tolerance, a supervisor must approve.
        await press_each(pilot, "c")
        await type_text(pilot, "5")
        await pilot.press("shift+tab")
        await type_text(pilot, "6")  # 5 x $20 + 6 x $10 = $160.00
        await press_each(pilot, "ctrl+y", "y")
        text = screen_text(app)
        assert "SHORT $15.00" in text and "supervisor must approve" in text, text


async def test_supervisor_approves_and_deposits(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    clerk = make_clerk("csr2")
    open_session(db, clerk)
    submit_count(db, clerk, DrawerCount({"twenties": 7, "tens": 1}))
    make_clerk("supervisor", "sup")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sup", PINS["supervisor"])
        await goto(pilot, "f8", DrawerScreen)
        await press_each(pilot, "a", "enter")  # the one drawer waiting
        await answer(pilot, "ok")
        assert "approved" in screen_text(app)
        reports = await goto(pilot, "f9", ReportsScreen)
        await press_each(pilot, "d", "y")
        assert "BANK DEPOSIT" in reports.shown
        assert "TOTAL DEPOSIT" in reports.shown  # the slip's end (the log below F9's list scrolls)
