"""Misc. sales (F12) at 80x24, keys only: pick two items, pay cash, see the change and the
receipt; Esc asks before dropping picked lines; a bad quantity changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import open_session
from clerk_tui.screens.confirm import ConfirmScreen
from clerk_tui.screens.home import HomeScreen
from clerk_tui.screens.kit import ReportScreen
from clerk_tui.screens.miscsales.screen import MiscSalesScreen
from clerk_tui.screens.payment import PaymentScreen
from tests.conftest import PINS
from tests.ui.cashier_support import fixed_clock  # noqa: F401
from tests.ui.conftest import SIZE, finish_work, goto, press_each, screen_text, sign_in, type_text


async def _pick(pilot: Any, letter: str, qty: str) -> None:
    await type_text(pilot, letter)
    await press_each(pilot, "enter")
    await type_text(pilot, qty)
    await press_each(pilot, "enter")


async def test_two_items_paid_in_cash_show_change_and_receipt(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    open_session(db, make_clerk("csr2"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        misc = await goto(pilot, "f12", MiscSalesScreen)
        assert app.focused is misc.query_one("#misc-item")
        await _pick(pilot, "c", "12")    # copies, 12 pages: $1.20
        await _pick(pilot, "n", "")      # notary, Enter = 1: $15.00
        assert [ln.reference for ln in misc.lines] == ["COPY*12", "NOTARY*1"]
        assert "$16.20" in screen_text(app)
        await press_each(pilot, "enter")  # empty item field: pay
        pay = app.screen
        assert isinstance(pay, PaymentScreen)
        assert app.focused is pay.query_one("#pay-tendered")
        await type_text(pilot, "20")
        await press_each(pilot, "enter")
        await finish_work(pilot)
        assert pay.result is not None
        shown = screen_text(app)
        receipt = pay.result.receipt
        assert receipt.change_cents == 380 and "$3.80" in shown
        assert str(receipt.number) in shown
        items = db.all("SELECT kind, reference, amount_cents FROM receipt_items "
                       "WHERE receipt_id = (SELECT id FROM receipts WHERE number = ?) "
                       "ORDER BY line", [receipt.number])
        assert [tuple(r.values()) for r in items] == [("misc", "COPY*12", 120),
                                                      ("misc", "NOTARY*1", 1500)]
        await press_each(pilot, "escape")  # back to misc. sales: the sale is gone
        assert app.screen is misc and misc.lines == []
        await press_each(pilot, "ctrl+o")  # today's report shows both items
        assert isinstance(app.screen, ReportScreen)
        report = screen_text(app)
        assert "COPY" in report and "NOTARY" in report and "$16.20" in report


async def test_bad_quantity_and_esc_asks(make_app: Callable[..., ClerkApp],
                                         make_clerk: Callable[..., Actor], db: Database,
                                         fixed_clock: object) -> None:  # noqa: F811
    open_session(db, make_clerk("csr2"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        misc = await goto(pilot, "m", MiscSalesScreen)  # the home letter
        await _pick(pilot, "p", "3")  # lost permit: at most 2
        assert misc.lines == []
        assert "at most 2" in misc.query_one("#misc-message").plain  # type: ignore[attr-defined]
        await pilot.press("ctrl+u")
        await type_text(pilot, "0")
        await press_each(pilot, "enter")
        assert misc.lines == [] and "at least 1" in screen_text(app)
        await pilot.press("ctrl+u")
        await press_each(pilot, "enter")
        assert len(misc.lines) == 1
        await press_each(pilot, "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await press_each(pilot, "escape")  # Stay
        assert app.screen is misc and len(misc.lines) == 1
        await press_each(pilot, "ctrl+r", "escape")  # nothing left: leaves at once
        assert isinstance(app.screen, HomeScreen)


async def test_back_from_payment_unpaid_keeps_the_lines_and_new_sale_does_not(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    open_session(db, make_clerk("csr2"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        misc = await goto(pilot, "f12", MiscSalesScreen)
        await _pick(pilot, "m", "2")
        await press_each(pilot, "enter")
        assert isinstance(app.screen, PaymentScreen) and misc.lines == []
        await press_each(pilot, "escape")  # the payment asks: its items are unpaid work
        assert isinstance(app.screen, ConfirmScreen)
        await press_each(pilot, "enter")  # the default answer: Stay
        assert isinstance(app.screen, PaymentScreen)
        await press_each(pilot, "escape", "y")  # ask again, Y = Leave
        assert app.screen is misc, screen_text(app)
        assert [ln.reference for ln in misc.lines] == ["MAP*2"]
        assert db.scalar("SELECT count(*) FROM receipts") == 0
        await press_each(pilot, "enter")  # pay now: exact cash, then N for a new sale
        await press_each(pilot, "enter")
        await finish_work(pilot)
        await press_each(pilot, "n", "escape")
        assert app.screen is misc and misc.lines == []
        assert db.scalar("SELECT count(*) FROM receipts") == 1


async def test_bench_job_posts_the_sale_in_thirteen_keys(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    from clerk_tui.counters import registry
    from clerk_tui.counters.manifest import resolve
    from clerk_tui.screens.miscsales.bench import TWO_ITEMS_CASH_TOTAL_CENTS

    spec = next(m for m in registry().manifests if m.name == "miscsales").bench_jobs[0]
    job = resolve(spec)
    open_session(db, make_clerk("csr2"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        keys = await job(pilot)
        await finish_work(pilot)
        assert len(keys) == 13
        assert db.scalar("SELECT total_cents FROM receipts") == TWO_ITEMS_CASH_TOTAL_CENTS
        assert "CHANGE DUE $3.80" in screen_text(app)
