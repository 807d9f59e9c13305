"""The front desk (F7) at 80x24, keys only: a visitor checked in (badge printed) and out by
scanning the badge; a records request taken, extended, made ready, its copy fee paid and the
records released; a stored vehicle's checklist, release fee and release; an uncleared clerk
is not offered police records."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain import auth
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import open_session
from clerk_tui.domain.frontdesk import access, records, vehicles, visitors
from clerk_tui.screens.frontdesk.common import FdForm, FdList
from clerk_tui.screens.frontdesk.screen import FrontDeskScreen
from clerk_tui.screens.payment import PaymentScreen
from tests.conftest import PINS
from tests.ui.cashier_support import fixed_clock  # noqa: F401
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

pytestmark = pytest.mark.usefixtures("fresh_sims", "fixed_clock")
PREFIX = "ctrl+circumflex_accent"  # a wedge scanner's default prefix (RS)


def _clear(db: Database, username: str) -> None:
    access.set_clearance(db, auth.clerk_actor(db, "admin", "ws-test"), username, True,
                         "background check passed")


async def _fill(pilot, *values: str) -> None:  # type: ignore[no-untyped-def]
    """Type each value into the next field (Enter after each; the last Enter sends)."""
    for value in values:
        await type_text(pilot, value)
        await press_each(pilot, "enter")
    await finish_work(pilot)


async def test_visitor_in_with_badge_and_out_by_scan(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor],
        db: Database) -> None:
    make_clerk("csr1")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        desk = await goto(pilot, "f7", FrontDeskScreen)
        await finish_work(pilot)
        assert "Records requests" not in screen_text(app)  # csr1: no police records
        await goto(pilot, "v", FdForm)
        await _fill(pilot, "Avery Quill", "Northwind", "Det. Ortega", "Evidence pickup", "y")
        shown = screen_text(app)
        assert "Avery Quill checked in: badge VB0000018 (badge printed)" in shown
        assert "[barcode VB0000018]" in app.session.station.printer_text()
        await press_each(pilot, "escape")
        assert app.screen is desk
        await goto(pilot, "b", FdList)
        await finish_work(pilot)
        assert "VB0000018" in screen_text(app) and "1 in the building" in screen_text(app)
        await press_each(pilot, "escape")
        await finish_work(pilot)
        assert "1 visitor(s) in the building" in screen_text(app)
        await pilot.press(PREFIX, *"VB0000018", "enter")  # the badge scanned at the desk
        await finish_work(pilot)
        v = visitors.by_badge(db, "VB0000018")
        assert v.out_how == "scan" and not v.inside
        assert "0 visitor(s) in the building" in screen_text(app)
        await pilot.press(PREFIX, *"VB0000018", "enter")  # twice: refused, nothing changes
        await finish_work(pilot)
        assert any("already left" in n.message for n in app._notifications)


async def test_check_out_from_the_list(make_app: Callable[..., ClerkApp],
                                       make_clerk: Callable[..., Actor], db: Database) -> None:
    clerk = make_clerk("csr1")
    visitors.check_in(db, clerk, "Blake [b]Fenn", "", "Lt. Marsh", "Interview", False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        await goto(pilot, "f7", FrontDeskScreen)
        await goto(pilot, "b", FdList)
        await finish_work(pilot)
        assert "Blake [b]Fenn" in screen_text(app)  # markup shown literally
        await press_each(pilot, "o")
        await finish_work(pilot)
        assert "Blake [b]Fenn (VB0000018) checked out." in screen_text(app)
    assert visitors.by_badge(db, "VB0000018").out_how == "list"


async def test_records_request_extension_and_release_with_fee(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor],
        db: Database) -> None:
    open_session(db, make_clerk("csr2"))
    _clear(db, "csr2")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        await goto(pilot, "f7", FrontDeskScreen)
        await finish_work(pilot)
        listing = await goto(pilot, "r", FdList)
        await finish_work(pilot)
        await goto(pilot, "n", FdForm)
        # requester, contact, records; received (today), channel (counter), victim (N) kept
        await _fill(pilot, "Lee Brandt", "lee@example.com", "Dispatch logs", "", "", "")
        assert "PRA26-00001 received 2026-03-02: decide by 2026-03-12." in screen_text(app)
        await press_each(pilot, "escape")
        await finish_work(pilot)
        assert app.screen is listing and "PRA26-00001" in screen_text(app)
        await goto(pilot, "x", FdForm)
        await _fill(pilot, "2", "")  # reason 2, 14 days (the default)
        assert "extended to 2026-03-26" in screen_text(app)
        await press_each(pilot, "escape")
        await goto(pilot, "d", FdForm)
        await _fill(pilot, "12", "Dispatch logs, redacted", "", "")
        assert "12 page(s), fee $1.20" in screen_text(app)
        await press_each(pilot, "escape")
        await finish_work(pilot)
        await press_each(pilot, "l")  # release before the fee: refused
        await press_each(pilot, "y")
        await finish_work(pilot)
        assert "take the copy fee ($1.20) first" in screen_text(app)
        await press_each(pilot, "f")
        await finish_work(pilot)
        pay = app.screen
        assert isinstance(pay, PaymentScreen)
        await type_text(pilot, "2")
        await press_each(pilot, "enter")
        await finish_work(pilot)
        assert pay.result is not None and "$0.80" in screen_text(app)  # the change
        await press_each(pilot, "escape")
        await finish_work(pilot)
        assert app.screen is listing and "paid" in screen_text(app)
        await press_each(pilot, "l", "y")
        await finish_work(pilot)
        assert "PRA26-00001 released." in screen_text(app)
    req = records.by_number(db, "PRA26-00001")
    assert (req.status, req.extended_to.isoformat(), req.pages) == ("released", "2026-03-26", 12)
    assert req.fee_receipt_id is not None


async def test_vehicle_release_with_fee(make_app: Callable[..., ClerkApp],
                                        make_clerk: Callable[..., Actor], db: Database) -> None:
    clerk = make_clerk("csr2")
    open_session(db, clerk)
    _clear(db, "csr2")
    v = vehicles.store(db, clerk, "5XYZ987", "2T1BURHE0JC014321", "Toyota Corolla", "Kim",
                       "2026-03-01", "22651")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        await goto(pilot, "f7", FrontDeskScreen)
        await finish_work(pilot)
        listing = await goto(pilot, "h", FdList)
        await finish_work(pilot)
        assert "5XYZ987" in screen_text(app)
        await goto(pilot, "c", FdForm)
        await _fill(pilot, "y", "y", "y", "")
        assert "Checklist complete." in screen_text(app)
        await press_each(pilot, "escape")
        await finish_work(pilot)
        await press_each(pilot, "f")
        await finish_work(pilot)
        pay = app.screen
        assert isinstance(pay, PaymentScreen) and "$175.00" in screen_text(app)
        await type_text(pilot, "175")
        await press_each(pilot, "enter")
        await finish_work(pilot)
        assert pay.result is not None
        await press_each(pilot, "escape")
        await finish_work(pilot)
        assert app.screen is listing
        await goto(pilot, "l", FdForm)
        await _fill(pilot, "Kim Ardent")
        assert "VEHICLE RELEASE  VR26-00001" in screen_text(app)
    done = vehicles._get(db, v.id)
    assert (done.status, done.release_number, done.released_to) == \
        ("released", "VR26-00001", "Kim Ardent")


async def test_uncleared_clerk_is_not_offered_police_records(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor],
        db: Database) -> None:
    make_clerk("csr2")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        desk = await goto(pilot, "f7", FrontDeskScreen)
        await finish_work(pilot)
        await settle(pilot)
        text = screen_text(app)
        assert "Not cleared for police records" in text and "Records requests" not in text
        await press_each(pilot, "r")  # the letter does nothing
        assert app.screen is desk


async def test_f2_finds_a_request_for_the_cleared_clerk_and_the_view_is_audited(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor],
        db: Database) -> None:
    clerk = make_clerk("csr2")
    _clear(db, "csr2")
    records.intake(db, clerk, "Harper Lane", "", "Incident report", "2026-03-02", "counter")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        await press_each(pilot, "f2")
        await type_text(pilot, "PRA26-00001")
        await pilot.pause(0.3)  # the lookup's debounce (it searches once typing stops)
        await finish_work(pilot)
        assert "Harper Lane" in screen_text(app) and "pra-req" in screen_text(app)
        await press_each(pilot, "enter")
        await finish_work(pilot)
        assert "RECORDS REQUEST PRA26-00001" in screen_text(app)
    assert db.scalar("SELECT count(*) FROM audit_log WHERE action = 'frontdesk.view' "
                     "AND entity = 'request:1' AND clerk = 'csr2'") == 1


async def test_subpoena_deposit_and_reconcile_with_a_cash_refund(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor],
        db: Database) -> None:
    from clerk_tui.domain.frontdesk import subpoenas

    open_session(db, make_clerk("csr2"))
    _clear(db, "csr2")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        await goto(pilot, "f7", FrontDeskScreen)
        await finish_work(pilot)
        listing = await goto(pilot, "s", FdList)
        await finish_work(pilot)
        await goto(pilot, "n", FdForm)
        # kind (civil), officer, case, court, appear at, days (1), served by
        await _fill(pilot, "", "Ofc. R. Ortega #412", "CV-26-0101", "Dept 4",
                    "2026-03-16 09:00", "", "Lane & Pike LLP")
        assert "SUB000001 accepted (civil), deposit $275.00" in screen_text(app)
        await press_each(pilot, "escape")
        await finish_work(pilot)
        await press_each(pilot, "f")
        await finish_work(pilot)
        pay = app.screen
        assert isinstance(pay, PaymentScreen)
        await type_text(pilot, "275")
        await press_each(pilot, "enter")
        await finish_work(pilot)
        assert pay.result is not None
        await press_each(pilot, "escape")
        await finish_work(pilot)
        assert app.screen is listing and "held" in screen_text(app)
        await goto(pilot, "r", FdForm)
        await _fill(pilot, "200.00", "")  # $75 back in cash: within a CSR II's $100 limit
        assert "Kept $200.00; refund $75.00 by cash." in screen_text(app)
    sub = subpoenas._get(db, 1)
    assert (sub.settled, sub.actual_cents) == ("refunded", 20_000)


async def test_clearance_letter_fee_then_print_and_a_phone_message(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor],
        db: Database) -> None:
    from clerk_tui.domain.frontdesk import desk

    open_session(db, make_clerk("csr2"))
    _clear(db, "csr2")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        await goto(pilot, "f7", FrontDeskScreen)
        await finish_work(pilot)
        listing = await goto(pilot, "l", FdList)
        await finish_work(pilot)
        await goto(pilot, "n", FdForm)
        await _fill(pilot, "Kim Ardent", "1990-05-05", "Visa application", "CA DL D7654321")
        assert "LTR000001 for Kim Ardent" in screen_text(app)
        await press_each(pilot, "escape")
        await finish_work(pilot)
        await press_each(pilot, "p")  # print before the fee: refused, nothing printed
        await finish_work(pilot)
        assert "take the fee first" in screen_text(app)
        await press_each(pilot, "escape")
        await finish_work(pilot)
        await press_each(pilot, "f")
        await finish_work(pilot)
        assert isinstance(app.screen, PaymentScreen) and "$25.00" in screen_text(app)
        await type_text(pilot, "25")
        await press_each(pilot, "enter")
        await finish_work(pilot)
        await press_each(pilot, "escape")
        await finish_work(pilot)
        assert app.screen is listing and "paid" in screen_text(app)
        await press_each(pilot, "p")
        await finish_work(pilot)
        assert "TO WHOM IT MAY CONCERN" in screen_text(app)
        await press_each(pilot, "escape", "escape")
        await finish_work(pilot)
        await goto(pilot, "m", FdList)
        await goto(pilot, "n", FdForm)
        await _fill(pilot, "Jamie Rowe", "555-0199", "Det. Ortega", "Call after 3 pm")
        assert "Message for Det. Ortega taken" in screen_text(app)
    assert desk.get_letter(db, 1).printed_at is not None
    assert [m.caller for m in desk.open_messages(db)] == ["Jamie Rowe"]


async def test_early_release_needs_the_supervisor_to_record_the_exception(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor],
        db: Database) -> None:
    clerk = make_clerk("csr2")
    make_clerk("supervisor", "sup")
    _clear(db, "csr2")
    v = vehicles.store(db, clerk, "7ABC123", "1HGCM82633A004352", "Honda Accord", "Pat",
                       "2026-02-25", "14602.6")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        await goto(pilot, "f7", FrontDeskScreen)
        await finish_work(pilot)
        await goto(pilot, "h", FdList)
        await finish_work(pilot)
        assert "2026-03-27" in screen_text(app)  # held 30 days
        await press_each(pilot, "e")
        await press_each(pilot, "enter")  # the first exception on the data's list
        await settle(pilot)
        assert "Supervisor approval needed" in screen_text(app)
        await type_text(pilot, "sup")
        await press_each(pilot, "enter")
        await type_text(pilot, PINS["supervisor"])
        await press_each(pilot, "enter")
        await finish_work(pilot)
        assert "7ABC123: early release allowed (sup)." in screen_text(app)
    done = vehicles._get(db, v.id)
    assert done.exception_by == "sup" and not done.held(done.stored_on)
    assert db.scalar("SELECT override_by FROM audit_log WHERE action = "
                     "'frontdesk.vehicle_exception'") == "sup"


async def test_registrant_fee_taken_on_payments(make_app: Callable[..., ClerkApp],
                                                make_clerk: Callable[..., Actor],
                                                db: Database) -> None:
    from clerk_tui.domain import clock
    from clerk_tui.domain.frontdesk import registrants

    clerk = make_clerk("csr2")
    open_session(db, clerk)
    _clear(db, "csr2")
    reg = registrants.register(db, clerk, "Doe, Jordan", "1980-05-01", "290", "1 Elm St",
                               clock.today())
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        await goto(pilot, "f7", FrontDeskScreen)
        await finish_work(pilot)
        listing = await goto(pilot, "g", FdList)
        await finish_work(pilot)
        assert "Doe, Jordan" in screen_text(app) and "fee due" in screen_text(app)
        await press_each(pilot, "f")
        await finish_work(pilot)
        pay = app.screen
        assert isinstance(pay, PaymentScreen) and "$100.00" in screen_text(app)
        await type_text(pilot, "100")
        await press_each(pilot, "enter")
        await finish_work(pilot)
        assert pay.result is not None
        await press_each(pilot, "escape")
        await finish_work(pilot)
        assert app.screen is listing
        assert "Doe, Jordan" not in screen_text(app)  # paid, and not due for a year
    assert registrants._get(db, reg.id).fee_paid


async def test_badge_scan_in_the_visitors_list_checks_out_other_dialogs_refuse(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor],
        db: Database) -> None:
    clerk = make_clerk("csr1")
    visitors.check_in(db, clerk, "Robin Vale", "", "Lt. Marsh", "Interview", True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        await goto(pilot, "f7", FrontDeskScreen)
        await goto(pilot, "p", FdList)  # repossessions: a dialog that takes no scans
        await finish_work(pilot)
        await pilot.press(PREFIX, *"VB0000018", "enter")
        await finish_work(pilot)
        assert _refusals(app) == 1
        assert visitors.by_badge(db, "VB0000018").out_at is None  # nothing changed
        await press_each(pilot, "escape")
        listing = await goto(pilot, "b", FdList)
        await finish_work(pilot)
        assert "Robin Vale" in screen_text(app)
        await pilot.press(PREFIX, *"R000000001", "enter")  # a receipt: not for this list
        await finish_work(pilot)
        assert _refusals(app) == 2
        await pilot.press(PREFIX, *"VB0000018", "enter")
        await finish_work(pilot)
        assert app.screen is listing
        assert any("Robin Vale (VB0000018) checked out." in n.message
                   for n in app._notifications)
        assert "Nobody is checked in." in screen_text(app)  # the list read itself again
    assert visitors.by_badge(db, "VB0000018").out_how == "scan"


def _refusals(app: ClerkApp) -> int:
    return sum("finish or close the open dialog" in n.message for n in app._notifications)
