"""Account lookup (F2): debounced search-as-you-type, arrows, Enter, literal names."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import DataTable

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.screens.account import AccountScreen
from clerk_tui.screens.lookup import LookupScreen
from tests.conftest import PINS
from tests.ui.cashier_support import fixed_clock, make_account  # noqa: F401
from tests.ui.conftest import SIZE, screen_text, settle, sign_in, type_text

WAIT = 0.3  # a little longer than the debounce


async def _lookup(pilot, app: ClerkApp) -> LookupScreen:  # type: ignore[no-untyped-def]
    await sign_in(pilot, "csr2", PINS["csr2"])
    await pilot.press("f2")
    await settle(pilot)
    assert isinstance(app.screen, LookupScreen)
    return app.screen


async def test_debounced_search_any_word_and_arrows(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr2")
    make_account(db, name="Pat Example", address="120 N Main St")
    make_account(db, name="Mainor Lee", address="9 Oak Ave")
    make_account(db, name="Kim Other", address="44 Pine Rd")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _lookup(pilot, app)
        await type_text(pilot, "main 120")
        assert screen.searches == 0  # still typing: nothing has run yet
        await pilot.pause(WAIT)
        await settle(pilot)
        assert screen.searches == 1  # one query for eight keystrokes
        table = screen.query_one("#lookup-results", DataTable)
        assert table.row_count == 1
        assert "120 N Main St" in screen_text(app)

        await pilot.press("ctrl+u")
        await type_text(pilot, "main")
        await pilot.pause(WAIT)
        await settle(pilot)
        assert table.row_count == 2  # "Mainor" by name, "Main St" by address
        assert app.focused is screen.query_one("#lookup-query")  # typing never leaves the box
        first = screen.highlighted_account()
        await pilot.press("down")
        second = screen.highlighted_account()
        assert first != second and second is not None
        await pilot.press("up")
        assert screen.highlighted_account() == first
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        assert app.screen.account_id == second
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert app.focused is screen.query_one("#lookup-query")


async def test_account_number_nothing_found_and_literal_names(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr2")
    odd = make_account(db, name="[@click=app.quit]Al", address="1 Markup Way",
                       balance_cents=100)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _lookup(pilot, app)
        await type_text(pilot, odd.display_number[:7])  # without the check digit
        await pilot.pause(WAIT)
        await settle(pilot)
        text = screen_text(app)
        assert "[@click=app.quit]Al" in text
        await pilot.press("ctrl+u")
        await type_text(pilot, "zzzqqq")
        await pilot.pause(WAIT)
        await settle(pilot)
        assert "Nothing found" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen  # nothing to open: stays, says so
        assert "Nothing highlighted" in screen_text(app)
        await pilot.press("ctrl+u")
        await type_text(pilot, "markup")
        await pilot.press("enter")  # typed ahead: opens once the search answers
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        assert "[@click=app.quit]Al" in screen_text(app)
        assert app.is_running


async def test_account_view_pages_history_and_adds_a_note(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    from clerk_tui.domain import audit, ledger
    from clerk_tui.domain.actor import SYSTEM

    make_clerk("csr2")
    account = make_account(db, address="3 Paging Ln", balance_cents=1000,
                           bill_date="2025-11-01")
    for day in range(2, 12):
        with db.write():
            ledger.post(db, SYSTEM, "bill", [
                ledger.Entry(book="account", kind="bill", amount_cents=100,
                             account_id=account.id, fund="510", gl_code="510-4100"),
                ledger.Entry(book="revenue", kind="bill", amount_cents=-100, fund="510",
                             gl_code="510-4100")], business_date=f"2026-02-{day:02d}")
            audit.record(db, SYSTEM, "test.bill", f"account:{account.number}")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _lookup(pilot, app)
        await type_text(pilot, "paging")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AccountScreen)
        text = screen_text(app)
        assert "Balance due $20.00" in text and "90+ $10.00" in text
        assert "History page 1 of 2" in text
        await pilot.press("pagedown")
        await settle(pilot)
        assert "History page 2 of 2" in screen_text(app)
        assert "2025-11-01" in screen_text(app)
        await pilot.press("pageup")
        assert "History page 1 of 2" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "[b]called[/b] about leak")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert "[b]called[/b] about leak" in screen_text(app)
