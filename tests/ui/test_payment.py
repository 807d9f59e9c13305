"""Payments (F3): refusals change nothing, Enter twice posts once, "did it go through?"."""

from __future__ import annotations

from collections.abc import Callable

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain import ledger
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import last_receipt_for_clerk, open_session
from clerk_tui.screens.payment import PaymentScreen
from tests.conftest import PINS
from tests.ui.cashier_support import attach_station, fixed_clock, make_account  # noqa: F401
from tests.ui.conftest import SIZE, goto, screen_text, settle, sign_in, type_text


def _message(app: ClerkApp) -> str:
    return app.screen.query_one("#pay-message").plain  # type: ignore[attr-defined]


async def _payment(pilot, app: ClerkApp, reference: str) -> PaymentScreen:  # type: ignore[no-untyped-def]
    await sign_in(pilot, "csr2", PINS["csr2"])
    pay = await goto(pilot, "f3", PaymentScreen)
    assert app.focused is pay.query_one("#pay-ref")
    await type_text(pilot, reference)
    await pilot.press("enter")
    await settle(pilot)
    return app.screen


async def test_refusals_change_nothing(make_app: Callable[..., ClerkApp],
                                       make_clerk: Callable[..., Actor], db: Database,
                                       fixed_clock: object) -> None:  # noqa: F811
    open_session(db, make_clerk("csr2"))
    account = make_account(db, balance_cents=5000)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _payment(pilot, app, account.display_number)
        # A bad amount: the domain's message, no item added.
        await type_text(pilot, "12.345")
        await pilot.press("enter")
        await settle(pilot)
        assert "more than two decimal places" in _message(app)
        assert screen.items == []
        await pilot.press("ctrl+u")  # Input: clear to start
        await pilot.press("enter")  # the amount due
        await settle(pilot)
        assert screen.total == 5000

        # Card for more than the total: refused, nothing posted.
        await pilot.press("ctrl+t", "ctrl+t", "ctrl+t")  # cash -> check -> money order -> card
        await type_text(pilot, "4242")
        await pilot.press("enter")
        await type_text(pilot, "AB12")
        await pilot.press("enter")
        await type_text(pilot, "60")
        await pilot.press("enter")
        await settle(pilot)
        assert "cannot be over-tendered" in _message(app)
        assert screen.tenders == [] and screen.result is None

        # A check without its number: refused, the cursor goes to the number.
        await pilot.press("ctrl+t")  # card -> cash
        await pilot.press("ctrl+t")  # cash -> check
        await pilot.press("tab")  # skip the number field
        await type_text(pilot, "50")
        await pilot.press("enter")
        await settle(pilot)
        assert "check number" in _message(app)
        assert app.focused is screen.query_one("#pay-number")
        assert screen.tenders == [] and screen.result is None
        assert last_receipt_for_clerk(db, app.actor) is None  # type: ignore[arg-type]

        # Esc with items typed asks before throwing them away.
        await pilot.press("escape")
        await settle(pilot)
        assert "not saved" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen

        # Control characters in a reference are refused by the domain.
        await pilot.press("ctrl+n")
        screen.query_one("#pay-ref").value = "BUS\x1bPASS"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert screen.pending is None and len(screen.items) == 1
        assert ledger.account_balance(db, account.id) == 5000


async def test_enter_twice_posts_once_and_split_tender(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    open_session(db, make_clerk("csr2"))
    account = make_account(db, balance_cents=10000)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        attach_station(app)
        screen = await _payment(pilot, app, account.display_number)
        await pilot.press("ctrl+g")
        assert "No: this sale has not been posted" in _message(app)
        await pilot.press("enter")  # amount due $100.00
        # Split: a $40 check, then cash for the rest with change.
        await pilot.press("ctrl+t")
        await type_text(pilot, "1234")
        await pilot.press("enter")
        await type_text(pilot, "40")
        await pilot.press("enter")
        await settle(pilot)
        assert "$60.00 still due" in _message(app)
        await pilot.press("ctrl+t", "ctrl+t", "ctrl+t")  # check -> MO -> card -> cash
        await type_text(pilot, "70")
        await pilot.press("enter", "enter", "enter")  # Enter pressed three times
        await settle(pilot)
        assert screen.result is not None
        r = screen.result.receipt
        assert r.change_cents == 1000 and [t.kind for t in r.tenders] == ["check", "cash"]
        assert last_receipt_for_clerk(db, app.actor).number == r.number  # type: ignore[union-attr,arg-type]
        assert ledger.account_balance(db, account.id) == 0
        # The same sale submitted again (a retry) returns the first receipt, posts nothing.
        screen.result = None
        screen._post()
        await settle(pilot)
        assert screen.result is not None and screen.result.replayed
        assert screen.result.receipt.number == r.number
        assert "already posted" in screen_text(app)
        assert ledger.account_balance(db, account.id) == 0
        await pilot.press("ctrl+g")
        assert f"Yes: this sale posted as receipt {r.number}" in _message(app)
        # N starts a new sale with a new key.
        old_key = screen.key
        await pilot.press("n")
        await settle(pilot)
        assert screen.key != old_key and screen.items == []
        assert app.focused is screen.query_one("#pay-ref")


async def test_fee_from_the_schedule(make_app: Callable[..., ClerkApp],
                                     make_clerk: Callable[..., Actor], db: Database,
                                     fixed_clock: object) -> None:  # noqa: F811
    open_session(db, make_clerk("csr2"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _payment(pilot, app, "copy")
        await type_text(pilot, "1.50")
        await pilot.press("enter", "enter")  # the amount, then exact cash
        await settle(pilot)
        assert screen.result is not None
        assert screen.result.receipt.items[0].reference == "COPY"
        assert screen.result.receipt.total_cents == 150
