"""Devices in the running app at 80x24, on simulated hardware: the diagnostics screen (F10 / G),
the till state in the status bar, and the warning when a cash sale ends with a drawer that
never opened."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clerk_tui.app import ClerkApp
from clerk_tui.config import Config, parse_config
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import open_session
from clerk_tui.screens.diagnostics import DiagnosticsScreen
from clerk_tui.screens.home import HomeScreen
from clerk_tui.widgets.statusbar import StatusBar
from tests.ui.cashier_support import (
    fixed_clock,  # noqa: F401  (fixture)
    make_account,
    take_payment,
)
from tests.ui.conftest import SignedIn, goto, press_each, screen_text, settle

pytestmark = pytest.mark.usefixtures("fresh_sims")


def _printer(printer_url: str) -> Config:
    """The test workstation's config with its receipt printer at `printer_url`."""
    return parse_config(
        f'[workstation.ws-test]\ndescription = "test"\n'
        f'[workstation.ws-test.printer]\nurl = "{printer_url}"\n', "ws.toml")


def _lines(app: ClerkApp) -> list[str]:
    return screen_text(app).splitlines()


async def test_diagnostics_with_a_paper_out_printer(
        signed_in: SignedIn, make_clerk: Callable[..., Actor], db: Database) -> None:
    make_clerk("csr2")
    async with signed_in("csr2", config=_printer("sim:diag?paper=out")) as (app, pilot):
        await goto(pilot, "g", DiagnosticsScreen)  # the home screen's letter (F10 elsewhere)
        text = screen_text(app)
        lines = _lines(app)
        assert len(lines) <= 24 and all(len(line.rstrip()) <= 80 for line in lines)
        for shown in ("Receipt printer", "simulated device", "Printer out of paper",
                      "Cash drawer", "via printer, pin 2", "Scanner", "keyboard wedge",
                      "prefix 1e", "ws.toml:1", "Last scans", "Test page", "Kick drawer"):
            assert shown in text, (shown, text)

        await press_each(pilot, "t")
        assert "Test page: Receipt not printed: Printer out of paper" in screen_text(app)
        sim = app.station.sim_printer
        assert sim is not None and sim.printed_lines() == []

        sim.paper_out = False
        await press_each(pilot, "s")  # status again: the tech loaded paper
        assert "Printer ready" in screen_text(app)
        await press_each(pilot, "t")
        assert "PRINTER TEST" in sim.printed_lines()

        await press_each(pilot, "k")
        assert "Cash drawer: Drawer open" in screen_text(app)
        assert sim.kicks == [(2, 50)]
        assert "Till: open" in app.screen.query_one(StatusBar).plain
        assert db.scalar("SELECT count(*) FROM audit_log WHERE action = 'drawer.kick'") == 1

        # Scans here are shown raw, not acted on; their letters fire no keys (T, K, S).
        await pilot.press("ctrl+circumflex_accent", *"]C0TKS", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DiagnosticsScreen)
        assert sim.kicks == [(2, 50)]
        text = screen_text(app)
        assert "1e 5d 43 30 54 4b 53 0d" in text and "[Code 128]" in text

        await goto(pilot, "escape", HomeScreen)
        await goto(pilot, "f10", DiagnosticsScreen)


async def test_cash_sale_with_a_drawer_that_never_opens_warns(
        signed_in: SignedIn, make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    open_session(db, make_clerk("csr2"))
    account = make_account(db, balance_cents=2000)
    async with signed_in("csr2", config=_printer("sim:stuck?drawer=stuck")) as (app, pilot):
        assert "Till" not in app.screen.query_one(StatusBar).plain  # nothing known yet
        screen = await take_payment(pilot, account.number)  # amount due, exact cash
        await settle(pilot)
        notes = [(n.severity, n.message) for n in app._notifications]
        assert any(sev == "warning" and "drawer never opened" in msg for sev, msg in notes), notes
        assert "Till: shut" in app.screen.query_one(StatusBar).plain
        # The receipt printed all the same: the money is in, only the drawer is stuck.
        assert any(str(screen.result.receipt.number) in line
                   for line in app.station.printer_text())


async def test_till_shows_open_then_shut_when_the_clerk_closes_it(
        signed_in: SignedIn, make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    open_session(db, make_clerk("csr2"))
    account = make_account(db, balance_cents=700)
    async with signed_in("csr2", config=_printer("sim:till")) as (app, pilot):
        await take_payment(pilot, account.number, "10")
        await settle(pilot)
        assert "Till: open" in app.screen.query_one(StatusBar).plain
        assert not [n for n in app._notifications if n.severity != "information"]
        app.station.sim_printer.close_drawer()  # the clerk shuts the till
        await pilot.pause(2.0)
        await settle(pilot)
        assert "Till: shut" in app.screen.query_one(StatusBar).plain
