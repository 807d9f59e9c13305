"""Helpers for the cashier screens' Pilot tests: accounts with a bill, a fixed clock, the
simulated station, keys typed the way a clerk types them, and the steps every counter test
takes (open the drawer, find an account, its `A` menu, a supervisor's approval)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from textual.pilot import Pilot

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain import accounts, audit, clock, ledger
from clerk_tui.domain.accounts import Account
from clerk_tui.domain.actor import SYSTEM
from clerk_tui.screens.account import AccountScreen
from clerk_tui.screens.account_actions import AccountActionsScreen
from clerk_tui.screens.drawer import DrawerScreen
from clerk_tui.screens.override import OverrideScreen
from clerk_tui.screens.payment import PaymentScreen
from clerk_tui.station import Station
from tests.conftest import PINS
from tests.ui.conftest import S, goto, press_each, screen_text, settle, type_text

NOW = dt.datetime(2026, 3, 2, 10, 0, 0)


@pytest.fixture
def fixed_clock() -> Iterator[dt.datetime]:
    with clock.frozen(NOW) as now:
        yield now


def make_account(db: Database, *, name: str = "Pat Example",
                 address: str = "120 N Main St", balance_cents: int = 0,
                 bill_date: str | None = None) -> Account:
    """An account opened through the domain, billed `balance_cents` through the ledger."""
    account = accounts.open_account(db, SYSTEM, name=name, service_address=address,
                                    opened_on="2020-01-01")
    if balance_cents:
        with db.write():
            ledger.post(db, SYSTEM, "bill", [
                ledger.Entry(book="account", kind="bill", amount_cents=balance_cents,
                             account_id=account.id, fund="510", gl_code="510-4100",
                             memo="March bill"),
                ledger.Entry(book="revenue", kind="bill", amount_cents=-balance_cents,
                             fund="510", gl_code="510-4100"),
            ], business_date=bill_date)
            audit.record(db, SYSTEM, "test.bill", f"account:{account.number}")
    return account


def attach_station(app: ClerkApp) -> Station:
    """The simulated printer and drawer, as the app will attach them (`app.station`)."""
    station = getattr(app, "station", None)
    if station is None:
        station = Station.build(app.workstation, None, sandbox=True)
        app.station = station  # type: ignore[attr-defined]
    return station


async def press_keys(pilot: Pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def type_and_settle(pilot: Pilot, text: str) -> None:
    await pilot.press(*list(text))
    await settle(pilot)


async def answer(pilot: Pilot, *texts: str) -> None:
    """Type each answer and Enter (a form's fields, a prompt's amount and reason), then wait."""
    for text in texts:
        await type_text(pilot, text)
        await pilot.press("enter")
    await settle(pilot)


async def open_drawer(pilot: Pilot) -> None:
    """F8, O: the clerk's drawer opened with the standard bank; Esc back to where they were."""
    await goto(pilot, "f8", DrawerScreen)
    await press_each(pilot, "o")
    assert "OPEN" in screen_text(pilot.app)  # type: ignore[arg-type]
    await press_each(pilot, "escape")


async def open_account_screen(pilot: Pilot, search: str) -> AccountScreen:
    """F2, part of the name or address, Enter on the one account found: its screen."""
    await press_each(pilot, "f2")
    await type_and_settle(pilot, search)
    return await goto(pilot, "enter", AccountScreen)


async def open_account_menu(pilot: Pilot) -> str:
    """A on the account screen: the menu of account actions, as the clerk sees it."""
    await goto(pilot, "a", AccountActionsScreen)
    return screen_text(pilot.app)  # type: ignore[arg-type]


async def pick_account_action(pilot: Pilot, key: str, label: str, screen: type[S]) -> S:
    """A, then the action's letter: `label` is on the menu and `key` opens `screen`."""
    assert label in await open_account_menu(pilot)
    return await goto(pilot, key, screen)


async def approve_override(pilot: Pilot, supervisor: str,
                           pin: str = PINS["supervisor"]) -> None:
    """At the supervisor-override modal: the supervisor's name, Enter, PIN, Enter; the PIN
    check's result has landed when this returns."""
    assert isinstance(pilot.app.screen, OverrideScreen), screen_text(pilot.app)  # type: ignore[arg-type]
    await answer(pilot, supervisor, pin)


async def take_payment(pilot: Pilot, reference: str, tendered: str = "") -> PaymentScreen:
    """F3, the account, Enter for the amount due, cash `tendered` (exact when empty), Enter:
    the payment screen with the sale posted."""
    await goto(pilot, "f3", PaymentScreen)
    await type_text(pilot, reference)
    await pilot.press("enter", "enter")
    await answer(pilot, tendered)
    screen = pilot.app.screen
    assert isinstance(screen, PaymentScreen) and screen.result is not None, \
        screen_text(pilot.app)  # type: ignore[arg-type]
    return screen
