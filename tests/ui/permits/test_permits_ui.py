"""Parking permits at 80x24, keys only: a permit issued (form, checklist, payment), then the
lost permit replaced for the fee with its old number on the hot list."""

from __future__ import annotations

from collections.abc import Callable

from clerk_tui.app import ClerkApp
from clerk_tui.counters import registry
from clerk_tui.counters.manifest import resolve
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import open_session
from clerk_tui.domain.permits import permits, stock
from clerk_tui.screens.kit import Picker
from clerk_tui.screens.payment import PaymentScreen
from clerk_tui.screens.permits.bench import ISSUE_PERMIT
from clerk_tui.screens.permits.dialogs import DocumentsChecklist, StepForm
from clerk_tui.screens.permits.screen import PermitsScreen
from tests.conftest import PINS
from tests.ui.cashier_support import fixed_clock  # noqa: F401
from tests.ui.conftest import SIZE, finish_work, press_each, screen_text, settle, sign_in, type_text
from tests.ui.test_footer import footer_report


def _stock(db: Database, make_clerk: Callable[..., Actor]) -> None:
    sup = make_clerk("supervisor", "sup")
    stock.receive_range(db, sup, "A", "decal", 100001, 100050)


async def test_issue_then_replace_a_lost_permit(make_app: Callable[..., ClerkApp],
                                                make_clerk: Callable[..., Actor], db: Database,
                                                fixed_clock: object) -> None:  # noqa: F811
    _stock(db, make_clerk)
    open_session(db, make_clerk("csr1"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        await press_each(pilot, "f4", "tab", "p")        # citations, out of its field, P
        screen = app.screen
        assert isinstance(screen, PermitsScreen), screen_text(app)
        width, labels, last_line = footer_report(app)
        assert width <= 80 and all(label in last_line for label in labels), labels
        assert labels[:5] == ["Back", "New", "Renew", "Change", "Jobs"]

        await press_each(pilot, "ctrl+n")
        assert isinstance(app.screen, StepForm)
        await press_each(pilot, "enter")                 # type RA (filled in)
        await type_text(pilot, "400 Oak St")             # outside the district: refused
        await press_each(pilot, "enter")
        await type_text(pilot, "Pat [b]Resident[/b]")
        await press_each(pilot, "enter")
        await type_text(pilot, "7abc123")
        await press_each(pilot, "enter", "enter", "enter")
        assert isinstance(app.screen, StepForm)
        assert "not in a residential permit district" in screen_text(app)
        address = app.screen.query_one("#f-address")
        address.focus()
        await press_each(pilot, "ctrl+u")
        await type_text(pilot, "212 Oak St")
        await press_each(pilot, "ctrl+y")
        assert isinstance(app.screen, DocumentsChecklist), screen_text(app)
        assert "$40.00 (1st vehicle)" in screen_text(app)
        await press_each(pilot, "enter")                 # nothing ticked: refused
        assert "Not seen yet: Driver licence" in screen_text(app)
        assert isinstance(app.screen, DocumentsChecklist)
        await press_each(pilot, "a", "enter")
        pay = app.screen
        assert isinstance(pay, PaymentScreen), screen_text(app)
        assert "$40.00" in screen_text(app)
        await press_each(pilot, "enter")                 # exact cash
        await finish_work(pilot)
        assert pay.result is not None
        await press_each(pilot, "escape")                # back to permits: the permit issued
        await finish_work(pilot)
        assert app.screen is screen
        first = permits.permits_for_plate(db, "7ABC123")[0]
        shown = screen_text(app)
        assert f"Issued {first.number}: hand over that decal." in shown
        assert "Pat [b]Resident[/b]" in shown and "VALID" in shown

        await press_each(pilot, "ctrl+g", "l")           # lost: replace for the fee
        assert isinstance(app.screen, Picker)
        await press_each(pilot, "enter")                 # Lost (the first)
        pay = app.screen
        assert isinstance(pay, PaymentScreen), screen_text(app)
        assert "$15.00" in screen_text(app)
        await press_each(pilot, "enter")
        await finish_work(pilot)
        assert pay.result is not None and pay.result.receipt.total_cents == 1500
        await press_each(pilot, "escape")
        await finish_work(pilot)
        new = permits.permits_for_plate(db, "7ABC123")[0]
        assert new.number != first.number and new.replaces_id == first.id
        assert f"Issued {new.number}" in screen_text(app)
        old = permits.get_permit(db, first.number)
        assert (old.status, old.hot) == ("replaced", "lost")

        await type_text(pilot, first.number)             # the old number shows HOT LOST
        await press_each(pilot, "enter")
        assert "HOT LOST" in screen_text(app)


async def test_bench_job_issues_a_permit(make_app: Callable[..., ClerkApp],
                                         make_clerk: Callable[..., Actor], db: Database,
                                         fixed_clock: object) -> None:  # noqa: F811
    _stock(db, make_clerk)
    open_session(db, make_clerk("csr2"))
    app = make_app()
    manifest = next(m for m in registry().manifests if m.name == "permits")
    job = resolve(manifest.bench_jobs[0])
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        keys = await job(pilot)
        await finish_work(pilot)
        assert keys == list(ISSUE_PERMIT)  # 44: 31 typed characters, 13 keys
        issued = permits.permits_for_plate(db, "4BEN123")
        assert [p.status for p in issued] == ["active"]


async def test_f2_lookup_finds_a_permit_and_enter_opens_it(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    from clerk_tui.screens.lookup import LookupScreen
    from tests.domain.permits.conftest import DOCS, pay

    _stock(db, make_clerk)
    clerk = make_clerk("csr2")
    open_session(db, clerk)
    app_ = permits.take_application(db, clerk, permit_type="RA", address="212 Oak St",
                                    holder="Robin [i]Alvarez", plate="7ABC123", documents=DOCS)
    pay(db, clerk, app_)
    number = permits.permits_for_plate(db, "7ABC123")[0].number
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        await press_each(pilot, "f2")
        assert isinstance(app.screen, LookupScreen)
        await type_text(pilot, number)
        await pilot.pause(0.3)
        await settle(pilot)
        lines = [ln for ln in screen_text(app).splitlines() if "Robin [i]Alvarez" in ln]
        assert len(lines) == 1 and "permit" in lines[0] and number in lines[0], lines
        await press_each(pilot, "enter")
        await finish_work(pilot)
        assert isinstance(app.screen, PermitsScreen)
        assert f"> {number}" in screen_text(app) and "VALID" in screen_text(app)


async def test_a_scanned_permit_opens_the_permits_screen(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    from tests.domain.permits.conftest import DOCS, pay
    from tests.ui.test_scanning import scan

    _stock(db, make_clerk)
    clerk = make_clerk("csr2")
    open_session(db, clerk)
    pay(db, clerk, permits.take_application(db, clerk, permit_type="RA", address="212 Oak St",
                                            holder="Robin", plate="7ABC123", documents=DOCS))
    number = permits.permits_for_plate(db, "7ABC123")[0].number
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        await scan(pilot, number)
        await finish_work(pilot)
        assert isinstance(app.screen, PermitsScreen)
        assert f"> {number}" in screen_text(app)
        await scan(pilot, number[:-1] + str((int(number[-1]) + 1) % 10))  # bad check digit
        assert isinstance(app.screen, PermitsScreen)
        assert any("wrong check digit" in n.message for n in app._notifications)


async def test_vehicle_and_address_changes_by_keys(make_app: Callable[..., ClerkApp],
                                                   make_clerk: Callable[..., Actor],
                                                   db: Database,
                                                   fixed_clock: object) -> None:  # noqa: F811
    from tests.domain.permits.conftest import DOCS, pay

    _stock(db, make_clerk)
    clerk = make_clerk("csr1")
    open_session(db, clerk)
    pay(db, clerk, permits.take_application(db, clerk, permit_type="RA", address="212 Oak St",
                                            holder="Robin", plate="7ABC123", documents=DOCS))
    number = permits.permits_for_plate(db, "7ABC123")[0].number
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        app.push_screen(PermitsScreen())
        await settle(pilot)
        await type_text(pilot, "7abc123")
        await press_each(pilot, "enter", "ctrl+g", "v")
        await type_text(pilot, "9new999")
        await press_each(pilot, "enter", "enter")
        await type_text(pilot, "Green Golf")
        await press_each(pilot, "enter")
        await type_text(pilot, "new car")
        await press_each(pilot, "enter")
        await finish_work(pilot)
        assert f"{number} is now for 9NEW999 CA." in screen_text(app)
        await press_each(pilot, "escape")
        await finish_work(pilot)
        await press_each(pilot, "ctrl+g", "a")
        await type_text(pilot, "600 University Ave")      # district B: refused, form stays
        await press_each(pilot, "enter")
        await type_text(pilot, "moved")
        await press_each(pilot, "enter")
        await finish_work(pilot)
        assert "is in district B, not A" in screen_text(app)
        await press_each(pilot, "shift+tab", "ctrl+u")   # back to the address
        await type_text(pilot, "214 Oak St")
        await press_each(pilot, "ctrl+y")
        await finish_work(pilot)
        await press_each(pilot, "a", "enter")
        await finish_work(pilot)
        assert isinstance(app.screen, PermitsScreen)
        shown = screen_text(app)
        assert f"{number} is now at 214 OAK ST." in shown
        assert "vehicle: 7ABC123 CA -> 9NEW999 CA Green Golf" in shown
        assert "address: 212 OAK ST -> 214 OAK ST" in shown
