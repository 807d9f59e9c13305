"""The utility desk's account dialogs read and post off the UI thread: adjusting a bill (the
account, the reasons file, the bills, the proposed amount, the posting) and taking an
assistance application (the account, the programmes, what is on file, the application) run
no SQL on the UI thread (issue 11: "No SQL on the UI thread: not in compose, prepare,
on_mount or key handlers")."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.utility import assistance as aid
from clerk_tui.screens.account import AccountScreen
from clerk_tui.screens.kit import Picker
from clerk_tui.screens.prompts import ReasonPicker
from clerk_tui.screens.utility.adjustments import AdjustBillScreen, AssistanceScreen
from tests.domain.utility.adjust_support import make_bill, open_account
from tests.ui.cashier_support import (
    answer,
    fixed_clock,  # noqa: F401  (fixture)
    open_account_menu,
    open_account_screen,
)
from tests.ui.conftest import finish_work, goto, screen_text
from tests.ui.test_cashier_threads import no_sql_on_ui

pytestmark = pytest.mark.usefixtures("fresh_sims", "fixed_clock")


async def test_adjust_bill_reads_and_posts_in_threads(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor],
        db: Database) -> None:
    make_clerk("csr2")
    account = open_account(db, address="7 Thread Ln")
    make_bill(db, account.id, "2026-02-03", 30)
    app = make_app()

    async def before(pilot: Pilot) -> None:
        await open_account_screen(pilot, "thread ln")
        await open_account_menu(pilot)

    async def during(pilot: Pilot) -> None:
        await goto(pilot, "j", ReasonPicker)  # on_mount: the account and the reasons
        await finish_work(pilot)
        assert isinstance(app.screen, ReasonPicker)
        await goto(pilot, "enter", Picker)  # the reason: its rule and the bills
        await finish_work(pilot)
        assert "2026-02-03" in screen_text(app)
        adjust = await goto(pilot, "enter", AdjustBillScreen)  # the bill: the proposal
        await finish_work(pilot)
        assert adjust.proposal is not None
        assert app.focused is adjust.query_one("#adjust-amount", Input)
        await answer(pilot, "5", "thread test")
        await finish_work(pilot)
        assert isinstance(app.screen, AccountScreen), screen_text(app)

    await no_sql_on_ui(app, db, before, during)
    assert db.scalar("SELECT amount_cents FROM adjustments") == -500


async def test_assistance_reads_and_takes_in_threads(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor],
        db: Database) -> None:
    make_clerk("csr2")
    account = open_account(db, name="Ann Aid", address="5 Aid Way")
    app = make_app()

    async def before(pilot: Pilot) -> None:
        await open_account_screen(pilot, "aid way")
        await open_account_menu(pilot)

    async def during(pilot: Pilot) -> None:
        await goto(pilot, "i", AssistanceScreen)  # the account, programmes, what is on file
        await finish_work(pilot)
        text = screen_text(app)
        assert "Ann Aid" in text and "On file: nothing" in text
        await pilot.press("enter")  # first programme: lifeline
        await answer(pilot, "3", "41000", "")  # the application is taken
        await finish_work(pilot)
        assert isinstance(app.screen, AccountScreen), screen_text(app)

    await no_sql_on_ui(app, db, before, during)
    assert [(e.program, e.status) for e in aid.enrollments(db, account.id)] == [
        ("lifeline", "pending")]
