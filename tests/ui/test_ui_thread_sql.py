"""No SQL on the UI thread: a clerk's whole path through the counter, every statement traced.

Domain work runs through `session.run` (thread workers) and reads use a read connection of
their own, so a long write elsewhere never freezes the screen. These tests trace every
statement on both connections and fail if one runs on the thread that paints the screen —
and check the payment really posted, so a flow that silently stopped cannot pass.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable

import pytest

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.scanlines import make_stub_scanline
from clerk_tui.screens.payment import PaymentScreen
from tests.conftest import PINS
from tests.ui.cashier_support import fixed_clock, make_account  # noqa: F401
from tests.ui.conftest import SIZE, press_each, screen_text, settle, sign_in, type_text

PREFIX = "ctrl+circumflex_accent"  # a wedge scanner's default prefix (RS, 0x1E)


def _trace(db: Database) -> list[str]:
    """Every statement run on the UI (main) thread, on the writer and the reader."""
    seen: list[str] = []
    ui = threading.main_thread()

    def note(statement: str) -> None:
        if threading.current_thread() is ui:
            seen.append(statement.strip().split("\n")[0][:120])

    db.conn.set_trace_callback(note)
    reader = db._read_conn()
    if reader is not None:
        reader.set_trace_callback(note)
    return seen


def _receipts(db: Database) -> list[tuple[int, int]]:
    """(number, total) of every receipt, read with the sqlite3 module's own connection."""
    with sqlite3.connect(db.path) as conn:
        return conn.execute("SELECT number, total_cents FROM receipts ORDER BY id").fetchall()


async def test_a_payment_runs_no_sql_on_the_ui_thread(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    from clerk_tui.app import _default_drawer_state

    make_clerk("csr2")
    account = make_account(db, balance_cents=5000)
    app = make_app(drawer_state=_default_drawer_state)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        seen = _trace(db)
        await press_each(pilot, "f8", "o", "escape", "f2")
        await type_text(pilot, account.number)
        await settle(pilot)
        await press_each(pilot, "enter", "f3", "enter", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PaymentScreen), screen_text(app)
        assert screen.result is not None, screen_text(app)
        assert _receipts(db) == [(screen.result.receipt.number, 5000)]
        assert seen == [], "\n".join(seen)


async def test_a_fee_payment_runs_no_sql_on_the_ui_thread(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    """A fee code typed, an amount, exact cash; then Ctrl+G, reprint, new sale."""
    from clerk_tui.app import _default_drawer_state

    make_clerk("csr2")
    app = make_app(drawer_state=_default_drawer_state)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        await press_each(pilot, "f8", "o", "escape")
        seen = _trace(db)
        await press_each(pilot, "f3")
        assert isinstance(app.screen, PaymentScreen), screen_text(app)
        screen = app.screen
        await type_text(pilot, "copy")
        await press_each(pilot, "enter")
        await type_text(pilot, "1.50")
        await press_each(pilot, "enter", "enter")
        assert screen.result is not None, screen_text(app)
        assert screen.result.receipt.items[0].reference == "COPY"
        assert _receipts(db) == [(screen.result.receipt.number, 150)]
        await press_each(pilot, "ctrl+g")
        assert f"posted as receipt {screen.result.receipt.number}" in screen_text(app)
        await press_each(pilot, "r")
        assert "Reprinting receipt" in screen_text(app)
        await press_each(pilot, "n")
        assert screen.result is None and screen.items == []
        await app.workers.wait_for_complete()
        assert seen == [], "\n".join(seen)


@pytest.mark.usefixtures("fresh_sims")
async def test_a_scanned_stub_payment_runs_no_sql_on_the_ui_thread(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    """A bill stub scanned at home opens the payment with its amount; Enter, Enter posts."""
    from clerk_tui.app import _default_drawer_state

    make_clerk("csr2")
    account = make_account(db, balance_cents=4512)
    app = make_app(drawer_state=_default_drawer_state)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        await press_each(pilot, "f8", "o", "escape")
        seen = _trace(db)
        await pilot.press(PREFIX, *list(make_stub_scanline(account.number, 4512)), "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PaymentScreen), screen_text(app)
        assert screen.query_one("#pay-amount").value == "45.12"  # type: ignore[attr-defined]
        await press_each(pilot, "enter", "enter")
        assert screen.result is not None, screen_text(app)
        assert _receipts(db) == [(screen.result.receipt.number, 4512)]
        await app.workers.wait_for_complete()
        assert seen == [], "\n".join(seen)


async def test_keys_typed_ahead_wait_for_the_lookups_and_post_once(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    """A whole fee sale typed in one burst (straight from the driver, no pause between keys),
    Enter pressed twice more at the end: each key lands in the field the lookup before it
    focused, and the sale posts once."""
    from textual import events

    from clerk_tui.app import _default_drawer_state

    make_clerk("csr2")
    app = make_app(drawer_state=_default_drawer_state)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        await press_each(pilot, "f8", "o", "escape", "f3")
        screen = app.screen
        assert isinstance(screen, PaymentScreen), screen_text(app)
        seen = _trace(db)
        driver = app._driver
        assert driver is not None
        for key in [*"copy", "enter", *"1.50", "enter", "enter", "enter", "enter"]:
            char = "\r" if key == "enter" else key
            event = events.Key(key, char)
            event.set_sender(app)
            driver.send_message(event)
        for _ in range(100):
            await pilot.pause(0.05)
            await settle(pilot)
            if screen.result is not None and not app._key_queue:
                break
        await app.workers.wait_for_complete()
        assert screen.result is not None, screen_text(app)
        assert _receipts(db) == [(screen.result.receipt.number, 150)]
        assert seen == [], "\n".join(seen)
