"""Passports desk at 80x24, keys only: the appointment book (book, move, no-show, cancel),
a report, the jobs menu by role (nothing for a CSR I; an admin records a certification), Esc
on a typed new application asks first, and a snapshot of the counter's front page."""

from __future__ import annotations

from collections.abc import Callable

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.passports import agents
from clerk_tui.screens.confirm import ConfirmScreen
from clerk_tui.screens.kit import LetterMenu, ListAndAct, ReportScreen
from clerk_tui.screens.passports.screen import PassportsScreen
from tests.conftest import PINS
from tests.ui.cashier_support import fixed_clock  # noqa: F401
from tests.ui.conftest import SIZE, finish_work, goto, press_each, screen_text, sign_in

from .test_passports_ui import fill, setup_agent


async def test_appointment_book_by_keys(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    setup_agent(db, make_clerk)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        await goto(pilot, "f6", PassportsScreen)
        await press_each(pilot, "a")
        assert isinstance(app.screen, ListAndAct)
        await finish_work(pilot)
        assert "Nobody booked" in screen_text(app)
        await press_each(pilot, "b")
        await fill(pilot, None, "09:15", None, "Ana Ito")      # not a slot: refused
        await finish_work(pilot)
        assert "not a slot" in screen_text(app), screen_text(app)
        await press_each(pilot, "b")
        await fill(pilot, None, "11:00", None, "Ana Ito")
        await finish_work(pilot)
        assert "Booked Ana Ito with csr1 on 2026-03-02 at 11:00." in screen_text(app)
        await press_each(pilot, "m")
        await fill(pilot, None, "11:30", None)
        await finish_work(pilot)
        assert "Moved to 2026-03-02 at 11:30" in screen_text(app), screen_text(app)
        await press_each(pilot, "n")
        await finish_work(pilot)
        assert "no-show" in screen_text(app)
        await press_each(pilot, "b")
        await fill(pilot, "2026-03-03", "09:00", None, "Bo Chen")
        await finish_work(pilot)
        assert db.scalar("SELECT count(*) FROM passport_appointments") == 2
        await press_each(pilot, "d")                           # the next day's book
        await finish_work(pilot)
        assert "Appointments 2026-03-03" in screen_text(app) and "Bo Chen" in screen_text(app)
        await press_each(pilot, "p")
        await finish_work(pilot)
        assert "Ana Ito" in screen_text(app) and "Bo Chen" not in screen_text(app)
        await press_each(pilot, "b")
        await fill(pilot, None, "12:00", None, "Cy Diaz")
        await finish_work(pilot)
        await press_each(pilot, "down", "a")                   # the 12:00 row: arrived
        await finish_work(pilot)
        assert "12:00 Cy Diaz: arrived." in screen_text(app), screen_text(app)
        rows = db.all("SELECT slot, status, name FROM passport_appointments ORDER BY id")
        assert rows == [{"slot": "11:30", "status": "no_show", "name": "Ana Ito"},
                        {"slot": "09:00", "status": "booked", "name": "Bo Chen"},
                        {"slot": "12:00", "status": "arrived", "name": "Cy Diaz"}]


async def test_reports_and_jobs_by_role(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    setup_agent(db, make_clerk)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        await goto(pilot, "f6", PassportsScreen)
        await press_each(pilot, "r", "d")
        await finish_work(pilot)
        assert isinstance(app.screen, ReportScreen)
        assert "PASSPORT ACCEPTANCE LOG  2026-03-02" in screen_text(app)
        await press_each(pilot, "escape", "j")
        assert isinstance(app.screen, LetterMenu)
        assert "Your role runs no passport jobs." in screen_text(app)
        await press_each(pilot, "escape", "n")
        await fill(pilot, "Pat Doe")
        await press_each(pilot, "escape")                # typed work: asks first
        assert isinstance(app.screen, ConfirmScreen)
        await press_each(pilot, "escape")
        assert db.scalar("SELECT count(*) FROM passport_applications") == 0


async def test_admin_records_a_certification_by_keys(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr1")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "admin", PINS["admin"])
        await goto(pilot, "f6", PassportsScreen)
        await finish_work(pilot)
        assert "admin is not a certified acceptance agent." in screen_text(app)
        await press_each(pilot, "j", "c")
        await fill(pilot, "csr1", "2026-02-15")
        await finish_work(pilot)
        assert "csr1 certified until 2027-02-15." in screen_text(app), screen_text(app)
    assert agents.get_agent(db, "csr1") is not None


def test_front_page_snapshot(snap_compare, make_clerk: Callable[..., Actor],  # noqa: ANN001
                             db: Database, make_app: Callable[..., ClerkApp],
                             fixed_clock: object) -> None:  # noqa: F811
    setup_agent(db, make_clerk)
    from clerk_tui.domain import auth
    from clerk_tui.domain.passports import applications, appointments

    actor = auth.clerk_actor(db, "csr1", "ws-test")
    applications.start(db, actor, "Kim [b]Doe[/b]", "2014-06-01", "book", parents="Pat Doe")
    appointments.book(db, actor, "2026-03-02", "11:00", "csr1", "Ana Ito")

    async def run_before(pilot) -> None:  # noqa: ANN001
        await sign_in(pilot, "csr1", PINS["csr1"])
        await goto(pilot, "f6", PassportsScreen)
        await finish_work(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


async def test_state_fee_typed_wrong_is_replaced_and_an_application_cancelled(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    from clerk_tui.domain import auth
    from clerk_tui.domain.passports import applications
    from clerk_tui.screens.passports.application import ApplicationScreen

    setup_agent(db, make_clerk)
    a = applications.start(db, auth.clerk_actor(db, "csr1", "ws-test"), "Pat Doe",
                           "1980-01-01", "card")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        await goto(pilot, "f6", PassportsScreen)
        await press_each(pilot, "o")
        await fill(pilot, a.number)
        await finish_work(pilot)
        assert isinstance(app.screen, ApplicationScreen)
        await press_each(pilot, "f")
        await fill(pilot, None, "881", "$31.00", None, None)   # wrong amount: refused
        await finish_work(pilot)
        assert "the check is for $31.00" in screen_text(app), screen_text(app)
        await press_each(pilot, "f")
        await fill(pilot, None, "881", None, None, None)
        await finish_work(pilot)
        assert "check 881 $30.00" in screen_text(app)
        await press_each(pilot, "f")                            # typed wrong: void it
        await fill(pilot, "typed 881 for 818")
        await finish_work(pilot)
        assert "Voided." in screen_text(app)
        await press_each(pilot, "f")
        await fill(pilot, None, "818", None, None, None)
        await finish_work(pilot)
        assert "check 818 $30.00" in screen_text(app)
        await press_each(pilot, "ctrl+d")
        await fill(pilot, "applicant left")
        await finish_work(pilot)
        assert "CANCELLED" in screen_text(app)
    assert db.all("SELECT number, voided_at IS NOT NULL AS void FROM passport_instruments "
                  "ORDER BY id") == [{"number": "881", "void": 1}, {"number": "818", "void": 0}]


async def test_supervisor_runs_the_retention_purge_by_keys(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    import datetime as dt

    from clerk_tui.domain import auth, clock
    from clerk_tui.domain.passports import applications

    setup_agent(db, make_clerk)
    with clock.frozen(dt.datetime(2023, 6, 1, 10, 0)):  # an abandoned application, 3 years old
        agents.record_certification(db, auth.clerk_actor(db, "admin", "ws-test"), "csr1",
                                    "2023-05-01")
        applications.start(db, auth.clerk_actor(db, "csr1", "ws-test"), "Old Name",
                           "1970-01-01", "card")
    clock.set_fixed(dt.datetime(2026, 3, 2, 10, 0))
    make_clerk("supervisor", "super")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "super", PINS["supervisor"])
        await goto(pilot, "f6", PassportsScreen)
        await press_each(pilot, "j", "p")
        assert isinstance(app.screen, ConfirmScreen)
        await press_each(pilot, "y")
        await finish_work(pilot)
        assert "Purged 1 application(s) and 0 appointment name(s) before 2024-03-02." \
            in screen_text(app), screen_text(app)
    assert db.scalar("SELECT applicant_name FROM passport_applications") is None
