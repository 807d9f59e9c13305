"""The service desk at 80x24: open an account, turn it on, read, bill, pay — by keys only."""

from __future__ import annotations

from collections.abc import Callable

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain import ledger
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.utility import orders
from clerk_tui.screens.account import AccountScreen
from clerk_tui.screens.kit import ReportScreen
from clerk_tui.screens.payment import PaymentScreen
from clerk_tui.screens.utility.billing import BillingRunForm
from clerk_tui.screens.utility.desk import UtilityDeskScreen
from clerk_tui.screens.utility.service import (
    CompleteForm,
    NewAccountForm,
    OrderKindPicker,
    OrdersScreen,
    ReadForm,
)
from tests.conftest import PINS
from tests.ui.cashier_support import (
    attach_station,
    fixed_clock,  # noqa: F401  (fixture)
    open_drawer,
    press_keys,
)
from tests.ui.conftest import SIZE, SignedIn, finish_work, screen_text, sign_in, type_text


async def field(pilot, text: str, *, clear: bool = False) -> None:
    """Type into the focused form field (after clearing its default) and press Enter."""
    if clear:
        await pilot.press("ctrl+u")
    await type_text(pilot, text)
    await press_keys(pilot, "enter")


async def test_open_turn_on_read_bill_pay(make_app: Callable[..., ClerkApp],
                                          make_clerk: Callable[..., Actor], db: Database,
                                          fixed_clock: object) -> None:  # noqa: F811
    make_clerk("supervisor")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        attach_station(app)
        await sign_in(pilot, "supervisor", PINS["supervisor"])
        await open_drawer(pilot)  # with the standard bank

        # F11, N: the new-account form; Esc on a fresh form changes nothing.
        await press_keys(pilot, "f11")
        assert isinstance(app.screen, UtilityDeskScreen)
        await press_keys(pilot, "n")
        assert isinstance(app.screen, NewAccountForm)
        await press_keys(pilot, "escape")
        assert isinstance(app.screen, UtilityDeskScreen)
        assert db.scalar("SELECT count(*) FROM accounts") == 0
        await press_keys(pilot, "n")
        await field(pilot, "Robin [b]Quill[/b]")
        await field(pilot, "44 Heron Ct")
        for _ in range(7):  # mailing, phone, services, class, cycle, size, turn-on date
            await press_keys(pilot, "enter")
        text = screen_text(app)
        assert "ACCOUNT" in text and "opened (pending)" in text and "No deposit" in text
        account = db.one("SELECT * FROM accounts")
        assert account["status"] == "pending"
        await press_keys(pilot, "escape")

        # W: dispatch the turn-on order, complete it with the read.
        await press_keys(pilot, "w")
        assert isinstance(app.screen, OrdersScreen)
        assert "Turn on" in screen_text(app) and "44 Heron Ct" in screen_text(app)
        await press_keys(pilot, "d")
        await field(pilot, "Tech A")
        assert "dispatched to Tech A" in screen_text(app)
        await press_keys(pilot, "c")
        assert isinstance(app.screen, CompleteForm)
        await field(pilot, "100")
        await field(pilot, "2026-02-01", clear=True)
        await field(pilot, "Meter on, no leak")
        assert "completed by Tech A" in screen_text(app)
        order = orders.list_orders(db, statuses=("completed",))[0]
        assert order.kind == "turn_on" and order.read_id is not None
        assert db.scalar("SELECT status FROM accounts") == "active"
        await press_keys(pilot, "escape")
        assert "No open service orders" in screen_text(app)
        await press_keys(pilot, "l")  # the route list opens from an empty list too
        await finish_work(pilot)
        assert isinstance(app.screen, ReportScreen), screen_text(app)
        await press_keys(pilot, "escape")
        assert isinstance(app.screen, OrdersScreen)
        await press_keys(pilot, "escape")

        # The account: A, M: a month's read.
        await press_keys(pilot, "f2")
        await type_text(pilot, "heron")
        await press_keys(pilot, "enter")
        assert isinstance(app.screen, AccountScreen)
        assert "Robin [b]Quill[/b]" in screen_text(app)  # shown literally
        await press_keys(pilot, "a")
        await press_keys(pilot, "m")
        assert isinstance(app.screen, ReadForm)
        assert "Last read 100 on 2026-02-01" in screen_text(app), screen_text(app)
        await field(pilot, "112")
        await press_keys(pilot, "enter")
        await press_keys(pilot, "enter")
        assert "READ 112 on 2026-03-02 accepted" in screen_text(app)
        await press_keys(pilot, "escape")

        # F11, B: cycle 1 up to today; the register; finalize.
        await press_keys(pilot, "f11")
        await press_keys(pilot, "b")
        assert isinstance(app.screen, BillingRunForm)
        await field(pilot, "1")
        await press_keys(pilot, "enter")
        assert isinstance(app.screen, ReportScreen)
        register = app.screen.text
        assert "PRELIMINARY BILLING REGISTER" in register and "172.22" in register
        await press_keys(pilot, "escape")  # close the register: finalize?
        await press_keys(pilot, "y")
        await finish_work(pilot)
        assert "FINAL: 1 bills posted, $172.22" in screen_text(app)
        bill = db.one("SELECT * FROM bills")
        assert bill["amount_cents"] == 17222 and bill["scanline"]
        assert ledger.account_balance(db, account["id"]) == 17222
        await press_keys(pilot, "escape")

        # Pay it: F2, the account, F3, Enter (the amount due), $200 cash.
        await press_keys(pilot, "f2")
        await type_text(pilot, "heron")
        await press_keys(pilot, "enter")
        assert isinstance(app.screen, AccountScreen)
        assert "$172.22" in screen_text(app)
        await press_keys(pilot, "f3")
        assert isinstance(app.screen, PaymentScreen)
        await press_keys(pilot, "enter")
        await type_text(pilot, "200")
        await press_keys(pilot, "enter")
        screen = app.screen
        assert isinstance(screen, PaymentScreen) and screen.result is not None
        assert screen.result.receipt.change_cents == 2778
        assert ledger.account_balance(db, account["id"]) == 0


async def test_order_kind_menu_and_esc_changes_nothing(signed_in: SignedIn,
                                                       make_clerk: Callable[..., Actor],
                                                       db: Database,
                                                       fixed_clock: object) -> None:  # noqa: F811
    from tests.ui.cashier_support import make_account

    make_clerk("csr2")
    acct = make_account(db, address="9 Order Ln")
    db.insert("meters", {"account_id": acct.id, "serial": "T1", "installed_on": "2020-01-01"})
    async with signed_in("csr2") as (app, pilot):
        await press_keys(pilot, "f2")
        await type_text(pilot, "order ln")
        await press_keys(pilot, "enter")
        await press_keys(pilot, "a", "o")
        assert isinstance(app.screen, OrderKindPicker)
        await press_keys(pilot, "escape")
        assert isinstance(app.screen, AccountScreen)
        await press_keys(pilot, "a", "o")
        await press_keys(pilot, "down", "down", "down", "down", "enter")  # Reread
        assert "New service order: Reread" in screen_text(app)
        await press_keys(pilot, "escape")
        assert orders.list_orders(db) == []
        await press_keys(pilot, "a", "o")
        await press_keys(pilot, "down", "down", "down", "down", "enter")
        await field(pilot, "urgent", clear=True)
        await press_keys(pilot, "enter")
        await field(pilot, "Customer says 3x usual")
        assert "It is on the route list" in screen_text(app)
        o = orders.list_orders(db)[0]
        assert (o.kind, o.priority, o.reason) == ("reread", "urgent", "Customer says 3x usual")
        assert max(len(line) for line in screen_text(app).splitlines()) <= 80

