"""Adjustments and assistance at 80x24: a CSR I's $40 adjustment needs a supervisor (approved
-> posted with both names; Esc at the override -> nothing posted), an assistance application
taken at the account and approved from the desk queue, a medical certification recorded."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain import ledger
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.utility import assistance as aid
from clerk_tui.screens.account import AccountScreen
from clerk_tui.screens.account_actions import AccountActionsScreen
from clerk_tui.screens.override import OverrideScreen
from clerk_tui.screens.prompts import ReasonPicker
from clerk_tui.screens.utility.adjustments import (
    AdjustBillScreen,
    AssistanceQueueScreen,
    AssistanceScreen,
    MedicalCertificationScreen,
    PickList,
)
from tests.conftest import PINS
from tests.domain.utility.adjust_support import make_bill, open_account
from tests.ui.cashier_support import fixed_clock  # noqa: F401
from tests.ui.conftest import SIZE, screen_text, settle, sign_in, type_text


async def _open_account(pilot, text: str) -> None:  # noqa: ANN001
    await pilot.press("f2")
    await settle(pilot)
    await type_text(pilot, text)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AccountScreen)


async def _adjust_40(pilot) -> None:  # noqa: ANN001
    """A -> J -> first reason (leak) -> the bill -> amount 40 -> note -> Enter: posts or asks."""
    app = pilot.app
    await pilot.press("a")
    await settle(pilot)
    assert isinstance(app.screen, AccountActionsScreen)
    assert "Adjust bill" in screen_text(app)
    await pilot.press("j")
    await settle(pilot)
    assert isinstance(app.screen, ReasonPicker)
    assert "Leak: water over normal use" in screen_text(app)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, PickList)
    assert "2026-02-03" in screen_text(app)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, AdjustBillScreen)
    text = screen_text(app)
    assert "normal use cannot be worked out" in text  # no history: the clerk types it
    assert app.focused is app.screen.query_one("#adjust-amount", Input)
    await type_text(pilot, "40")
    await pilot.press("enter")
    await type_text(pilot, "meter leak fixed")
    await pilot.press("enter")
    await settle(pilot)


async def test_csr1_adjustment_over_limit_needs_supervisor_then_posts(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr1")
    make_clerk("supervisor", username="sue")
    account = open_account(db, address="7 Adjust Ct")
    make_bill(db, account.id, "2026-02-03", 30, water=20000)
    start = ledger.account_balance(db, account.id)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        await _open_account(pilot, "adjust ct")
        await _adjust_40(pilot)
        assert isinstance(app.screen, OverrideScreen)
        text = screen_text(app)
        assert "$40.00 is over your bill adjustment limit of $25.00" in text
        assert db.scalar("SELECT count(*) FROM adjustments") == 0
        await type_text(pilot, "sue")
        await pilot.press("enter")
        await type_text(pilot, PINS["supervisor"])
        await pilot.press("enter")
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
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
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr1")
    account = open_account(db, address="9 Adjust Ct")
    make_bill(db, account.id, "2026-02-03", 30, water=20000)
    journals = db.scalar("SELECT count(*) FROM journals")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        await _open_account(pilot, "adjust ct")
        await _adjust_40(pilot)
        assert isinstance(app.screen, OverrideScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AdjustBillScreen)
        assert "Not posted: it needs a supervisor's approval." in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
    assert db.scalar("SELECT count(*) FROM adjustments") == 0
    assert db.scalar("SELECT count(*) FROM journals") == journals
    assert db.scalar("SELECT count(*) FROM audit_log WHERE action = 'bill.adjust'") == 0


async def test_within_limit_posts_without_a_supervisor_and_esc_on_reason_changes_nothing(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr1")
    account = open_account(db, address="11 Adjust Ct")
    make_bill(db, account.id, "2026-02-03", 30, water=20000)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        await _open_account(pilot, "adjust ct")
        await pilot.press("a", "j")
        await settle(pilot)
        assert isinstance(app.screen, ReasonPicker)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        await pilot.press("a", "j")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, "25")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
    assert db.scalar("SELECT amount_cents FROM adjustments") == -2500


async def test_assistance_taken_at_the_account_then_approved_from_the_desk(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr1")
    make_clerk("csr3")
    account = open_account(db, name="[@click=app.quit]Ann", address="5 Aid Way")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        await _open_account(pilot, "aid way")
        await pilot.press("a", "i")
        await settle(pilot)
        assert isinstance(app.screen, AssistanceScreen)
        assert "[@click=app.quit]Ann" in screen_text(app)
        await pilot.press("enter")  # first programme: lifeline
        await type_text(pilot, "3")
        await pilot.press("enter")
        await type_text(pilot, "41000")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
    rows = aid.enrollments(db, account.id)
    assert [(e.program, e.status, e.household_size, e.annual_income_cents) for e in rows] == [
        ("lifeline", "pending", 3, 4_100_000)]

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr3", PINS["csr3"])
        await pilot.press("f11")
        await settle(pilot)
        assert "Assistance approvals" in screen_text(app)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, AssistanceQueueScreen)
        text = screen_text(app)
        assert "lifeline" in text and "$41,000.00" in text
        await pilot.press("a")
        await settle(pilot)
        assert "Approved" in screen_text(app)
    assert aid.get_enrollment(db, rows[0].id).status == "approved"


async def test_medical_certification_recorded_from_the_account(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr1")
    account = open_account(db, address="3 Med Ln")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        await _open_account(pilot, "med ln")
        await pilot.press("a", "k")
        await settle(pilot)
        assert isinstance(app.screen, MedicalCertificationScreen)
        assert "2026-03-02" in screen_text(app)  # received today by default
        await pilot.press("enter", "enter")
        await type_text(pilot, "oxygen concentrator")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
    cert = aid.current_certification(db, account.id)
    assert cert is not None and (cert.received_on, cert.expires_on) == ("2026-03-02",
                                                                       "2026-08-29")
