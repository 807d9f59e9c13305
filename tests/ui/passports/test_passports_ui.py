"""Passports (F6) at 80x24, keys only: a minor's application with one parent present and
the absent parent's DS-3053, the State fee check recorded (pass-through), the city's
execution fee paid in cash on the payment screen, executed, and sent in an envelope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import open_session
from clerk_tui.domain.passports import agents
from clerk_tui.screens.kit import LetterMenu, ListAndAct, Picker, Prompt, ReportScreen
from clerk_tui.screens.passports.application import ApplicationScreen
from clerk_tui.screens.passports.screen import PassportsScreen
from clerk_tui.screens.payment import PaymentScreen
from tests.conftest import PINS
from tests.ui.cashier_support import NOW, fixed_clock  # noqa: F401
from tests.ui.conftest import (
    SIZE,
    finish_work,
    goto,
    press_each,
    screen_text,
    settle,
    sign_in,
    type_text,
)


async def fill(pilot: Any, *values: str | None) -> None:
    """Type each value and Enter; None = Enter on the default as it stands."""
    for v in values:
        if v is not None:
            await pilot.press("ctrl+u")
            await type_text(pilot, v)
        await pilot.press("enter")
        await settle(pilot)


def setup_agent(db: Database, make_clerk: Callable[..., Actor], role: str = "csr1",
                certified: str = "2026-01-05") -> None:
    clerk = make_clerk(role)
    open_session(db, clerk)
    agents.record_certification(db, make_clerk("admin"), role, certified)


async def test_minor_with_ds3053_paid_and_transmitted(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    setup_agent(db, make_clerk)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        counter = await goto(pilot, "f6", PassportsScreen)
        await finish_work(pilot)
        assert "Appointments 2026-03-02" in screen_text(app)
        await press_each(pilot, "n")
        # name, born (12 years old), the parent present, product, expedite, 1-2 day, search
        await fill(pilot, "Kim Doe", "2014-06-01", "Pat Doe", None, None, None, None)
        await finish_work(pilot)
        assert isinstance(app.screen, ApplicationScreen), screen_text(app)
        shown = screen_text(app)
        assert "(minor)" in shown and "State fee $100.00" in shown
        assert "Next: Evidence of citizenship seen" in shown
        await press_each(pilot, "enter")          # citizenship: a document type
        assert isinstance(app.screen, Picker)
        await press_each(pilot, "enter")          # the first: US birth certificate
        await finish_work(pilot)
        await press_each(pilot, "enter")          # identity
        await press_each(pilot, "down", "down", "down", "down", "down", "enter")  # parent's ID
        await finish_work(pilot)
        await press_each(pilot, "enter", "y")     # copies made
        await finish_work(pilot)
        await press_each(pilot, "enter")          # parents: one present + DS-3053
        assert isinstance(app.screen, LetterMenu)
        assert "DS-3053" in screen_text(app)
        await press_each(pilot, "d")
        assert isinstance(app.screen, Prompt)
        await fill(pilot, "2025-11-01", "y")      # 121 days old: refused, nothing recorded
        await finish_work(pilot)
        assert "121 days old: at most 90" in screen_text(app), screen_text(app)
        await press_each(pilot, "enter", "d")
        await fill(pilot, "2026-02-10", "y")
        await finish_work(pilot)
        assert "DS-3053 2026-02-10 +ID" in screen_text(app)
        await press_each(pilot, "enter", "b")     # photo brought (no photo fee)
        await finish_work(pilot)
        for _ in ("oath", "signature", "sealed"):
            await press_each(pilot, "enter", "y")
            await finish_work(pilot)
        assert "Next: State Department fee" in screen_text(app), screen_text(app)
        await press_each(pilot, "x")              # not yet: the money is missing
        assert "Not yet: State Department fee" in screen_text(app)
        await press_each(pilot, "enter")          # the State fee instrument
        assert isinstance(app.screen, Prompt)
        await fill(pilot, "m", "MO-4471", None, None, None)
        await finish_work(pilot)
        assert "money order MO-4471 $100.00" in screen_text(app), screen_text(app)
        await press_each(pilot, "enter")          # pay the city's execution fee
        await finish_work(pilot)
        pay = app.screen
        assert isinstance(pay, PaymentScreen), screen_text(app)
        assert "$35.00" in screen_text(app)
        await type_text(pilot, "40")
        await press_each(pilot, "enter")
        await finish_work(pilot)
        assert pay.result is not None and pay.result.receipt.change_cents == 500
        receipt = pay.result.receipt.number
        await press_each(pilot, "escape")
        await finish_work(pilot)
        assert isinstance(app.screen, ApplicationScreen)
        assert f"receipt {receipt}" in screen_text(app)
        await press_each(pilot, "enter")          # execute: asks first
        await press_each(pilot, "y")
        await finish_work(pilot)
        assert "executed by csr1" in screen_text(app), screen_text(app)
        await press_each(pilot, "escape")
        await finish_work(pilot)
        assert app.screen is counter
        await press_each(pilot, "t", "s")         # envelopes: send the ready ones
        assert isinstance(app.screen, ListAndAct)
        await finish_work(pilot)
        assert "Kim Doe" in screen_text(app)
        await press_each(pilot, "s")
        await fill(pilot, "EZ100200300US", None)
        await finish_work(pilot)
        assert isinstance(app.screen, ReportScreen), screen_text(app)  # the list to print
        shown = screen_text(app)
        assert "PASSPORT TRANSMITTAL EZ100200300US" in shown and "Kim Doe" in shown
        assert "MO MO-4471 $100.00" in shown and f"{receipt}" in shown and "csr1" in shown
        await press_each(pilot, "escape")
        assert "Envelope EZ100200300US: 1 application(s) sent." in screen_text(app)
    row = db.one("SELECT a.status, a.age_group, t.tracking, i.kind, i.number, i.amount_cents, "
                 "r.number AS receipt FROM passport_applications a "
                 "JOIN passport_transmittals t ON t.id = a.transmittal_id "
                 "JOIN passport_instruments i ON i.id = a.instrument_id "
                 "JOIN receipts r ON r.id = a.exec_receipt_id")
    assert row == {"status": "transmitted", "age_group": "minor", "tracking": "EZ100200300US",
                   "kind": "money_order", "number": "MO-4471", "amount_cents": 10000,
                   "receipt": receipt}
    # The money order is nowhere in the drawer: only the city's $35 was tendered.
    assert db.scalar("SELECT sum(amount_cents) FROM tenders") == 3500
    assert dt.date.fromisoformat(db.scalar("SELECT executed_on FROM passport_applications")) \
        == NOW.date()


async def test_lapsed_agent_is_told_plainly(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    setup_agent(db, make_clerk, certified="2025-01-10")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        await goto(pilot, "f6", PassportsScreen)
        await finish_work(pilot)
        assert "LAPSED on 2026-01-10" in screen_text(app)
        await press_each(pilot, "n")
        await fill(pilot, "Pat Doe", "1980-01-01", None, None, None, None, None)
        await finish_work(pilot)
        assert "lapsed on 2026-01-10" in screen_text(app), screen_text(app)
        assert db.scalar("SELECT count(*) FROM passport_applications") == 0


async def test_bench_job_executes_an_adult_book_paid_in_cash(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    from clerk_tui.counters import registry
    from clerk_tui.counters.manifest import resolve
    from clerk_tui.screens.passports.bench import ADULT_BOOK_CASH, ADULT_BOOK_CASH_TOTAL_CENTS

    spec = next(m for m in registry().manifests if m.name == "passports").bench_jobs[0]
    setup_agent(db, make_clerk, role="csr2")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        keys = await resolve(spec)(pilot)
        await finish_work(pilot)
        assert keys == list(ADULT_BOOK_CASH)
        assert "executed by csr2" in screen_text(app), screen_text(app)
    assert db.scalar("SELECT total_cents FROM receipts") == ADULT_BOOK_CASH_TOTAL_CENTS
    row = db.one("SELECT status, product, expedite, state_fee_cents FROM passport_applications")
    assert row == {"status": "executed", "product": "book", "expedite": 0,
                   "state_fee_cents": 13000}


async def test_the_whole_passport_path_runs_no_sql_on_the_ui_thread(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    from clerk_tui.screens.passports.bench import job_adult_book_cash
    from tests.ui.test_ui_thread_sql import _trace

    setup_agent(db, make_clerk, role="csr2")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        seen = _trace(db)
        await job_adult_book_cash(pilot)
        await finish_work(pilot)
        await press_each(pilot, "escape", "t", "s")  # the envelopes' list, then send it
        await finish_work(pilot)
        await press_each(pilot, "s")
        await fill(pilot, "EZ999", "mail")             # too short: refused, nothing sent
        await finish_work(pilot)
        assert "Tracking number: 6 to 40" in screen_text(app)
        await press_each(pilot, "s")
        await fill(pilot, "EZ999888777US", None)
        await finish_work(pilot)
        assert isinstance(app.screen, ReportScreen), screen_text(app)
        assert seen == [], "\n".join(seen)
    assert db.scalar("SELECT status FROM passport_applications") == "transmitted"
