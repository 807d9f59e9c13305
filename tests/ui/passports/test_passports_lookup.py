"""F2 lookup finds passport applications (name start, date of birth, number) for clerks who
accept passports, and Enter opens the application's checklist; a trainee never sees them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.passports import applications
from clerk_tui.screens.lookup import LookupScreen
from clerk_tui.screens.passports.application import ApplicationScreen
from tests.conftest import PINS
from tests.ui.cashier_support import fixed_clock  # noqa: F401
from tests.ui.conftest import SIZE, finish_work, goto, press_each, screen_text, sign_in, type_text

from .test_passports_ui import setup_agent


async def test_lookup_finds_and_opens_an_application(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    setup_agent(db, make_clerk)
    from clerk_tui.domain import auth
    a = applications.start(db, auth.clerk_actor(db, "csr1", "ws-test"), "Kim Doe",
                           "2014-06-01", "book", parents="Pat Doe")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        await goto(pilot, "f2", LookupScreen)
        await type_text(pilot, "kim d")
        await pilot.pause(0.3)  # past the lookup's debounce
        await finish_work(pilot)
        shown = screen_text(app)
        assert "passport" in shown and a.number in shown and "Kim Doe" in shown, shown
        await press_each(pilot, "enter")
        await finish_work(pilot)
        assert isinstance(app.screen, ApplicationScreen), screen_text(app)
        assert "born 2014-06-01 (minor)" in screen_text(app)


@pytest.mark.parametrize("db_kind", ["training"])
async def test_a_trainee_does_not_see_applications(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    setup_agent(db, make_clerk)
    from clerk_tui.domain import auth
    applications.start(db, auth.clerk_actor(db, "csr1", "ws-test"), "Kim Doe", "1980-06-01",
                       "book")
    make_clerk("trainee")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "trainee", PINS["trainee"])
        await goto(pilot, "f2", LookupScreen)
        await type_text(pilot, "kim d")
        await pilot.pause(0.3)  # past the lookup's debounce
        await finish_work(pilot)
        assert "Kim Doe" not in screen_text(app)


@pytest.mark.usefixtures("fresh_sims")
async def test_a_scanned_application_number_opens_its_checklist(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    setup_agent(db, make_clerk)
    from clerk_tui.domain import auth
    a = applications.start(db, auth.clerk_actor(db, "csr1", "ws-test"), "Lee Doe",
                           "1980-06-01", "card")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        await pilot.press("ctrl+circumflex_accent", *list(a.number), "enter")  # wedge scan
        await finish_work(pilot)
        assert isinstance(app.screen, ApplicationScreen), screen_text(app)
        assert "Lee Doe" in screen_text(app)
