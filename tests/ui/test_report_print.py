"""P prints what a report shows: the Z report on the sim printer (from the drawer's report
modal and from F9), and a printer that cannot print says so plainly on screen."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clerk_tui.app import ClerkApp
from clerk_tui.config import PrinterConfig, WorkstationConfig
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import DrawerCount, open_session, submit_count
from clerk_tui.hardware.devices import devices_for
from clerk_tui.screens.drawer import DrawerScreen
from clerk_tui.screens.kit import ReportScreen
from clerk_tui.screens.reports import ReportsScreen
from clerk_tui.station import Station
from tests.conftest import PINS
from tests.ui.cashier_support import attach_station, fixed_clock  # noqa: F401
from tests.ui.conftest import SIZE, SignedIn, finish_work, goto, press_each, screen_text, sign_in

pytestmark = pytest.mark.usefixtures("fresh_sims")


def counted_drawer(db: Database, actor: Actor) -> None:
    """A drawer opened with the $150.00 bank and closed with a blind count that balances."""
    open_session(db, actor)
    submit_count(db, actor, DrawerCount({"hundreds": 1, "fifties": 1}))


def assert_printed(report: str, printed: list[str]) -> None:
    """Every line of the report is on the paper; a line wider than the paper wraps, so its
    characters (the audit head) are found in the joined text."""
    joined = "".join(line.strip() for line in printed)
    for line in report.splitlines():
        if not line.strip():
            continue
        if len(line.rstrip()) <= 42:
            assert line.rstrip() in printed, (line, printed)
        else:
            assert line.replace(" ", "") in joined.replace(" ", ""), line


async def press_print(pilot) -> None:  # noqa: ANN001
    """P, and the printing done (or refused) and said on screen."""
    await pilot.press("p")
    await finish_work(pilot)


async def test_p_prints_the_z_report_from_the_drawer(make_app: Callable[..., ClerkApp],
                                                     make_clerk: Callable[..., Actor],
                                                     db: Database,
                                                     fixed_clock: object) -> None:  # noqa: F811
    counted_drawer(db, make_clerk("csr2"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        station = attach_station(app)
        await sign_in(pilot, "csr2", PINS["csr2"])
        await goto(pilot, "f8", DrawerScreen)
        screen = await goto(pilot, "z", ReportScreen)
        assert "Print" in screen_text(app).splitlines()[-1]  # the key is in the footer
        assert station.printer_text() == []
        await press_print(pilot)
        printed = station.printer_text()
        assert "Z report" in printed
        assert "Z REPORT" in screen.text and "Audit head" in screen.text
        assert_printed(screen.text, printed)
        assert station.sim_printer.cuts == 1
        assert "Z report printed." in screen_text(app)
        await goto(pilot, "escape", DrawerScreen)


async def test_p_on_f9_prints_the_report_shown(make_app: Callable[..., ClerkApp],
                                               make_clerk: Callable[..., Actor], db: Database,
                                               fixed_clock: object) -> None:  # noqa: F811
    counted_drawer(db, make_clerk("csr2"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        station = attach_station(app)
        await sign_in(pilot, "csr2", PINS["csr2"])
        screen = await goto(pilot, "f9", ReportsScreen)
        await press_print(pilot)  # nothing shown yet: nothing printed
        assert station.printer_text() == []
        assert "Nothing to print" in screen_text(app)
        await press_each(pilot, "z")
        assert "Z REPORT" in screen.shown
        await press_print(pilot)
        assert_printed(screen.shown, station.printer_text())
        assert "Z report printed." in screen_text(app)


async def test_printer_out_of_paper_is_shown_plainly(signed_in: SignedIn,
                                                     make_clerk: Callable[..., Actor],
                                                     db: Database,
                                                     fixed_clock: object) -> None:  # noqa: F811
    counted_drawer(db, make_clerk("csr2"))
    station = Station(devices_for(WorkstationConfig(
        "ws-test", printer=PrinterConfig(url="sim:ws-paperout?paper=out"))))
    async with signed_in("csr2", station=station) as (app, pilot):
        await goto(pilot, "f8", DrawerScreen)
        await goto(pilot, "z", ReportScreen)
        await press_print(pilot)
        assert isinstance(app.screen, ReportScreen)  # the report stays up to print again
        assert "Z report not printed: Printer out of paper" in screen_text(app)
        assert station.printer_text() == []


def test_one_report_viewer() -> None:
    """The drawer's X/Z and every other full-screen report are the kit's `ReportScreen`; F9
    prints through the session's `run`: no second viewer or print mixin beside the kit's."""
    from clerk_tui.screens import drawer, reports

    assert not hasattr(reports, "ReportScreen") and not hasattr(reports, "Printing")
    assert drawer.ReportScreen is ReportScreen
