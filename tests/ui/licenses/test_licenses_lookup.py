"""F2 lookup finds a license by name and Enter shows it on the licenses screen; Esc returns."""

from __future__ import annotations

from collections.abc import Callable

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.licenses import records
from clerk_tui.domain.licenses.records import Application
from clerk_tui.screens.licenses.screen import LicensesScreen
from clerk_tui.screens.lookup import LookupScreen
from tests.conftest import PINS
from tests.ui.cashier_support import fixed_clock  # noqa: F401
from tests.ui.conftest import SIZE, finish_work, screen_text, settle, sign_in, type_text


async def test_lookup_opens_a_license(make_app: Callable[..., ClerkApp],
                                      make_clerk: Callable[..., Actor], db: Database,
                                      fixed_clock: object) -> None:  # noqa: F811
    lic = records.apply(db, make_clerk("csr1"), Application("Quixote Books", "Q Park",
                                                            "3 Elm St", "561"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        await pilot.press("f2")
        await settle(pilot)
        lookup = app.screen
        assert isinstance(lookup, LookupScreen)
        await type_text(pilot, "quixote")
        await pilot.pause(0.3)
        await settle(pilot)
        line = next(x for x in screen_text(app).splitlines() if "Quixote" in x)
        assert "license" in line and lic.number in line
        await pilot.press("enter")
        await settle(pilot)
        await finish_work(pilot)
        assert isinstance(app.screen, LicensesScreen)
        assert app.screen.license is not None and app.screen.license.number == lic.number
        assert "Quixote Books" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is lookup
