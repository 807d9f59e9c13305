"""Reversal and NSF return at 80x24, keyboard only: the receipt is shown before anything
changes, a supervisor reverses after close and every balance is restored exactly, a CSR II
needs the override (Esc on it changes nothing), and a returned check adds the fee, flags the
account NO CHECKS and the payment screen then refuses a check."""

from __future__ import annotations

from collections.abc import Callable, Iterator

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
from clerk_tui.hardware.sim import reset_sims
from clerk_tui.screens.account import AccountScreen
from clerk_tui.screens.account_actions import AccountActionsScreen
from clerk_tui.screens.confirm import ConfirmScreen
from clerk_tui.screens.override import OverrideScreen
from clerk_tui.screens.payment import PaymentScreen
from clerk_tui.screens.prompts import ReasonPicker, TextPrompt
from clerk_tui.screens.reports import ReportsScreen
from clerk_tui.screens.reversal import ReversalScreen
from tests.conftest import PINS
from tests.ui.cashier_support import attach_station, fixed_clock, make_account  # noqa: F401
from tests.ui.conftest import SIZE, screen_text, settle, sign_in, type_text


@pytest.fixture(autouse=True)
def _fresh_sims() -> Iterator[None]:
    reset_sims()
    yield
    reset_sims()


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


async def open_account_screen(pilot, app: ClerkApp, address: str) -> None:
    await pilot.press("f2")
    await settle(pilot)
    await type_text(pilot, address)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, AccountScreen)


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
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, ReportsScreen)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReversalScreen)

        # A number that is not on file: said plainly, nothing to confirm.
        await type_text(pilot, "999999")
        await pilot.press("enter")
        await settle(pilot)
        assert "No receipt number 999999" in screen_text(app)
        assert screen.receipt is None

        # The receipt is shown as posted before anything is asked.
        await pilot.press(*["backspace"] * 6)
        await type_text(pilot, str(receipt.number))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReversalScreen)
        text = screen_text(app)
        assert f"Receipt {receipt.number}" in text and "2026-03-02" in text
        assert "$40.00" in text and "Cash" in text
        assert "(approved)" in text  # the drawer it was taken in is closed

        # Enter again: the reason, then "are you sure?" — N changes nothing.
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReasonPicker)
        await pilot.press("enter")  # the first reversal reason
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "$40.00" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert "Not reversed. Nothing changed." in screen_text(app)
        assert not get_receipt(db, receipt.number).voided

        await pilot.press("ctrl+y")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ReversalScreen)
        assert f"Receipt {receipt.number} reversed (MISAPPLIED)" in screen_text(app)
        assert "REVERSED" in screen_text(app)
        assert ledger.account_balance(db, account.id) == before
        done = get_receipt(db, receipt.number)
        assert done.void is not None and done.void.kind == "reversal"
        assert done.void.clerk == "sup" and done.void.override_by is None

        # Back, and again: an already reversed receipt changes nothing.
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReportsScreen)
        await pilot.press("r")
        await settle(pilot)
        await type_text(pilot, str(receipt.number))
        await pilot.press("enter")
        await settle(pilot)
        assert f"Receipt {receipt.number} is already reversed" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReversalScreen)  # no reason picker, nothing asked
        assert ledger.account_balance(db, account.id) == before


async def test_csr2_reversal_needs_the_override(make_app: Callable[..., ClerkApp],
                                                make_clerk: Callable[..., Actor],
                                                db: Database,
                                                fixed_clock: object) -> None:  # noqa: F811
    clerk = make_clerk("csr2")
    sup = make_clerk("supervisor", "sup")
    account = make_account(db, address="31 Cedar Ct", balance_cents=6000)
    receipt = closed_receipt(db, clerk, sup, account, 6000)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        await open_account_screen(pilot, app, "cedar")
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AccountActionsScreen)
        menu = screen_text(app)
        assert "Reverse a payment" in menu
        assert "NSF returned check" not in menu  # a CSR II may not post a returned check
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReversalScreen)
        # The account's last receipt is filled in and shown.
        assert screen.receipt is not None and screen.receipt.number == receipt.number
        assert f"Receipt {receipt.number}" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # reason
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, OverrideScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReversalScreen)
        assert "Nothing changed" in screen_text(app)
        assert not get_receipt(db, receipt.number).voided
        assert ledger.account_balance(db, account.id) == 0

        await pilot.press("ctrl+y")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, OverrideScreen)
        await type_text(pilot, "sup")
        await pilot.press("enter")
        await type_text(pilot, PINS["supervisor"])
        await pilot.press("enter")
        await settle(pilot)
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
        await open_account_screen(pilot, app, "aspen")
        await pilot.press("a", "n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReversalScreen) and screen.mode == "nsf"
        text = screen_text(app)
        assert f"Receipt {receipt.number}" in text and "No. 4417" in text
        assert "Fee $25.00" in text  # the first returned check on this account
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)
        await type_text(pilot, "insufficient funds")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "4417" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ReversalScreen)
        text = screen_text(app)
        assert "RETURNED UNPAID (NSF)" in text and "NO CHECKS" in text
        assert ledger.account_balance(db, account.id) == 8000 + 2500
        assert get_account(db, account.id).no_checks
        assert get_receipt(db, receipt.number).void.kind == "nsf"

        # The payment screen now refuses a check for this account.
        open_session(db, app.actor)  # type: ignore[arg-type]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        await pilot.press("f3")
        await settle(pilot)
        pay = app.screen
        assert isinstance(pay, PaymentScreen)
        await pilot.press("enter")  # the amount due
        await settle(pilot)
        assert "NO CHECKS" in screen_text(app)
        await pilot.press("ctrl+t")  # cash -> check
        await type_text(pilot, "5001")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert pay.result is None
        assert "takes no checks" in screen_text(app)
        assert ledger.account_balance(db, account.id) == 10500


async def test_roles_without_the_authority_are_told_at_once(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr1")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReportsScreen)
        assert "A CSR I may not reverse a payment." in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
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
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await type_text(pilot, str(receipt.number))
        await pilot.press("enter")
        await settle(pilot)
        assert "to suspense" in screen_text(app)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert "IN CASH FROM YOUR OPEN DRAWER" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and "cash from your" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert "Give back $20.00 from your drawer." in screen_text(app)
        assert ledger.account_balance(db, account.id) == 2000
        assert get_receipt(db, receipt.number).void.kind == "reversal"
