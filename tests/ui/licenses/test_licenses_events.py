"""Special events at 80x24, keys only: F5 Ctrl+T X, N a permit, S sign-offs, P pay fee and
deposit in cash, I issue; after the event R closes it out and D gives the deposit back by city
check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import open_session
from clerk_tui.domain.licenses import events
from clerk_tui.screens.kit import Form, LetterMenu
from clerk_tui.screens.licenses.events import EventsScreen
from clerk_tui.screens.licenses.screen import LicensesScreen
from clerk_tui.screens.payment import PaymentScreen
from tests.conftest import PINS
from tests.ui.cashier_support import fixed_clock  # noqa: F401
from tests.ui.conftest import SIZE, finish_work, goto, press_each, screen_text, sign_in, type_text

pytestmark = pytest.mark.usefixtures("fresh_sims")


async def test_event_permit_from_application_to_deposit_back(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    open_session(db, make_clerk("csr3"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr3", PINS["csr3"])
        await goto(pilot, "f5", LicensesScreen)
        await goto(pilot, "ctrl+t", LetterMenu)
        lst = await goto(pilot, "x", EventsScreen)
        assert "No special-event permits open." in screen_text(app)
        await goto(pilot, "n", Form)
        for text in ("Lions Club", "Spring Fair", "Main St", "2026-04-10", "", "300",
                     "2026-12-31", "", ""):
            if text:
                await type_text(pilot, text)
            await press_each(pilot, "enter")
        await finish_work(pilot)
        assert "fee $85.00, deposit $250.00" in screen_text(app)
        await press_each(pilot, "escape")
        await finish_work(pilot)
        assert app.screen is lst and "Spring Fair" in screen_text(app)
        for _ in range(2):  # fire and planning
            await press_each(pilot, "s")
            await press_each(pilot, "enter")
            await finish_work(pilot)
        number = db.scalar("SELECT number FROM event_permits")
        assert events.get_permit(db, number).status == "approved"
        await press_each(pilot, "p")
        await finish_work(pilot)
        assert isinstance(app.screen, PaymentScreen)
        await press_each(pilot, "enter")  # exact cash: $335.00
        await finish_work(pilot)
        assert app.screen.result is not None and app.screen.result.receipt.total_cents == 33500
        await press_each(pilot, "escape")
        await finish_work(pilot)
        assert app.screen is lst
        await press_each(pilot, "i")
        await finish_work(pilot)
        assert events.get_permit(db, number).status == "issued"
        with clock.frozen(dt.datetime(2026, 4, 12, 9, 0)):
            await press_each(pilot, "r")
            await finish_work(pilot)
            await press_each(pilot, "d")
            await type_text(pilot, "k")
            await press_each(pilot, "enter")
            await finish_work(pilot)
        p = events.get_permit(db, number)
        assert p.status == "closed" and p.deposit_returned == "check"
        assert "deposit check" in screen_text(app)
