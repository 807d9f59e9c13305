"""Adjustments and assistance at 80x24: a CSR I's $40 adjustment needs a supervisor (approved
-> posted with both names; Esc at the override -> nothing posted), an assistance application
taken at the account and approved from the desk queue, a medical certification recorded."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input

from clerk_tui.db import Database
from clerk_tui.domain import ledger
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.utility import assistance as aid
from clerk_tui.screens.account import AccountScreen
from clerk_tui.screens.kit import Picker
from clerk_tui.screens.override import OverrideScreen
from clerk_tui.screens.prompts import ReasonPicker
from clerk_tui.screens.utility.adjustments import (
    AdjustBillScreen,
    AssistanceQueueScreen,
    AssistanceScreen,
    MedicalCertificationScreen,
)
from tests.domain.utility.adjust_support import make_bill, open_account
from tests.ui.cashier_support import (
    answer,
    approve_override,
    fixed_clock,  # noqa: F401  (fixture)
    open_account_screen,
    pick_account_action,
    press_keys,
)
from tests.ui.conftest import SignedIn, finish_work, goto, press_each, screen_text


async def _adjust_40(pilot) -> None:  # noqa: ANN001
    """A -> J -> first reason (leak) -> the bill -> amount 40 -> note -> Enter: posts or asks."""
    app = pilot.app
    await pick_account_action(pilot, "j", "Adjust bill", ReasonPicker)
    assert "Leak: water over normal use" in screen_text(app)
    await goto(pilot, "enter", Picker)
    assert "2026-02-03" in screen_text(app)
    adjust = await goto(pilot, "enter", AdjustBillScreen)
    text = screen_text(app)
    assert "normal use cannot be worked out" in text  # no history: the clerk types it
    assert app.focused is adjust.query_one("#adjust-amount", Input)
    await answer(pilot, "40", "meter leak fixed")


async def test_csr1_adjustment_over_limit_needs_supervisor_then_posts(
        signed_in: SignedIn, make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr1")
    make_clerk("supervisor", username="sue")
    account = open_account(db, address="7 Adjust Ct")
    make_bill(db, account.id, "2026-02-03", 30, water=20000)
    start = ledger.account_balance(db, account.id)
    async with signed_in("csr1") as (app, pilot):
        await open_account_screen(pilot, "adjust ct")
        await _adjust_40(pilot)
        assert isinstance(app.screen, OverrideScreen)
        text = screen_text(app)
        assert "$40.00 is over your bill adjustment limit of $25.00" in text
        assert db.scalar("SELECT count(*) FROM adjustments") == 0
        await approve_override(pilot, "sue")
        await finish_work(pilot)
        assert isinstance(app.screen, AccountScreen)
    row = db.one("SELECT reason_code, amount_cents, clerk, override_by, note FROM adjustments")
    assert row == {"reason_code": "LEAK", "amount_cents": -4000, "clerk": "csr1",
                   "override_by": "sue", "note": "meter leak fixed"}
    assert ledger.account_balance(db, account.id) == start - 4000
    audit = db.all("SELECT action, clerk, override_by FROM audit_log "
                   "WHERE action IN ('override.granted', 'bill.adjust') ORDER BY seq")
    assert audit == [{"action": "override.granted", "clerk": "csr1", "override_by": "sue"},
                     {"action": "bill.adjust", "clerk": "csr1", "override_by": "sue"}]


async def test_escape_at_the_override_posts_nothing(
        signed_in: SignedIn, make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr1")
    account = open_account(db, address="9 Adjust Ct")
    make_bill(db, account.id, "2026-02-03", 30, water=20000)
    journals = db.scalar("SELECT count(*) FROM journals")
    async with signed_in("csr1") as (app, pilot):
        await open_account_screen(pilot, "adjust ct")
        await _adjust_40(pilot)
        assert isinstance(app.screen, OverrideScreen)
        await goto(pilot, "escape", AdjustBillScreen)
        assert "Not posted: it needs a supervisor's approval." in screen_text(app)
        await press_keys(pilot, "escape")  # the typed amount and note: it asks first
        assert "not saved" in screen_text(app)
        await goto(pilot, "y", AccountScreen)
    assert db.scalar("SELECT count(*) FROM adjustments") == 0
    assert db.scalar("SELECT count(*) FROM journals") == journals
    assert db.scalar("SELECT count(*) FROM audit_log WHERE action = 'bill.adjust'") == 0


async def test_within_limit_posts_without_a_supervisor_and_esc_on_reason_changes_nothing(
        signed_in: SignedIn, make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr1")
    account = open_account(db, address="11 Adjust Ct")
    make_bill(db, account.id, "2026-02-03", 30, water=20000)
    async with signed_in("csr1") as (app, pilot):
        await open_account_screen(pilot, "adjust ct")
        await press_keys(pilot, "a", "j")
        assert isinstance(app.screen, ReasonPicker)
        await goto(pilot, "escape", AccountScreen)
        await press_keys(pilot, "a", "j")
        await press_each(pilot, "enter", "enter")  # the reason, the bill
        await answer(pilot, "25", "")  # the amount, no note
        assert isinstance(app.screen, AccountScreen)
    assert db.scalar("SELECT amount_cents FROM adjustments") == -2500


async def test_assistance_taken_at_the_account_then_approved_from_the_desk(
        signed_in: SignedIn, make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr1")
    make_clerk("csr3")
    account = open_account(db, name="[@click=app.quit]Ann", address="5 Aid Way")
    async with signed_in("csr1") as (app, pilot):
        await open_account_screen(pilot, "aid way")
        await press_keys(pilot, "a", "i")
        assert isinstance(app.screen, AssistanceScreen)
        assert "[@click=app.quit]Ann" in screen_text(app)
        await pilot.press("enter")  # first programme: lifeline
        await answer(pilot, "3", "41000", "")
        assert isinstance(app.screen, AccountScreen)
    rows = aid.enrollments(db, account.id)
    assert [(e.program, e.status, e.household_size, e.annual_income_cents) for e in rows] == [
        ("lifeline", "pending", 3, 4_100_000)]

    async with signed_in("csr3") as (app, pilot):
        await press_each(pilot, "f11")
        assert "Assistance approvals" in screen_text(app)
        await goto(pilot, "v", AssistanceQueueScreen)
        text = screen_text(app)
        assert "lifeline" in text and "$41,000.00" in text
        await press_each(pilot, "a")
        assert "Approved" in screen_text(app)
    assert aid.get_enrollment(db, rows[0].id).status == "approved"


async def test_medical_certification_recorded_from_the_account(
        signed_in: SignedIn, make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr1")
    account = open_account(db, address="3 Med Ln")
    async with signed_in("csr1") as (app, pilot):
        await open_account_screen(pilot, "med ln")
        await press_keys(pilot, "a", "k")
        assert isinstance(app.screen, MedicalCertificationScreen)
        assert "2026-03-02" in screen_text(app)  # received today by default
        await pilot.press("enter", "enter")
        await answer(pilot, "oxygen concentrator")
        assert isinstance(app.screen, AccountScreen)
    cert = aid.current_certification(db, account.id)
    assert cert is not None and (cert.received_on, cert.expires_on) == ("2026-03-02",
                                                                       "2026-08-29")
