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
from clerk_tui.screens.override import OverrideScreen
from clerk_tui.screens.reports import ReportScreen, ReportsScreen
from tests.conftest import PINS
from tests.ui.cashier_support import fixed_clock  # noqa: F401
from tests.ui.conftest import SIZE, screen_text, settle, sign_in, type_text


async def test_counted_bank_paid_out_override_x_report_and_short_count(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    actor = make_clerk("csr1")
    make_clerk("supervisor", "sup")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, DrawerScreen)
        assert app.focused is app.screen.query_one("#drawer-actions")
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, CountScreen)
        await type_text(pilot, "5")  # 5 twenties
        await pilot.press("shift+tab")
        await type_text(pilot, "x")  # refused by the field (digits only)
        await type_text(pilot, "10")  # 10 tens
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert isinstance(app.screen, DrawerScreen)
        s = current_session(db, actor)
        assert s is not None and s.opening_bank_cents == 20000

        # Paid-out over a CSR I's $20 limit: a supervisor approves at the point of action.
        await pilot.press("u")
        await settle(pilot)
        await type_text(pilot, "25")
        await pilot.press("enter")
        await type_text(pilot, "Stamps")
        await pilot.press("enter")
        await type_text(pilot, "V-17")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OverrideScreen)
        await type_text(pilot, "sup")
        await pilot.press("enter")
        await type_text(pilot, PINS["supervisor"])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DrawerScreen)
        assert "Paid-out of $25.00 recorded" in screen_text(app)

        # A bad amount in the prompt: the domain's message, nothing recorded.
        await pilot.press("i")
        await settle(pilot)
        await type_text(pilot, "1e3")
        await pilot.press("enter")
        await settle(pilot)
        assert "is not an amount" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen)
        assert "X REPORT" in app.screen.text and "Stamps" in app.screen.text
        await pilot.press("escape")
        await settle(pilot)

        # Count $10 short of the $175.00 expected: beyond tolerance, a supervisor must approve.
        await pilot.press("c")
        await settle(pilot)
        await type_text(pilot, "5")
        await pilot.press("shift+tab")
        await type_text(pilot, "6")  # 5 x $20 + 6 x $10 = $160.00
        await pilot.press("ctrl+y")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
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
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter")  # the one drawer waiting
        await settle(pilot)
        await type_text(pilot, "ok")
        await pilot.press("enter")
        await settle(pilot)
        assert "approved" in screen_text(app)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, ReportsScreen)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "BANK DEPOSIT" in app.screen.shown  # type: ignore[attr-defined]
        assert "TOTAL DEPOSIT" in screen_text(app)
