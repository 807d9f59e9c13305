"""Reversal and NSF return at 80x24, keyboard only: the receipt is shown before anything
changes, a supervisor reverses after close and every balance is restored exactly, a CSR II
needs the override (Esc on it changes nothing), and a returned check adds the fee, flags the
account NO CHECKS and the payment screen then refuses a check."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain import ledger
from clerk_tui.domain.accounts import Account, get_account
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import (
    CountedItem,
    DrawerCount,
    ReceiptView,
    SaleItem,
    Tender,
    approve_session,
    get_receipt,
    new_idempotency_key,
    open_session,
    post_payment,
    submit_count,
)
from clerk_tui.screens.account import AccountScreen
from clerk_tui.screens.confirm import ConfirmScreen
from clerk_tui.screens.override import OverrideScreen
from clerk_tui.screens.payment import PaymentScreen
from clerk_tui.screens.prompts import ReasonPicker, TextPrompt
from clerk_tui.screens.reports import ReportsScreen
from clerk_tui.screens.reversal import ReversalScreen
from tests.conftest import PINS
from tests.ui.cashier_support import (
    answer,
    approve_override,
    attach_station,
    fixed_clock,  # noqa: F401  (fixture)
    make_account,
    open_account_menu,
    open_account_screen,
)
from tests.ui.conftest import (
    SIZE,
    SignedIn,
    goto,
    press_each,
    screen_text,
    settle,
    sign_in,
    type_text,
)

pytestmark = pytest.mark.usefixtures("fresh_sims")


def closed_receipt(db: Database, clerk: Actor, sup: Actor, account: Account, cents: int,
                   tender: Tender | None = None) -> ReceiptView:
    """`clerk` takes `cents` on `account`, counts the drawer to the cent, `sup` approves."""
    open_session(db, clerk)
    tender = tender or Tender("cash", cents)
    receipt = post_payment(db, clerk, new_idempotency_key(),
                           [SaleItem("account", account.number, cents)], [tender]).receipt
    if tender.kind == "check":
        count = DrawerCount({"hundreds": 1, "fifties": 1},
                            checks=[CountedItem(tender.number, cents)])
    else:
        count = DrawerCount({"hundreds": 1, "fifties": 1, "twenties": cents // 2000})
    assert submit_count(db, clerk, count).over_short_cents == 0
    approve_session(db, sup, receipt.drawer_session_id)
    return receipt


async def open_reversal(pilot, receipt_number: int | None = None) -> ReversalScreen:  # noqa: ANN001
    """F9, R: the reversal screen; with a number, that receipt looked up."""
    await goto(pilot, "f9", ReportsScreen)
    screen = await goto(pilot, "r", ReversalScreen)
    if receipt_number is not None:
        await answer(pilot, str(receipt_number))
    return screen


async def test_supervisor_reverses_after_close(make_app: Callable[..., ClerkApp],
                                               make_clerk: Callable[..., Actor], db: Database,
                                               fixed_clock: object) -> None:  # noqa: F811
    clerk = make_clerk("csr2")
    sup = make_clerk("supervisor", "sup")
    account = make_account(db, name="Pat [b]Example[/b]", address="9 Birch Ln",
                           balance_cents=4000)
    before = ledger.account_balance(db, account.id)
    receipt = closed_receipt(db, clerk, sup, account, 4000)
    assert ledger.account_balance(db, account.id) == 0
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sup", PINS["supervisor"])
        screen = await open_reversal(pilot)

        # A number that is not on file: said plainly, nothing to confirm.
        await answer(pilot, "999999")
        assert "No receipt number 999999" in screen_text(app)
        assert screen.receipt is None

        # The receipt is shown as posted before anything is asked.
        await pilot.press(*["backspace"] * 6)
        await answer(pilot, str(receipt.number))
        assert isinstance(app.screen, ReversalScreen)
        text = screen_text(app)
        assert f"Receipt {receipt.number}" in text and "2026-03-02" in text
        assert "$40.00" in text and "Cash" in text
        assert "(approved)" in text  # the drawer it was taken in is closed

        # Enter again: the reason, then "are you sure?" — N changes nothing.
        await goto(pilot, "enter", ReasonPicker)
        await goto(pilot, "enter", ConfirmScreen)  # the first reversal reason
        assert "$40.00" in screen_text(app)
        await press_each(pilot, "n")
        assert "Not reversed. Nothing changed." in screen_text(app)
        assert not get_receipt(db, receipt.number).voided

        await press_each(pilot, "ctrl+y", "enter", "y")
        assert isinstance(app.screen, ReversalScreen)
        assert f"Receipt {receipt.number} reversed (MISAPPLIED)" in screen_text(app)
        assert "REVERSED" in screen_text(app)
        assert ledger.account_balance(db, account.id) == before
        done = get_receipt(db, receipt.number)
        assert done.void is not None and done.void.kind == "reversal"
        assert done.void.clerk == "sup" and done.void.override_by is None

        # Back, and again: an already reversed receipt changes nothing.
        await goto(pilot, "escape", ReportsScreen)
        await goto(pilot, "r", ReversalScreen)
        await answer(pilot, str(receipt.number))
        assert f"Receipt {receipt.number} is already reversed" in screen_text(app)
        await goto(pilot, "enter", ReversalScreen)  # no reason picker, nothing asked
        assert ledger.account_balance(db, account.id) == before


async def test_csr2_reversal_needs_the_override(signed_in: SignedIn,
                                                make_clerk: Callable[..., Actor],
                                                db: Database,
                                                fixed_clock: object) -> None:  # noqa: F811
    clerk = make_clerk("csr2")
    sup = make_clerk("supervisor", "sup")
    account = make_account(db, address="31 Cedar Ct", balance_cents=6000)
    receipt = closed_receipt(db, clerk, sup, account, 6000)
    async with signed_in("csr2") as (app, pilot):
        await open_account_screen(pilot, "cedar")
        menu = await open_account_menu(pilot)
        assert "Reverse a payment" in menu
        assert "NSF returned check" not in menu  # a CSR II may not post a returned check
        screen = await goto(pilot, "r", ReversalScreen)
        # The account's last receipt is filled in and shown.
        assert screen.receipt is not None and screen.receipt.number == receipt.number
        assert f"Receipt {receipt.number}" in screen_text(app)
        await press_each(pilot, "enter", "enter")  # the receipt, the reason
        await goto(pilot, "y", OverrideScreen)
        await goto(pilot, "escape", ReversalScreen)
        assert "Nothing changed" in screen_text(app)
        assert not get_receipt(db, receipt.number).voided
        assert ledger.account_balance(db, account.id) == 0

        await press_each(pilot, "ctrl+y", "enter")
        await goto(pilot, "y", OverrideScreen)
        await approve_override(pilot, "sup")
        assert isinstance(app.screen, ReversalScreen)
        done = get_receipt(db, receipt.number)
        assert done.void is not None and done.void.override_by == "sup"
        assert done.void.clerk == "csr2"
        assert ledger.account_balance(db, account.id) == 6000


async def test_nsf_return_adds_the_fee_and_refuses_checks(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    clerk = make_clerk("csr2")
    sup = make_clerk("supervisor", "sup")
    account = make_account(db, address="12 Aspen Way", balance_cents=8000)
    receipt = closed_receipt(db, clerk, sup, account, 8000, Tender("check", 8000, number="4417"))
    assert ledger.account_balance(db, account.id) == 0
    assert not get_account(db, account.id).no_checks
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        attach_station(app)
        await sign_in(pilot, "sup", PINS["supervisor"])
        await open_account_screen(pilot, "aspen")
        await pilot.press("a", "n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReversalScreen) and screen.mode == "nsf"
        text = screen_text(app)
        assert f"Receipt {receipt.number}" in text and "No. 4417" in text
        assert "Fee $25.00" in text  # the first returned check on this account
        await goto(pilot, "enter", TextPrompt)
        await answer(pilot, "insufficient funds")
        assert isinstance(app.screen, ConfirmScreen)
        assert "4417" in screen_text(app)
        await goto(pilot, "y", ReversalScreen)
        text = screen_text(app)
        assert "RETURNED UNPAID (NSF)" in text and "NO CHECKS" in text
        assert ledger.account_balance(db, account.id) == 8000 + 2500
        assert get_account(db, account.id).no_checks
        assert get_receipt(db, receipt.number).void.kind == "nsf"

        # The payment screen now refuses a check for this account.
        open_session(db, app.actor)  # type: ignore[arg-type]
        await goto(pilot, "escape", AccountScreen)
        pay = await goto(pilot, "f3", PaymentScreen)
        await press_each(pilot, "enter")  # the amount due
        assert "NO CHECKS" in screen_text(app)
        await pilot.press("ctrl+t")  # cash -> check
        await type_text(pilot, "5001")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert pay.result is None
        assert "takes no checks" in screen_text(app)
        assert ledger.account_balance(db, account.id) == 10500


async def test_roles_without_the_authority_are_told_at_once(
        signed_in: SignedIn, db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    async with signed_in("csr1") as (app, pilot):
        await goto(pilot, "f9", ReportsScreen)
        await goto(pilot, "r", ReportsScreen)
        assert "A CSR I may not reverse a payment." in screen_text(app)
        await press_each(pilot, "n")
        assert isinstance(app.screen, ReportsScreen)
        assert "A CSR I may not post a returned check." in screen_text(app)


async def test_ctrl_o_hands_the_money_back_from_the_drawer(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    clerk = make_clerk("csr2")
    sup = make_clerk("supervisor", "sup")
    account = make_account(db, address="5 Drawer Dr", balance_cents=2000)
    receipt = closed_receipt(db, clerk, sup, account, 2000)
    open_session(db, sup)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sup", PINS["supervisor"])
        await open_reversal(pilot, receipt.number)
        assert "to suspense" in screen_text(app)
        await press_each(pilot, "ctrl+o")
        assert "IN CASH FROM YOUR OPEN DRAWER" in screen_text(app)
        await press_each(pilot, "enter", "enter")
        assert isinstance(app.screen, ConfirmScreen) and "cash from your" in screen_text(app)
        await press_each(pilot, "y")
        assert "Give back $20.00 from your drawer." in screen_text(app)
        assert ledger.account_balance(db, account.id) == 2000
        assert get_receipt(db, receipt.number).void.kind == "reversal"
