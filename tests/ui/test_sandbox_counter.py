"""What a trainee hits in the sandbox, on its demo data, by keys only at 80x24."""

from __future__ import annotations

import time
from collections.abc import Callable

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.screens.account import AccountScreen
from clerk_tui.screens.payment import PaymentScreen
from clerk_tui.screens.reprint import ReprintScreen
from clerk_tui.screens.utility.service import ReadForm
from clerk_tui.widgets.statusbar import StatusBar
from tests.ui.cashier_support import answer, open_drawer, press_keys, type_and_settle
from tests.ui.conftest import SIZE, finish_work, goto, screen_text, settle, sign_in
from tests.ui.demo_support import demo_app, demo_db, demo_template  # noqa: F401  (fixtures)


def _account_with_reads(db: Database) -> str:
    return str(db.scalar(
        "SELECT a.number FROM accounts a JOIN meters m ON m.account_id = a.id "
        "JOIN meter_reads r ON r.meter_id = m.id WHERE a.status = 'active' "
        "ORDER BY a.id LIMIT 1"))


async def _open_account(pilot, number: str) -> AccountScreen:  # type: ignore[no-untyped-def]
    await press_keys(pilot, "f2")
    await type_and_settle(pilot, number)
    return await goto(pilot, "enter", AccountScreen)


async def test_meter_read_heading_is_two_lines(demo_app: Callable[..., ClerkApp],  # noqa: F811
                                               demo_db: Database) -> None:  # noqa: F811
    number = _account_with_reads(demo_db)
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", "3333")
        await _open_account(pilot, number)
        await press_keys(pilot, "a")
        await goto(pilot, "m", ReadForm)
        text = screen_text(app)
        assert "␊" not in text, text
        assert any(line.strip().startswith("Last read ") for line in text.splitlines()), text


async def test_account_r_shows_the_receipt_and_enter_reprints_it(
        demo_app: Callable[..., ClerkApp], demo_db: Database) -> None:  # noqa: F811
    number = _account_with_reads(demo_db)
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", "3333")
        await open_drawer(pilot)
        await _open_account(pilot, number)
        await goto(pilot, "f3", PaymentScreen)
        await press_keys(pilot, "ctrl+u")
        await answer(pilot, "12.34", "")  # amount, then exact cash
        await finish_work(pilot)
        receipt = app.screen.result.receipt.number  # type: ignore[attr-defined]
        await goto(pilot, "escape", AccountScreen)
        reprints = "SELECT count(*) FROM audit_log WHERE action = 'receipt.reprint'"

        await press_keys(pilot, "r")
        await finish_work(pilot)
        assert isinstance(app.screen, ReprintScreen), screen_text(app)
        text = screen_text(app)
        assert f"Receipt {receipt}" in text and "DUPLICATE" in text and "$12.34" in text, text
        assert demo_db.scalar(reprints) == 0  # looking is free

        await press_keys(pilot, "escape")
        assert isinstance(app.screen, AccountScreen)
        assert demo_db.scalar(reprints) == 0

        await press_keys(pilot, "r")
        await finish_work(pilot)
        await press_keys(pilot, "enter")
        await finish_work(pilot)
        assert isinstance(app.screen, AccountScreen)
        assert demo_db.scalar(reprints) == 1
        assert f"Reprinting receipt {receipt} (DUPLICATE)." in [
            n.message for n in app._notifications]
        assert "*** DUPLICATE ***" in app.station.printer_text()


async def test_sandbox_till_shuts_after_a_cash_sale(
        demo_app: Callable[..., ClerkApp], demo_db: Database) -> None:  # noqa: F811
    number = _account_with_reads(demo_db)
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", "3333")
        await open_drawer(pilot)
        await goto(pilot, "f3", PaymentScreen)
        await type_and_settle(pilot, number)
        await pilot.press("enter", "ctrl+u")
        await answer(pilot, "5", "")
        await finish_work(pilot)
        bar = app.screen.query_one(StatusBar)
        assert "Till: open" in bar.plain, bar.plain
        deadline = time.monotonic() + 10
        while "Till: shut" not in bar.plain and time.monotonic() < deadline:
            await pilot.pause(0.5)
            await settle(pilot)
        assert "Till: shut" in bar.plain, bar.plain
