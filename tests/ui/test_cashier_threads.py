"""The cashier-area screens on the kit read and post off the UI thread: opening the reversal
screen from an account (its account and last receipt), looking a receipt up, the refund
dialog's account and balance, and misc. sales' pricing and day report run no SQL on the
UI thread (issue 11: "No SQL on the UI thread: not in compose, prepare, on_mount or key
handlers")."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import open_session
from clerk_tui.screens.kit import ReportScreen
from clerk_tui.screens.payment import PaymentScreen
from clerk_tui.screens.reports import ReportsScreen
from clerk_tui.screens.reversal import ReversalScreen
from tests.conftest import PINS
from tests.ui.cashier_support import (
    fixed_clock,  # noqa: F401  (fixture)
    make_account,
    open_account_menu,
    open_account_screen,
)
from tests.ui.conftest import SIZE, finish_work, goto, press_each, sign_in, type_text
from tests.ui.test_reversal import closed_receipt

pytestmark = pytest.mark.usefixtures("fresh_sims", "fixed_clock")

READS = ("all", "one", "scalar", "execute", "executemany", "insert")


class UiThreadSql:
    """Records, per call of the database's query methods, the thread that made it (the real
    methods run; only the caller's thread is noted)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.on_ui: list[str] = []
        self.watching = False

    def __enter__(self) -> UiThreadSql:
        for name in READS:
            real = getattr(self.db, name)
            setattr(self.db, name, self._noting(name, real))
        return self

    def __exit__(self, *exc: object) -> None:
        for name in READS:
            self.db.__dict__.pop(name, None)

    def _noting(self, name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            if self.watching and threading.current_thread() is threading.main_thread():
                self.on_ui.append(f"{name}: {str(args[0])[:60] if args else ''}")
            return real(*args, **kwargs)
        return call


Steps = Callable[[Pilot], Awaitable[object]]


async def no_sql_on_ui(app: ClerkApp, db: Database, before: Steps, during: Steps) -> None:
    """Sign in as csr2, `before` (not watched), then `during`: every query it causes must
    run off the UI thread."""
    with UiThreadSql(db) as sql:
        async with app.run_test(size=SIZE) as pilot:
            await sign_in(pilot, "csr2", PINS["csr2"])
            await before(pilot)
            await finish_work(pilot)
            sql.watching = True
            await during(pilot)
            await finish_work(pilot)
            sql.watching = False
    assert sql.on_ui == []


async def test_reversal_from_an_account_reads_in_threads(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor],
        db: Database) -> None:
    account = make_account(db, address="31 Cedar Ct", balance_cents=6000)
    receipt = closed_receipt(db, make_clerk("csr2"), make_clerk("supervisor", "sup"),
                             account, 6000)

    async def before(pilot: Pilot) -> None:
        await open_account_screen(pilot, "cedar")
        await open_account_menu(pilot)

    async def during(pilot: Pilot) -> None:
        screen = await goto(pilot, "r", ReversalScreen)  # on_mount: account, last receipt
        await finish_work(pilot)
        assert screen.receipt is not None and screen.receipt.number == receipt.number
        await press_each(pilot, "enter")  # Enter on the number looks it up again

    await no_sql_on_ui(make_app(), db, before, during)


async def test_misc_sales_prices_and_reports_in_threads(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor],
        db: Database) -> None:
    open_session(db, make_clerk("csr2"))
    app = make_app()

    async def during(pilot: Pilot) -> None:
        await type_text(pilot, "n")
        await press_each(pilot, "enter", "enter")  # notary, quantity 1
        await press_each(pilot, "ctrl+o")  # the day report (kit view)
        await finish_work(pilot)
        assert isinstance(app.screen, ReportScreen)
        await press_each(pilot, "escape", "enter")  # empty item: to payment, priced in a thread
        await finish_work(pilot)
        pay = app.screen
        assert isinstance(pay, PaymentScreen) and pay.preview is not None
        assert [i.reference for i in pay.items] == ["NOTARY*1"]

    await no_sql_on_ui(app, db, lambda pilot: press_each(pilot, "f12"), during)


async def test_account_history_page_and_note_run_in_threads(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor],
        db: Database) -> None:
    make_clerk("csr2")
    account = make_account(db, address="31 Cedar Ct", balance_cents=6000)

    async def during(pilot: Pilot) -> None:
        await press_each(pilot, "pagedown", "pageup")  # older page, back to the newest
        await finish_work(pilot)
        await press_each(pilot, "n")
        await type_text(pilot, "Customer called about the bill")
        await press_each(pilot, "enter")

    await no_sql_on_ui(make_app(), db, lambda pilot: open_account_screen(pilot, "cedar"),
                       during)
    notes = db.all("SELECT text FROM account_notes WHERE account_id = ?", [account.id])
    assert [n["text"] for n in notes] == ["Customer called about the bill"]


async def test_f9_reports_and_the_deposit_read_in_threads(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor],
        db: Database) -> None:
    open_session(db, make_clerk("csr2"))
    app = make_app()

    async def during(pilot: Pilot) -> None:
        screen = await goto(pilot, "f9", ReportsScreen)
        await press_each(pilot, "x")
        await finish_work(pilot)
        assert screen.shown_title == "X report" and "csr2" in screen.shown
        await press_each(pilot, "d")  # a CSR: refused or nothing waiting, said either way

    await no_sql_on_ui(app, db, lambda pilot: pilot.pause(), during)
