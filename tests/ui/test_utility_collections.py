"""Collections at 80x24: the delinquency run from the desk (F11 D) sends notices; ten days later
the shutoff list (F11 S) lists the delinquent account and leaves out the one on a payment plan.
Payment plans from the account's A menu, over-limit plans ask a supervisor; Esc changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain import clock, ledger
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.utility import delinquency, letters, plans
from clerk_tui.screens.account import AccountScreen
from clerk_tui.screens.confirm import ConfirmScreen
from clerk_tui.screens.kit import ReportScreen
from clerk_tui.screens.override import OverrideScreen
from clerk_tui.screens.utility.collections import (
    LettersScreen,
    PlanScreen,
    RestoreScreen,
    RunScreen,
)
from clerk_tui.screens.utility.desk import UtilityDeskScreen
from tests.domain.utility.collections_support import bill, open_account, pay
from tests.ui.cashier_support import (
    approve_override,
    fixed_clock,  # noqa: F401  (fixture)
    open_account_screen,
    pick_account_action,
    press_keys,
)
from tests.ui.conftest import (
    SignedIn,
    goto,
    press_each,
    screen_text,
    settle,
    type_text,
)


async def run_desk_job(pilot, app: ClerkApp, key: str) -> str:  # type: ignore[no-untyped-def]
    await goto(pilot, key, RunScreen)
    await press_each(pilot, "enter")
    await settle(pilot)
    assert isinstance(app.screen, ReportScreen), screen_text(app)
    return screen_text(app)


async def test_notices_then_shutoff_list_excludes_plan_account(
        signed_in: SignedIn, make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: dt.datetime) -> None:  # noqa: F811
    csr3 = make_clerk("csr3")
    late = open_account(db, name="Lou Late", address="1 Dry Creek Rd")
    planned = open_account(db, name="Pat Planner", address="2 Arrange Ave")
    for acct in (late, planned):  # due 2026-01-01: 60 days past due on 2026-03-02
        bill(db, acct.id, 10_000, "2025-12-11", "2026-01-01")
    async with signed_in("csr3") as (app, pilot):
        await goto(pilot, "f11", UtilityDeskScreen)
        desk = screen_text(app)
        assert "Delinquency notices run" in desk and "Shutoff list" in desk
        # Esc on the run screen changes nothing.
        await goto(pilot, "d", RunScreen)
        await goto(pilot, "escape", UtilityDeskScreen)
        assert db.scalar("SELECT count(*) FROM delinquency_runs") == 0

        text = await run_desk_job(pilot, app, "d")
        assert "Delinquency notices: run 1 on 2026-03-02" in text
        for acct in (late, planned):
            line = next(ln for ln in text.splitlines() if acct.display_number in ln)
            assert "Shutoff" in line and "2026-03-11" in line  # 7 business days on
        assert "2 account(s)" in text
        assert len(delinquency.notices_for(db, late.id)) == 1
        await goto(pilot, "escape", UtilityDeskScreen)

        # The customer calls and arranges a plan; pays the first installment.
        plans.create_plan(db, csr3, planned.id, amount_cents=10_000, installments=4)
        pay(db, planned.id, 2_500, "2026-03-02")

        clock.set_fixed(dt.datetime(2026, 3, 12, 9, 0))  # 8 business days later
        text = await run_desk_job(pilot, app, "s")
        assert "Shutoff list: run 2 on 2026-03-12" in text
        listed, _, left_out = text.partition("Not included:")
        late_line = next(ln for ln in listed.splitlines() if late.display_number in ln)
        assert "#1" in late_line and "$100.00" in late_line and "2026-03-02" in late_line
        assert planned.display_number not in listed
        plan_line = next(ln for ln in left_out.splitlines() if planned.display_number in ln)
        assert "on a payment plan" in plan_line
    orders = db.all("SELECT account_id, kind FROM service_orders")
    assert orders == [{"account_id": late.id, "kind": "shutoff_nonpay"}]


async def open_plan(pilot, address: str) -> PlanScreen:  # type: ignore[no-untyped-def]
    await open_account_screen(pilot, address)
    return await pick_account_action(pilot, "p", "Payment plan", PlanScreen)


async def test_plan_over_limit_asks_a_supervisor(
        signed_in: SignedIn, make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: dt.datetime) -> None:  # noqa: F811
    make_clerk("csr2")
    make_clerk("supervisor", "boss")
    acct = open_account(db, name="Big Owe", address="3 Large Ln")
    bill(db, acct.id, 60_000, "2026-01-01")
    async with signed_in("csr2") as (app, pilot):
        await open_plan(pilot, "large ln")
        text = screen_text(app)
        assert "Balance $600.00" in text and "your limit $500.00" in text
        await pilot.press("enter")  # amount: Enter = the balance
        await type_text(pilot, "6")
        await pilot.press("enter")
        await goto(pilot, "enter", ConfirmScreen)  # first due: today
        assert "$600.00 in 6 installments of $100.00" in screen_text(app)
        await goto(pilot, "y", OverrideScreen)
        await goto(pilot, "escape", PlanScreen)  # no approval: nothing changes
        assert "Nothing changed" in screen_text(app)
        assert plans.active_plan(db, acct.id) is None
        await press_each(pilot, "ctrl+y")
        await goto(pilot, "y", OverrideScreen)
        await approve_override(pilot, "boss")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        text = screen_text(app)
        assert "posted: 6 installment(s), last due 2026-08-02" in text
        assert "Approved by boss" in text
    plan = plans.active_plan(db, acct.id)
    assert plan is not None and plan.override_by == "boss" and plan.amount_cents == 60_000


async def test_letters_and_restore_from_the_account_menu(
        signed_in: SignedIn, make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: dt.datetime) -> None:  # noqa: F811
    csr3 = make_clerk("csr3")
    acct = open_account(db, name="Sam Shutoff", address="4 Valve Way")
    bill(db, acct.id, 10_000, "2025-12-11", "2026-01-01")
    delinquency.run_notices(db, csr3)
    clock.set_fixed(dt.datetime(2026, 3, 12, 9, 0))
    assert delinquency.run_shutoffs(db, csr3).done
    async with signed_in("csr3") as (app, pilot):
        await open_account_screen(pilot, "valve way")
        await press_keys(pilot, "a", "e")
        assert isinstance(app.screen, LettersScreen)
        assert "Shutoff notice" in screen_text(app)
        await press_each(pilot, "g")
        await goto(pilot, "enter", LettersScreen)  # the first choice: a reminder
        text = screen_text(app)
        assert "Reminder" in text and "generated" in text
        await press_each(pilot, "w")  # the newest letter (highlighted first) is saved
        assert "Saved to" in screen_text(app)
        (reminder,) = [ltr for ltr in letters.letters_for(db, acct.id) if ltr.kind == "reminder"]
        assert reminder.delivered.startswith("file:")
        assert Path(reminder.delivered[5:]).read_text(encoding="utf-8") == reminder.body
        await goto(pilot, "enter", ReportScreen)  # read it
        assert "REMINDER" in screen_text(app)
        await press_each(pilot, "escape")
        await goto(pilot, "escape", AccountScreen)

        await press_keys(pilot, "a", "s")
        assert isinstance(app.screen, RestoreScreen)
        assert "Reconnection fee $75.00, regular hours" in screen_text(app)
        await press_each(pilot, "escape")  # nothing changes
        assert db.scalar("SELECT count(*) FROM service_orders WHERE kind = 'restore'") == 0
        await press_keys(pilot, "a", "s")
        await press_each(pilot, "ctrl+t")
        assert "$175.00, after hours" in screen_text(app)
        await goto(pilot, "enter", ConfirmScreen)
        await press_each(pilot, "y")
        assert "reconnection fee charged" in screen_text(app)
    assert db.scalar("SELECT count(*) FROM service_orders WHERE kind = 'restore'") == 1
    assert ledger.account_balance(db, acct.id) == 10_000 + 17_500
