"""The permits' jobs at 80x24, keys only: renewal notices into the report view, the
enforcement export to a folder the clerk types, and a supervisor's stock count."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import open_session
from clerk_tui.domain.permits import permits, stock
from clerk_tui.screens.kit import LetterMenu, ReportScreen
from clerk_tui.screens.permits.screen import PermitsScreen
from tests.conftest import PINS
from tests.domain.permits.conftest import DOCS, pay
from tests.ui.cashier_support import fixed_clock  # noqa: F401
from tests.ui.conftest import SIZE, finish_work, press_each, screen_text, settle, sign_in, type_text


async def _permits(app: ClerkApp, pilot: object, who: str, role: str = "") -> PermitsScreen:
    await sign_in(pilot, who, PINS[role or who])  # type: ignore[arg-type]
    app.push_screen(PermitsScreen())
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, PermitsScreen)
    return app.screen


async def test_notices_and_export_by_keys(make_app: Callable[..., ClerkApp],
                                          make_clerk: Callable[..., Actor], db: Database,
                                          tmp_path: Path, fixed_clock: object) -> None:  # noqa: F811
    sup = make_clerk("supervisor", "sup")
    stock.receive_range(db, sup, "A", "decal", 100001, 100050)
    clerk = make_clerk("csr1")
    open_session(db, clerk)
    pay(db, clerk, permits.take_application(db, clerk, permit_type="RQ", address="212 Oak St",
                                            holder="Chris Nguyen", plate="6GHI789",
                                            documents=DOCS))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _permits(app, pilot, "csr1")
        await press_each(pilot, "ctrl+o")
        menu = app.screen
        assert isinstance(menu, LetterMenu)
        assert "Receive stock" not in screen_text(app)  # a CSR I does not receive stock
        await press_each(pilot, "n")
        await finish_work(pilot)
        assert isinstance(app.screen, ReportScreen)
        shown = screen_text(app)
        assert "RENEWAL NOTICES WRITTEN: 1 notice(s)" in shown and "Chris Nguyen" in shown
        await press_each(pilot, "escape", "ctrl+o", "x")
        await press_each(pilot, "ctrl+u")
        await type_text(pilot, str(tmp_path / "out"))
        await press_each(pilot, "enter")
        await finish_work(pilot)
        assert isinstance(app.screen, PermitsScreen)
        assert "Wrote 1 valid permit(s) and 0 hot-list number(s)" in screen_text(app)
        path = tmp_path / "out" / f"permits-enforcement-{clock.today().isoformat()}.csv"
        with path.open(newline="") as fh:
            assert [r[0] for r in csv.reader(fh)] == ["record", "VALID"]


async def test_supervisor_counts_a_range(make_app: Callable[..., ClerkApp],
                                         make_clerk: Callable[..., Actor], db: Database,
                                         fixed_clock: object) -> None:  # noqa: F811
    sup = make_clerk("supervisor", "super")
    rng = stock.receive_range(db, sup, "B", "hangtag", 500001, 500010)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _permits(app, pilot, "super", "supervisor")
        await press_each(pilot, "ctrl+o", "c")
        await type_text(pilot, str(rng.id))
        await press_each(pilot, "enter")
        await type_text(pilot, "9")                       # one short: the note is required
        await press_each(pilot, "enter", "enter")
        await finish_work(pilot)
        assert "say why in the note" in screen_text(app)
        await type_text(pilot, "one given out by mistake")
        await press_each(pilot, "ctrl+y")
        await finish_work(pilot)
        assert "DOES NOT balance" in screen_text(app)
        assert db.scalar("SELECT counted FROM permit_stock_counts") == 9
