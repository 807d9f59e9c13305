"""Refund of a credit balance from the account's A menu at 80x24: within the clerk's limit it
posts at once, pays cash from the drawer and prints a slip; over the limit a supervisor
approves (Esc on the override changes nothing); a refund by city check prints no slip."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain import audit, ledger
from clerk_tui.domain.accounts import Account
from clerk_tui.domain.actor import SYSTEM, Actor
from clerk_tui.domain.cashier import open_session
from clerk_tui.screens.account import AccountScreen
from clerk_tui.screens.confirm import ConfirmScreen
from clerk_tui.screens.override import OverrideScreen
from clerk_tui.screens.refund import RefundScreen
from tests.conftest import PINS
from tests.ui.cashier_support import (
    answer,
    approve_override,
    attach_station,
    fixed_clock,  # noqa: F401  (fixture)
    make_account,
    open_account_screen,
    pick_account_action,
    press_keys,
)
from tests.ui.conftest import SIZE, SignedIn, finish_work, goto, press_each, screen_text, sign_in

pytestmark = pytest.mark.usefixtures("fresh_sims")


def account_with_credit(db: Database, address: str, credit_cents: int) -> Account:
    """An account the customer overpaid: its balance is -credit (a credit)."""
    account = make_account(db, name="Robin Credit", address=address)
    with db.write():
        ledger.post(db, SYSTEM, "adjustment", [
            ledger.Entry(book="account", kind="adjustment", amount_cents=-credit_cents,
                         account_id=account.id, fund="510", gl_code="510-4100",
                         memo="overpayment"),
            ledger.Entry(book="revenue", kind="adjustment", amount_cents=credit_cents,
                         fund="510", gl_code="510-4100"),
        ])
        audit.record(db, SYSTEM, "test.credit", f"account:{account.number}")
    assert ledger.account_balance(db, account.id) == -credit_cents
    return account


async def open_refund(pilot, address: str) -> RefundScreen:  # noqa: ANN001
    await open_account_screen(pilot, address)
    return await pick_account_action(pilot, "f", "Refund a credit balance", RefundScreen)


async def test_cash_refund_within_limit_prints_a_slip(make_app: Callable[..., ClerkApp],
                                                      make_clerk: Callable[..., Actor],
                                                      db: Database,
                                                      fixed_clock: object) -> None:  # noqa: F811
    clerk = make_clerk("csr2")
    open_session(db, clerk)
    account = account_with_credit(db, "44 Refund Rd", 6000)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        station = attach_station(app)
        await sign_in(pilot, "csr2", PINS["csr2"])
        screen = await open_refund(pilot, "refund rd")
        text = screen_text(app)
        assert "Credit $60.00" in text and "Cash from my drawer" in text
        assert "Robin Credit" in text

        # Enter on the empty amount takes the whole credit; a reason is required.
        await press_keys(pilot, "enter", "enter")
        assert "Type the reason" in screen_text(app)
        assert not isinstance(app.screen, ConfirmScreen)
        await answer(pilot, "moved away")
        assert isinstance(app.screen, ConfirmScreen)
        assert "$60.00" in screen_text(app) and "cash" in screen_text(app)
        await press_each(pilot, "y")
        await finish_work(pilot)
        assert isinstance(app.screen, RefundScreen)
        assert screen.result is not None and screen.result.override_by is None
        assert ledger.account_balance(db, account.id) == 0
        text = screen_text(app)
        assert "REFUND" in text and "$60.00" in text and "in cash" in text
        printed = station.printer_text()
        assert "REFUND OF CREDIT BALANCE" in printed
        assert f"Account {account.display_number}" in printed
        assert "Refunded (cash): $60.00" in printed and "Reason: moved away" in printed
        assert any(line.startswith("Received by:") for line in printed)
        assert station.sim_printer.kicks  # the drawer opened to hand the cash over
        # Done: Ctrl+Y does not refund twice.
        await press_each(pilot, "ctrl+y")
        assert ledger.account_balance(db, account.id) == 0


async def test_over_limit_needs_a_supervisor(make_app: Callable[..., ClerkApp],
                                             make_clerk: Callable[..., Actor], db: Database,
                                             fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr2")  # refund limit $100.00
    make_clerk("supervisor", "sup")
    account = account_with_credit(db, "8 Limit Loop", 15000)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        station = attach_station(app)
        await sign_in(pilot, "csr2", PINS["csr2"])
        screen = await open_refund(pilot, "limit loop")
        assert "your refund limit $100.00" in screen_text(app)
        # No drawer open here: the refund defaults to a city check; Ctrl+T switches.
        assert "No drawer open here" in screen_text(app)
        assert "City check" in screen_text(app) and screen.method == "check"
        await press_each(pilot, "ctrl+t")
        assert "Cash from my drawer" in screen_text(app) and screen.method == "cash"
        await press_each(pilot, "ctrl+t")
        assert "City check" in screen_text(app) and screen.method == "check"
        await answer(pilot, "150", "account closed")
        await goto(pilot, "y", OverrideScreen)
        assert "over your refund limit" in screen_text(app)
        await press_each(pilot, "escape")
        assert isinstance(app.screen, RefundScreen)
        assert "Nothing changed" in screen_text(app)
        assert screen.result is None
        assert ledger.account_balance(db, account.id) == -15000

        await press_each(pilot, "ctrl+y")
        await goto(pilot, "y", OverrideScreen)
        await approve_override(pilot, "sup")
        assert isinstance(app.screen, RefundScreen)
        assert screen.result is not None
        assert screen.result.method == "check" and screen.result.override_by == "sup"
        assert ledger.account_balance(db, account.id) == 0
        assert "Finance will issue a city check for $150.00" in screen_text(app)
        await app.workers.wait_for_complete()
        assert station.printer_text() == []  # no slip for a check refund


async def test_more_than_the_credit_is_refused(signed_in: SignedIn,
                                               make_clerk: Callable[..., Actor], db: Database,
                                               fixed_clock: object) -> None:  # noqa: F811
    clerk = make_clerk("csr2")
    open_session(db, clerk)
    account = account_with_credit(db, "3 Small Sq", 1000)
    async with signed_in("csr2") as (app, pilot):
        screen = await open_refund(pilot, "small sq")
        await answer(pilot, "20", "overpaid")
        await press_each(pilot, "y")
        assert isinstance(app.screen, RefundScreen)
        assert "credit is only $10.00" in screen_text(app)
        assert screen.result is None
        assert ledger.account_balance(db, account.id) == -1000
        await press_each(pilot, "escape")  # what was typed is not saved: it asks first
        assert "not saved" in screen_text(app)
        await goto(pilot, "y", AccountScreen)
