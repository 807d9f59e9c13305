"""The cashier's day at 80x24, keyboard only: sign in, open the drawer, find an account by
part of its address, take the amount due in cash with change, see it printed, void it,
close with a blind count and print the Z report."""

from __future__ import annotations

from collections.abc import Callable

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain import ledger
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import current_session, last_receipt_for_clerk, open_session
from clerk_tui.screens.account import AccountScreen
from clerk_tui.screens.count import CountScreen
from clerk_tui.screens.drawer import DrawerScreen
from clerk_tui.screens.home import HomeScreen
from clerk_tui.screens.kit import ReportScreen
from clerk_tui.screens.lookup import LookupScreen
from clerk_tui.screens.override import OverrideScreen
from clerk_tui.screens.payment import PaymentScreen
from clerk_tui.screens.prompts import ReasonPicker
from tests.conftest import PINS
from tests.ui.cashier_support import (
    approve_override,
    attach_station,
    fixed_clock,  # noqa: F401  (fixture)
    make_account,
    open_drawer,
    take_payment,
)
from tests.ui.conftest import (
    SIZE,
    SignedIn,
    finish_work,
    goto,
    press_each,
    screen_text,
    settle,
    sign_in,
    type_text,
)

DEBOUNCE_WAIT = 0.25


async def test_cashier_day_csr2(make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor],
                                db: Database, fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr2")
    account = make_account(db, name="Pat Example", address="120 N Main St",
                           balance_cents=12345)
    make_account(db, name="Lee Other", address="5 Oak Ave", balance_cents=500)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        station = attach_station(app)
        await sign_in(pilot, "csr2", PINS["csr2"])
        assert isinstance(app.screen, HomeScreen)

        # Open the drawer with the standard bank.
        await open_drawer(pilot)
        assert current_session(db, app.actor) is not None  # type: ignore[arg-type]

        # The counted keystrokes: F2, "main", Enter, F3, Enter, "130", Enter.
        await pilot.press("f2")
        await type_text(pilot, "main")
        await pilot.press("enter")  # typed ahead of the debounce: opens when results arrive
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        text = screen_text(app)
        assert "Pat Example" in text and "$123.45" in text
        await goto(pilot, "f3", PaymentScreen)
        await pilot.press("enter")  # empty amount = the amount due
        await type_text(pilot, "130")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PaymentScreen) and screen.result is not None
        receipt = screen.result.receipt
        assert receipt.total_cents == 12345 and receipt.change_cents == 655
        text = screen_text(app)
        assert f"RECEIPT {receipt.number}" in text and "CHANGE DUE $6.55" in text
        assert ledger.account_balance(db, account.id) == 0

        # The receipt reached the simulated printer (and the drawer was kicked).
        await finish_work(pilot)
        printed = "\n".join(station.printer_text())
        assert f"Receipt {receipt.number}" in printed
        assert "$6.55" in printed

        # Void it: V, pick the first reason with Enter (a CSR II needs no supervisor).
        await goto(pilot, "v", ReasonPicker)
        await press_each(pilot, "enter")
        assert "VOIDED" in screen_text(app)
        assert ledger.account_balance(db, account.id) == 12345

        # Close: a blind count (7 twenties + 1 ten = the $150.00 bank), then the Z report.
        await goto(pilot, "f8", DrawerScreen)
        await goto(pilot, "c", CountScreen)
        text = screen_text(app)
        assert "expected" not in text.lower() and "$150.00" not in text  # blind
        await pilot.press("7", "shift+tab", "1")
        await press_each(pilot, "ctrl+y", "y")  # "Submit this count?"
        assert isinstance(app.screen, DrawerScreen)
        text = screen_text(app)
        assert "BALANCED" in text, text
        assert current_session(db, app.actor) is None  # type: ignore[arg-type]
        report = await goto(pilot, "z", ReportScreen)
        assert "Z REPORT" in report.text and "Audit head" in report.text
        assert "KEY" in report.text  # the void and its reason code are on it


async def test_csr1_void_needs_a_supervisor(make_app: Callable[..., ClerkApp],
                                            make_clerk: Callable[..., Actor], db: Database,
                                            fixed_clock: object) -> None:  # noqa: F811
    actor = make_clerk("csr1")
    make_clerk("supervisor", "sup")
    open_session(db, actor)
    account = make_account(db, address="77 Elm St", balance_cents=2000)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        attach_station(app)
        await sign_in(pilot, "csr1", PINS["csr1"])
        screen = await take_payment(pilot, account.display_number)  # amount due, exact cash
        number = screen.result.receipt.number
        await press_each(pilot, "v")
        await goto(pilot, "enter", OverrideScreen)
        await approve_override(pilot, "sup")
        assert isinstance(app.screen, PaymentScreen)
        assert "VOIDED" in screen_text(app)
        last = last_receipt_for_clerk(db, app.actor)  # type: ignore[arg-type]
        assert last is not None and last.number == number and last.void is not None
        assert last.void.override_by == "sup"
        assert ledger.account_balance(db, account.id) == 2000


async def test_lookup_screen_is_the_counter_for_f2(signed_in: SignedIn,
                                                   ) -> None:
    async with signed_in("csr2") as (app, pilot):
        lookup = await goto(pilot, "f2", LookupScreen)
        assert app.focused is lookup.query_one("#lookup-query")
