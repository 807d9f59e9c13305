"""F9 at 80x24: the day report and the GL file for finance open from Reports (O, G); a CSR II
is told plainly that it may not."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import (
    DrawerCount,
    SaleItem,
    Tender,
    approve_session,
    new_idempotency_key,
    open_session,
    post_payment,
    submit_count,
)
from clerk_tui.screens.kit import Prompt, ReportScreen
from clerk_tui.screens.reports import ReportsScreen
from tests.ui.cashier_support import fixed_clock, make_account  # noqa: F401
from tests.ui.conftest import SignedIn, finish_work, goto, press_each, screen_text

pytestmark = pytest.mark.usefixtures("fresh_sims")


def approved_day(db: Database, make_clerk: Callable[..., Actor]) -> None:
    """One drawer took $25.00 cash, was counted and approved (the day is closed on F9 C)."""
    clerk, sup = make_clerk("csr2"), make_clerk("supervisor", "sup")
    acct = make_account(db)
    open_session(db, clerk)
    post_payment(db, clerk, new_idempotency_key(), [SaleItem("account", acct.number, 2500)],
                 [Tender("cash", 2500)])
    res = submit_count(db, clerk, DrawerCount({"hundreds": 1, "fifties": 1, "twenties": 1,
                                               "fives": 1}))
    approve_session(db, sup, res.session_id)


async def test_day_report_and_gl_export_from_f9(signed_in: SignedIn, db: Database,
                                                make_clerk: Callable[..., Actor],
                                                tmp_path: Path,
                                                fixed_clock: object) -> None:  # noqa: F811
    approved_day(db, make_clerk)
    folder = tmp_path / "finance"
    folder.mkdir()
    async with signed_in("supervisor") as (app, pilot):
        await goto(pilot, "f9", ReportsScreen)
        assert "Day report" in screen_text(app)
        await goto(pilot, "o", Prompt)
        await press_each(pilot, "enter")  # today, as filled in
        await finish_work(pilot)
        report = app.screen
        assert isinstance(report, ReportScreen), screen_text(app)
        assert "DAY REPORT  business day 2026-03-02" in report.text
        assert "Collected: $25.00" in report.text and "Audit head" in report.text
        assert "DAY REPORT" in screen_text(app)
        await goto(pilot, "escape", ReportsScreen)
        await goto(pilot, "g", Prompt)  # an open day: refused, said plainly
        await press_each(pilot, "enter", "ctrl+u", *str(folder), "enter", "enter")
        await finish_work(pilot)
        assert "is not closed" in screen_text(app)
        await goto(pilot, "c", Prompt)  # close the day: asked first
        await press_each(pilot, "enter")
        assert "Close business day 2026-03-02?" in screen_text(app)
        await press_each(pilot, "y")
        await finish_work(pilot)
        assert "Business day 2026-03-02 closed (1 drawers)" in screen_text(app)
        assert db.scalar("SELECT count(*) FROM closed_business_days") == 1
        await goto(pilot, "g", Prompt)
        await press_each(pilot, "enter")  # the day
        await press_each(pilot, "ctrl+u", *str(folder), "enter")  # the folder
        await press_each(pilot, "enter")  # re-print: N
        await finish_work(pilot)
        assert isinstance(app.screen, ReportScreen), screen_text(app)
        assert "Exported the GL file of 2026-03-02" in app.screen.text
        rows = list(csv.DictReader(io.StringIO(
            (folder / "gl-2026-03-02.csv").read_text(encoding="utf-8"))))
        assert sum(float(r["debit"]) - float(r["credit"]) for r in rows) == 0
        assert sum(float(r["debit"]) for r in rows) > 0
        await goto(pilot, "escape", ReportsScreen)
        await goto(pilot, "g", Prompt)  # the same day again: refused, said plainly
        await press_each(pilot, "enter", "ctrl+u", *str(folder), "enter", "enter")
        await finish_work(pilot)
        assert isinstance(app.screen, ReportsScreen)
        assert "exported once" in screen_text(app)
        assert len(list(folder.iterdir())) == 1


async def test_csr2_may_not(signed_in: SignedIn, fixed_clock: object) -> None:  # noqa: F811
    async with signed_in("csr2") as (app, pilot):
        await goto(pilot, "f9", ReportsScreen)
        await press_each(pilot, "g")
        assert isinstance(app.screen, ReportsScreen)
        assert "may not export the GL file" in screen_text(app)
        await press_each(pilot, "o")
        assert "may not see the day report" in screen_text(app)
