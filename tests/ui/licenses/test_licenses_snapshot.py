"""The licenses screen at 80x24 (pytest-textual-snapshot): a restaurant application in review
with its departments and what it owes by part. After a deliberate change regenerate with
`--snapshot-update` and review the SVG. And: nothing of it is cut at 80x24."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.licenses import records
from clerk_tui.domain.licenses.records import Application
from clerk_tui.screens.licenses.screen import LicensesScreen
from tests.conftest import PINS
from tests.ui.cashier_support import fixed_clock  # noqa: F401
from tests.ui.conftest import SIZE, finish_work, press_each, screen_text, sign_in, type_text

pytestmark = pytest.mark.slow


def _restaurant(db: Database, clerk: Actor) -> records.License:
    return records.apply(db, clerk, Application(
        "Blue Door Cafe LLC", "Ana Ruiz, Tom Lee", "210 Main St", "722", dba="Blue Door",
        ownership="llc", gross_receipts_cents=400_000_00, employees=6))


async def _shown(pilot: Pilot) -> None:
    await sign_in(pilot, "csr2", PINS["csr2"])
    await press_each(pilot, "f5")
    await type_text(pilot, "blue door")
    await press_each(pilot, "enter")
    await finish_work(pilot)


def test_licenses_screen(snap_compare: Any, make_app: Callable[..., ClerkApp],
                         make_clerk: Callable[..., Actor], db: Database,
                         fixed_clock: object) -> None:  # noqa: F811
    _restaurant(db, make_clerk("csr2"))
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_shown)


async def test_nothing_is_cut_at_80x24(make_app: Callable[..., ClerkApp],
                                       make_clerk: Callable[..., Actor], db: Database,
                                       fixed_clock: object) -> None:  # noqa: F811
    lic = _restaurant(db, make_clerk("csr2"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _shown(pilot)
        assert isinstance(app.screen, LicensesScreen)
        text = screen_text(app)
        for want in (f"License {lic.number}", "IN REVIEW", "Class 722 Restaurant or bar",
                     "Blue Door Cafe LLC dba Blue Door", "Employees 6", "BID DTN",
                     "Planning pending", "Building pending", "2026 License tax", "$400.00",
                     "2026 CASp fee (state)", "$0.40", "2026 BID assessment", "$200.00",
                     "$604.00", "Enter = pay", "^O Actions", "^T Jobs/reports"):
            assert want in text, want
