"""Licenses (F5) at 80x24, keys only: apply -> routed -> reviews approved -> pay (cash) ->
issue -> certificate printed and saved as PDF; a scanned renewal notice -> Enter -> Enter pays
it in cash; a bad find says so and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import Tender, new_idempotency_key, open_session, post_payment
from clerk_tui.domain.licenses import notices, records
from clerk_tui.domain.licenses.items import sale_items
from clerk_tui.domain.licenses.numbers import notice_code
from clerk_tui.domain.licenses.records import Application
from clerk_tui.screens.kit import Form, LetterMenu, Picker
from clerk_tui.screens.licenses.certificates import certificate_folder
from clerk_tui.screens.licenses.screen import LicensesScreen
from clerk_tui.screens.payment import PaymentScreen
from tests.conftest import PINS
from tests.ui.cashier_support import attach_station, fixed_clock  # noqa: F401
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

pytestmark = pytest.mark.usefixtures("fresh_sims")
PREFIX = "ctrl+circumflex_accent"


async def _field(pilot, text: str) -> None:
    if text:
        await type_text(pilot, text)
    await press_each(pilot, "enter")


async def test_apply_route_approve_pay_issue_print(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    open_session(db, make_clerk("csr3"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr3", PINS["csr3"])
        station = attach_station(app)
        lic_screen = await goto(pilot, "f5", LicensesScreen)
        await goto(pilot, "ctrl+n", Form)
        for text in ("Shear Bliss Salon", "", "Dee Park", "", "14 Elm St", "", "812", "",
                     "3", "", "", "", "dee@example.com", ""):
            await _field(pilot, text)
        await finish_work(pilot)
        assert "in review. Reviews: Planning / zoning, County" in screen_text(app)
        assert db.scalar("SELECT email FROM licenses") == "dee@example.com"
        await press_each(pilot, "escape")
        assert app.screen is lic_screen and lic_screen.license is not None
        lic = lic_screen.license
        assert lic.status == "in_review" and len(lic.pending_reviews) == 2
        assert "IN REVIEW" in screen_text(app)
        for _ in range(2):  # both departments approve
            await goto(pilot, "ctrl+o", LetterMenu)
            await goto(pilot, "v", Picker)
            await goto(pilot, "enter", LetterMenu)
            await press_each(pilot, "a")
            await finish_work(pilot)
        assert lic_screen.license.status == "approved"
        # $75 + 3 x $15 = $120 tax, $4.00 CASp: $124.00
        text = screen_text(app)
        assert "$124.00" in text and "APPROVED" in text
        await goto(pilot, "enter", PaymentScreen)   # empty find field: pay what is due
        pay = app.screen
        assert isinstance(pay, PaymentScreen)
        await press_each(pilot, "enter")             # exact cash
        await finish_work(pilot)
        assert pay.result is not None and pay.result.receipt.total_cents == 12400
        await press_each(pilot, "escape")
        await finish_work(pilot)
        assert app.screen is lic_screen and "Paid." in screen_text(app)
        await goto(pilot, "ctrl+o", LetterMenu)
        await press_each(pilot, "i")
        await finish_work(pilot)
        assert lic_screen.license.status == "issued"
        await goto(pilot, "ctrl+o", LetterMenu)
        await press_each(pilot, "c")
        await finish_work(pilot)
        assert "Certificate printed" in screen_text(app)
        printed = "\n".join(station.printer_text())
        assert "BUSINESS LICENSE CERTIFICATE" in printed and lic.number in printed
        pdf = certificate_folder() / f"{lic.number}-2026.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")


async def test_renewal_notice_scan_then_two_keys_pay_cash(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor],
        db: Database) -> None:
    with clock.frozen(dt.datetime(2026, 12, 3, 10, 0)):
        clerk = make_clerk("csr2")
        open_session(db, clerk)
        lic = records.apply(db, clerk, Application("Tidy Offices", "Sam Roe", "5 Elm St", "561"))
        post_payment(db, clerk, new_idempotency_key(), sale_items(db, lic.number),
                     [Tender("cash", lic.total_due_cents)])
        records.issue(db, clerk, lic.number)
        run = notices.monthly_run(db, make_clerk("csr3"))
        assert run.renewal == 1
        letter = notices.undelivered(db)[0]
        code = notice_code(lic.number, 2027)
        assert code in letter.body
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in(pilot, "csr2", PINS["csr2"])
            await pilot.press(PREFIX, *list(code), "enter")   # the scan
            await settle(pilot)
            await finish_work(pilot)
            screen = app.screen
            assert isinstance(screen, LicensesScreen), screen_text(app)
            assert "Renewal 2027: $124.00 due" in screen_text(app)
            keys = ["enter", "enter"]                      # pay, exact cash
            for key in keys:
                await press_each(pilot, key)
                await finish_work(pilot)
            pay = app.screen
            assert isinstance(pay, PaymentScreen) and pay.result is not None
            assert pay.result.receipt.total_cents == 12400 and len(keys) <= 3
        renewed = records.get_license(db, lic.number)
        assert renewed.current_term and renewed.current_term.year == 2027
        assert renewed.total_due_cents == 0


async def test_find_by_name_and_bad_input(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    clerk = make_clerk("csr1")
    records.apply(db, clerk, Application("[red]Acme[/red] Widgets", "Wile E", "9 Elm St",
                                         "561"))
    records.apply(db, clerk, Application("Acme Bakery", "Bo", "10 Elm St", "561"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        screen = await goto(pilot, "b", LicensesScreen)   # the home letter
        await type_text(pilot, "1234567")
        await press_each(pilot, "enter")
        assert "check digit is wrong" in screen_text(app)
        await pilot.press("ctrl+u")
        await type_text(pilot, "zzz nobody")
        await press_each(pilot, "enter")
        assert "No license matches" in screen_text(app) and screen.license is None
        await pilot.press("ctrl+u")
        await type_text(pilot, "[red]ac")
        await press_each(pilot, "enter")
        await finish_work(pilot)
        assert screen.license is not None
        assert "[red]Acme[/red] Widgets" in screen_text(app)
        await type_text(pilot, "tidy")
        await press_each(pilot, "ctrl+u")
        await type_text(pilot, "wile")
        await press_each(pilot, "enter")
        await finish_work(pilot)
        assert "Wile E" in screen_text(app)


async def test_renewal_scan_asks_gross_receipts_first(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor],
        db: Database) -> None:
    from clerk_tui.screens.prompts import TextPrompt

    with clock.frozen(dt.datetime(2026, 12, 3, 10, 0)):
        clerk = make_clerk("csr2")
        lic = records.apply(db, clerk, Application("Corner Market", "Bo Li", "9 Elm St", "445",
                                                   gross_receipts_cents=40_000_00))
        with db.write():  # reviewed and paid long ago (not what this test is about)
            db.execute("UPDATE licenses SET status = 'issued' WHERE id = ?", [lic.id])
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await sign_in(pilot, "csr2", PINS["csr2"])
            await pilot.press(PREFIX, *list(notice_code(lic.number, 2027)), "enter")
            await settle(pilot)
            await finish_work(pilot)
            assert isinstance(app.screen, TextPrompt)
            assert "gross receipts" in screen_text(app)
            await type_text(pilot, "lots")
            await press_each(pilot, "enter")
            assert isinstance(app.screen, TextPrompt)  # refused: nothing renewed
            assert records.get_license(db, lic.number).current_term.year == 2026
            await pilot.press("ctrl+u")
            await type_text(pilot, "300000")
            await press_each(pilot, "enter")
            await finish_work(pilot)
            assert isinstance(app.screen, LicensesScreen)
            # $250k-$1M bracket: $600; CASp $4 (the 2026 term is still owed too)
            assert "Renewal 2027" in screen_text(app)
        term = records.get_license(db, lic.number).current_term
        assert term is not None and term.year == 2027 and term.charges.tax_cents == 60000


async def test_pending_reviews_desk_list_opens_the_license(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    from clerk_tui.screens.licenses.jobs import PendingReviews

    lic = records.apply(db, make_clerk("csr3"), Application("Glow Spa", "Kim Ho", "8 Elm St",
                                                            "812", employees=1))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr3", PINS["csr3"])
        screen = await goto(pilot, "f5", LicensesScreen)
        await goto(pilot, "ctrl+t", LetterMenu)
        await goto(pilot, "w", PendingReviews)
        text = screen_text(app)
        assert "2 review(s) pending." in text and "planning" in text and "0 d" in text
        await press_each(pilot, "o")
        await finish_work(pilot)
        assert app.screen is screen and screen.license is not None
        assert screen.license.number == lic.number


async def test_duplicate_certificate_sold_then_printed(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    clerk = make_clerk("csr2")
    open_session(db, clerk)
    lic = records.apply(db, clerk, Application("Tidy Offices", "Sam Roe", "5 Elm St", "561"))
    post_payment(db, clerk, new_idempotency_key(), sale_items(db, lic.number),
                 [Tender("cash", lic.total_due_cents)])
    records.issue(db, clerk, lic.number)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        station = attach_station(app)
        await goto(pilot, "f5", LicensesScreen)
        await type_text(pilot, lic.number)
        await press_each(pilot, "enter")
        await finish_work(pilot)
        await goto(pilot, "ctrl+o", LetterMenu)
        await goto(pilot, "d", PaymentScreen)
        pay = app.screen
        await press_each(pilot, "enter")  # $10.00 exact cash
        await finish_work(pilot)
        assert pay.result is not None and pay.result.receipt.total_cents == 1000
        await press_each(pilot, "escape")
        await finish_work(pilot)
        assert "Certificate printed" in screen_text(app)
        printed = "\n".join(station.printer_text())
        assert "DUPLICATE" in printed and lic.number in printed


async def test_application_form_refuses_bad_input_and_esc_asks(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    from clerk_tui.screens.kit import ConfirmDialog

    make_clerk("csr2")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        screen = await goto(pilot, "f5", LicensesScreen)
        form = await goto(pilot, "ctrl+n", Form)
        for text in ("Bad Co", "", "Al", "", "1 Elm St", "Q", "999", "", "x", "", "", "", "",
                     ""):
            if text:
                await type_text(pilot, text)
            await press_each(pilot, "enter")
        await press_each(pilot, "ctrl+y")
        await finish_work(pilot)
        assert "Where: C (in city), O (out of town), H (home)." in screen_text(app)
        assert db.scalar("SELECT count(*) FROM licenses") == 0
        await press_each(pilot, "escape")
        assert isinstance(app.screen, ConfirmDialog)  # typed work: asks
        await press_each(pilot, "n")
        assert app.screen is form
        form.field("location").value = "H"
        form.field("class").value = "238"        # contractors need a CSLB number
        form.field("employees").value = ""
        await press_each(pilot, "ctrl+y")
        await finish_work(pilot)
        assert "contractor licence number is required" in screen_text(app)
        assert db.scalar("SELECT count(*) FROM licenses") == 0
        form.field("contractor").value = "<b>123</b>"
        await press_each(pilot, "ctrl+y")
        await finish_work(pilot)
        assert db.scalar("SELECT count(*) FROM licenses") == 0
        form.field("contractor").value = "1234567"
        await press_each(pilot, "ctrl+y")
        await finish_work(pilot)
        assert db.scalar("SELECT location FROM licenses") == "home"
        await press_each(pilot, "escape")
        assert app.screen is screen and screen.license is not None


async def test_contact_edit_from_the_actions_menu(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    lic = records.apply(db, make_clerk("csr1"), Application("Support Co", "Al", "5 Elm St",
                                                            "561", phone="555-0100"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        screen = await goto(pilot, "f5", LicensesScreen)
        await type_text(pilot, lic.number)
        await press_each(pilot, "enter")
        await finish_work(pilot)
        await goto(pilot, "ctrl+o", LetterMenu)
        await press_each(pilot, "e")
        await press_each(pilot, "enter")               # phone kept
        await type_text(pilot, "al@example.com")
        await press_each(pilot, "enter", "enter")      # email, mailing blank: saved
        await finish_work(pilot)
        assert app.screen is screen and "Saved." in screen_text(app)
    assert records.get_license(db, lic.number).email == "al@example.com"
