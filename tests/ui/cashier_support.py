"""Helpers for the cashier screens' Pilot tests: accounts with a bill, a fixed clock, the
simulated station, and keys typed the way a clerk types them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from textual.pilot import Pilot

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain import accounts, clock, ledger
from clerk_tui.domain.accounts import Account
from clerk_tui.domain.actor import SYSTEM
from clerk_tui.station import Station
from tests.ui.conftest import settle

NOW = dt.datetime(2026, 3, 2, 10, 0, 0)


@pytest.fixture
def fixed_clock() -> Iterator[dt.datetime]:
    clock.set_fixed(NOW)
    yield NOW
    clock.set_fixed(None)


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
