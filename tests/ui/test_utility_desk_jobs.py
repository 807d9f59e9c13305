"""Two utility-desk jobs at 80x24: F deposit refunds (one, then all; each refund logs its
letter; P prints the report) and M mail letters (a printer out of paper marks nothing; printed
on the sim printer; saved into a folder the clerk types). Esc or No changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from clerk_tui.app import ClerkApp
from clerk_tui.config import PrinterConfig, WorkstationConfig
from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.utility import delinquency, deposits, letters
from clerk_tui.hardware.devices import devices_for
from clerk_tui.hardware.sim import reset_sims
from clerk_tui.screens.confirm import ConfirmScreen
from clerk_tui.screens.kit import ReportScreen
from clerk_tui.screens.prompts import TextPrompt
from clerk_tui.screens.utility.deposits import DepositRefundsScreen
from clerk_tui.screens.utility.desk import UtilityDeskScreen
from clerk_tui.screens.utility.mailing import MailLettersScreen
from clerk_tui.station import Station
from tests.domain.utility.collections_support import bill, open_account
from tests.domain.utility.test_deposit_refunds import deposit_due_back
from tests.ui.conftest import SignedIn, screen_text, settle, type_text


@pytest.fixture(autouse=True)
def _sims() -> Iterator[None]:
    reset_sims()
    yield
    reset_sims()
    clock.set_fixed(None)


def sim_station(name: str, query: str = "") -> Station:
    return Station(devices_for(WorkstationConfig(
        "ws-test", printer=PrinterConfig(url=f"sim:{name}{query}"))))


async def press(pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def desk_job(pilot, app: ClerkApp, key: str, screen: type) -> object:  # type: ignore[no-untyped-def]
    await press(pilot, "f11")
    assert isinstance(app.screen, UtilityDeskScreen)
    await press(pilot, key)
    assert isinstance(app.screen, screen), screen_text(app)
    return app.screen


async def test_deposit_refunds_one_then_all(signed_in: SignedIn,
                                            make_clerk: Callable[..., Actor],
                                            db: Database) -> None:
    csr2 = make_clerk("csr2")
    first = deposit_due_back(db, csr2, "Ada Prompt", "1 Prompt Pl")
    second = deposit_due_back(db, csr2, "Bo Prompt", "2 Prompt Pl")
    clock.set_fixed(dt.datetime(2026, 6, 15, 10, 0))
    station = sim_station("ws-refunds")
    async with signed_in("csr2", station=station) as (app, pilot):
        await press(pilot, "f11")
        assert "F  Deposit refunds" in screen_text(app)
        await press(pilot, "escape")
        screen = await desk_job(pilot, app, "f", DepositRefundsScreen)
        text = screen_text(app)
        assert "Ada Prompt" in text and "Bo Prompt" in text
        assert "13 bills paid on time (need 12)" in text
        assert "2 deposit(s) due back" in text

        # Enter asks; Esc at the question changes nothing.
        await press(pilot, "enter")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Ada Prompt" in screen_text(app)
        await press(pilot, "escape")
        assert app.screen is screen and "Nothing changed" in screen_text(app)
        assert deposits.get_deposit(db, first.id).status == "billed"
        assert db.scalar("SELECT count(*) FROM letters") == 0

        await press(pilot, "y", "y")
        report = app.screen
        assert isinstance(report, ReportScreen), screen_text(app)
        assert "DEPOSITS REFUNDED 2026-06-15: 1 deposit(s)" in report.text
        assert "Ada Prompt" in report.text and "Bo Prompt" not in report.text
        assert deposits.get_deposit(db, first.id).status == "refunded"
        (letter,) = letters.letters_for(db, first.account_id)
        assert letter.kind == "deposit_refund" and letter.delivered == ""
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await settle(pilot)
        printed = station.printer_text()
        assert "Deposit refunds" in printed
        assert any("Ada Prompt" in line for line in printed)
        await press(pilot, "escape")
        assert app.screen is screen
        text = screen_text(app)
        assert "Ada Prompt" not in text and "Bo Prompt" in text
        assert "1 deposit(s) refunded, $250.00" in text

        # A = all the rest, after a confirmation.
        await press(pilot, "a")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Refund all 1 deposits" in screen_text(app)
        await press(pilot, "y")
        assert isinstance(app.screen, ReportScreen)
        assert "Bo Prompt" in app.screen.text
        await press(pilot, "escape")
        assert app.screen is screen and screen.rows == []
        assert "Bo Prompt" not in screen_text(app)
    assert deposits.get_deposit(db, second.id).status == "refunded"
    assert db.scalar("SELECT count(*) FROM letters WHERE kind = 'deposit_refund' "
                     "AND delivered = ''") == 2


async def test_mail_letters_print_then_save(signed_in: SignedIn,
                                            make_clerk: Callable[..., Actor], db: Database,
                                            tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # the clerk types ~/out
    clock.set_fixed(dt.datetime(2026, 3, 2, 10, 0))
    csr3 = make_clerk("csr3")
    shut = open_account(db, name="Shut Off", address="3 C St", mailing="PO Box 9\nRiverton")
    remind = open_account(db, name="Re Minder", address="1 A St")
    bill(db, shut.id, 10_000, "2025-12-22", "2026-01-11")  # 50 days past due: shutoff notice
    bill(db, remind.id, 10_000, "2026-01-30", "2026-02-20")  # 10 days: reminder
    delinquency.run_notices(db, csr3)
    assert len(letters.undelivered_letters(db)) == 3
    async with signed_in("csr3", station=sim_station("ws-paperout", "?paper=out")) as (app, pilot):
        screen = await desk_job(pilot, app, "m", MailLettersScreen)
        text = screen_text(app)
        assert "Notices run 1 (2026-03-02)" in text and "3 letter(s) to mail" in text
        row = next(ln for ln in text.splitlines() if "Shutoff notice" in ln)
        assert row.split()[-1] == "2"  # the customer's notice and the Occupant copy

        # No at the question changes nothing.
        await press(pilot, "p")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")
        assert app.screen is screen and "Not done. Nothing changed" in screen_text(app)

        # Out of paper: nothing is marked; the letters are still to mail.
        await press(pilot, "p", "y")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert app.screen is screen
        text = " ".join(screen_text(app).split())  # the message takes two lines
        assert "out of paper" in text and "0 of 3 letter(s) printed; 3 still to mail" in text
        assert len(letters.undelivered_letters(db)) == 3

        # A working printer: every letter printed, one job each, all marked in one go.
        good = sim_station("ws-letters")
        app.station = good  # type: ignore[attr-defined]
        await press(pilot, "p", "y")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen), screen_text(app)
        assert "LETTERS PRINTED 2026-03-02: 3 letter(s)" in app.screen.text
        printed = good.printer_text()
        assert good.sim_printer.cuts == 3
        assert "Occupant" in printed and "Shut Off" in printed and "Re Minder" in printed
        assert "PO Box 9" in printed
        assert {ltr.delivered for ltr in letters.letters_for(db, shut.id)} == {"printed"}
        assert letters.undelivered_letters(db) == []
        await press(pilot, "escape")
        assert app.screen is screen and screen.queued == []
        assert "3 of 3 letter(s) printed; 0 still to mail" in screen_text(app)

        # New letters; saved into a folder the clerk types (Esc at the prompt saves nothing).
        letters.issue_letter(db, csr3, remind.id, "past_due")
        await press(pilot, "escape")
        screen = await desk_job(pilot, app, "m", MailLettersScreen)
        assert "Account letters" in screen_text(app)
        await press(pilot, "w")
        assert isinstance(app.screen, TextPrompt)
        await press(pilot, "escape")
        assert "Not done. Nothing changed" in screen_text(app)
        await press(pilot, "w")
        await type_text(pilot, "~/out")
        await press(pilot, "enter")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen), screen_text(app)
        assert "LETTERS SAVED 2026-03-02: 1 letter(s)" in app.screen.text
    (saved,) = (tmp_path / "out").iterdir()
    (letter,) = [x for x in letters.letters_for(db, remind.id) if x.kind == "past_due"]
    assert letter.delivered == f"file:{saved}"
    assert saved.read_text(encoding="utf-8") == letter.body
